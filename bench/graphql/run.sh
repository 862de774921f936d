#!/usr/bin/env bash
# The GraphQL engine benchmark (issue 3): builds graphql_bench (Release), then runs it and
# graphql-js's timing of the same documents one after the other on the same core (taskset),
# and prints the ratios, also written to bench/results/graphql-<date>.md.
# Ratios are given for wall time and for CPU time; on a shared machine the CPU-time ratio is
# the meaningful one (graphql-js's CPU time includes its garbage collector's threads).
#
#   bench/graphql/run.sh [--cpu N] [--min-time SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
cpu=1
min_time=2
while (($#)); do
  case $1 in
    --cpu) cpu=$2; shift 2 ;;
    --min-time) min_time=$2; shift 2 ;;
    *) echo "usage: $0 [--cpu N] [--min-time SECONDS]" >&2; exit 2 ;;
  esac
done
build_dir=${ALATAR_BENCH_BUILD_DIR:-build-gql-bench}

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DALATAR_BUILD_BENCH=ON \
  "-DALATAR_ONLY_AREAS=common;asio_impl;graphql" >/dev/null
cmake --build "$build_dir" --target graphql_bench

out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT
echo "running graphql_bench on cpu $cpu ..." >&2
taskset -c "$cpu" "$build_dir/bench/graphql/graphql_bench" --benchmark_min_time="$min_time" \
  --benchmark_format=json >"$out_dir/cpp.json"
echo "running graphql-js on cpu $cpu ..." >&2
taskset -c "$cpu" node bench/graphql/graphqljs_bench.mjs --min-time "$min_time" >"$out_dir/js.json"

mkdir -p bench/results
report=bench/results/graphql-$(date +%Y-%m-%d).md
node - "$out_dir/cpp.json" "$out_dir/js.json" "$(uptime)" >"$report" <<'JS'
const fs = require('node:fs');
const [cppPath, jsPath, uptime] = process.argv.slice(2);
const cpp = JSON.parse(fs.readFileSync(cppPath, 'utf8'));
const js = JSON.parse(fs.readFileSync(jsPath, 'utf8'));
const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`);
const lines = [
  `# GraphQL engine vs graphql-js ${js.graphql_version} (node ${js.node_version}), one core`,
  '',
  `${new Date().toISOString()}; ${cpp.context.host_name}; load: ${uptime.trim()}`,
  '',
  '| case | alatar wall | graphql-js wall | ratio (wall) | alatar CPU | graphql-js CPU | ratio (CPU) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const c of js.cases) {
  const b = cpp.benchmarks.find((x) => x.name === c.name);
  if (!b) continue;
  const scale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[b.time_unit];
  const wall = b.real_time * scale;
  const cpu = b.cpu_time * scale;
  lines.push(
    `| ${c.name} | ${fmt(wall)} | ${fmt(c.mean_ns)} | ${(c.mean_ns / wall).toFixed(1)}× | ${fmt(cpu)} | ` +
      `${fmt(c.cpu_ns)} | ${(c.cpu_ns / cpu).toFixed(1)}× |`,
  );
}
console.log(lines.join('\n'));
JS
cat "$report"
echo "written to $report" >&2
