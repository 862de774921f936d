#!/usr/bin/env bash
# The sync benchmarks of issue 5: builds sync_bench (Release), starts the private test services (idempotent; never
# stopped here, other suites share them), runs the backfill of the simulator's large profile by bulk operations and
# the paged sync at the Standard plan, and writes bench/results/sync-<date>.md (machine, commands, figures).
#
#   bench/shopify/run.sh [--profile tiny|small|large] [--window-hours H] [--plan standard|advanced|plus]
# (a plan other than standard shortens the backfill's paged REFUNDS phase; the paged figures are for Standard)
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=large
window_hours=6
plan=standard
while (($#)); do
  case $1 in
    --profile) profile=$2; shift 2 ;;
    --window-hours) window_hours=$2; shift 2 ;;
    --plan) plan=$2; shift 2 ;;
    *) echo "usage: $0 [--profile tiny|small|large] [--window-hours H] [--plan standard|advanced|plus]" >&2; exit 2 ;;
  esac
done
build_dir=${ALATAR_BENCH_BUILD_DIR:-build-sync-bench}

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DALATAR_BUILD_TESTS=ON -DALATAR_BUILD_BENCH=ON \
  "-DALATAR_ONLY_AREAS=common;asio_impl;graphql;http;shopify_sim;db;shopify" >/dev/null
cmake --build "$build_dir" --target sync_bench alatar-shopify-sim

scripts/services --profile test start >/dev/null
eval "$(scripts/services --profile test env)"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
command=("$build_dir/bench/shopify/sync_bench" --profile "$profile" --window-hours "$window_hours" --plan "$plan")
echo "running ${command[*]} ..." >&2
"${command[@]}" >"$out"

mkdir -p bench/results
report=bench/results/sync-$(date +%Y-%m-%d).md
{
  echo "# Sync benchmarks (issue 5), $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Goals: backfill of the \`large\` profile by bulk operation at >= 50,000 orders/s with parse and store"
  echo "included and RSS < 200 MB; paginated sync at the Standard plan within 10% of the leaky bucket's lower bound"
  echo "with no THROTTLED answer after the first page."
  echo
  echo "- machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/^Mem:/ {print $2}') GB RAM," \
    "shared with the simulator and PostgreSQL (same host); load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (with local changes)')," \
    "Release build ($build_dir), PostgreSQL of \`scripts/services --profile test\`"
  echo "- command: \`bench/shopify/run.sh --profile $profile --window-hours $window_hours --plan $plan\` (runs \`${command[*]}\`)"
  echo
  cat "$out"
} >"$report"
cat "$report"
echo "written to $report" >&2
