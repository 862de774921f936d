// The API benchmark driver (run by scripts/bench, which builds alatar, starts the services and seeds the data).
// For each server (alatar api with two I/O threads, Mercurius and Apollo Server 5 as two processes each): start
// it alone, check that its answers equal alatar's, warm it up, then for `me` and `listAnalysisRequests(first: 20)`
// at each connection count run wrk and read, before and after, the CPU time of the server's processes
// (/proc/<pid>/stat) and the database's committed transactions (pg_stat_database). Then pgbench runs exactly the
// SQL one request issues (bench/api/pgbench_*.sql) for the database-only ceiling. Writes a Markdown report.
//
//   node bench/api/run.mjs --alatar-bin build-bench/alatar --db-url URL --amqp-url URL --out FILE
//                         [--duration 10] [--connections 64,256] [--servers alatar,mercurius,apollo]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const here = path.join(repoRoot, 'bench/api');

function parseArgs() {
  const a = { duration: 10, warmup: 3, connections: [64, 256], servers: ['alatar', 'mercurius', 'apollo'],
    queries: ['typename', 'me', 'list'], poolTotal: 16, pgbenchClients: 16, threads: 2 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`missing value for ${k}`);
    if (k === '--alatar-bin') a.alatarBin = path.resolve(v);
    else if (k === '--db-url') a.dbUrl = v;
    else if (k === '--amqp-url') a.amqpUrl = v;
    else if (k === '--out') a.out = v;
    else if (k === '--duration') a.duration = Number(v);
    else if (k === '--warmup') a.warmup = Number(v);
    else if (k === '--connections') a.connections = v.split(',').map(Number);
    else if (k === '--servers') a.servers = v.split(',');
    else if (k === '--queries') a.queries = v.split(',');
    else if (k === '--command') a.command = v;
    else throw new Error(`unknown option ${k}`);
  }
  for (const k of ['alatarBin', 'dbUrl', 'amqpUrl', 'out']) if (!a[k]) throw new Error(`--${k} is required`);
  return a;
}

const args = parseArgs();
const log = (...m) => console.error('[bench]', ...m);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const psql = (sql) => execFileSync('psql', [args.dbUrl, '-qAtX', '-c', sql], { encoding: 'utf8' }).trim();

const allQueries = {
  // No resolver and no database work: the server's own cost per request (issue 4's figure).
  typename: { label: '`{ __typename }`', body: JSON.stringify({ query: '{ __typename }' }) },
  me: {
    label: '`me`', pgbench: 'pgbench_me.sql', body: JSON.stringify({ query: 'query Me { me { id email createdAt } }' }),
  },
  list: {
    label: '`listAnalysisRequests(first: 20)`',
    pgbench: 'pgbench_list.sql',
    body: JSON.stringify({
      query: 'query List { listAnalysisRequests(first: 20) { totalCount pageInfo { hasNextPage endCursor } ' +
        'edges { cursor node { id prompt status progress createdAt updatedAt } } } }',
    }),
  },
};
const queries = Object.fromEntries(args.queries.map((q) => {
  if (!allQueries[q]) throw new Error(`unknown query ${q} (known: ${Object.keys(allQueries).join(', ')})`);
  return [q, allQueries[q]];
}));

// ------------------------------------------------------------------ processes and CPU time

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function statOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');  // f[0] is field 3 (state)
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };  // utime + stime
  } catch {
    return null;
  }
}

// CPU seconds of `root` and all its descendants (the Node cluster's primary and workers).
function treeCpuSeconds(root) {
  const all = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = statOf(name);
    if (st) all.set(Number(name), st);
  }
  let total = 0;
  const stack = [root];
  const seen = new Set();
  while (stack.length) {
    const pid = stack.pop();
    if (seen.has(pid)) continue;
    seen.add(pid);
    const st = all.get(pid);
    if (st) total += st.ticks;
    for (const [child, cst] of all) if (cst.ppid === pid) stack.push(child);
  }
  return { seconds: total / clockTicks, processes: seen.size };
}

function rssKiB(root) {
  let total = 0;
  const pids = [root];
  for (const name of fs.readdirSync('/proc')) {
    if (/^\d+$/.test(name) && statOf(name)?.ppid === root) pids.push(Number(name));
  }
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch { /* gone */ }
  }
  return total;
}

const dbName = new URL(args.dbUrl).pathname.slice(1);
const committed = () => Number(psql(`SELECT xact_commit FROM pg_stat_database WHERE datname = '${dbName}'`));

async function startServer(name, port) {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp' };
  let child;
  if (name === 'alatar') {
    child = spawn(args.alatarBin, ['api'], {
      cwd: repoRoot,
      env: {
        ...base,
        ALATAR_DATABASE_URL: args.dbUrl,
        ALATAR_AMQP_URL: args.amqpUrl,
        ALATAR_AMQP_PREFIX: `bench${process.pid}`,
        ALATAR_LISTEN: `127.0.0.1:${port}`,
        ALATAR_IO_THREADS: '2',
        ALATAR_DB_POOL_SIZE: String(args.poolTotal),
        ALATAR_TRUST_PROXY: 'true',
        ALATAR_LOG_LEVEL: 'warning',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } else {
    child = spawn(process.execPath, [path.join(repoRoot, `bench/peers/${name}.mjs`)], {
      cwd: repoRoot,
      env: { ...base, NODE_ENV: 'production', DATABASE_URL: args.dbUrl, PORT: String(port), WORKERS: '2',
        POOL_SIZE: String(args.poolTotal / 2) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d.toString()));
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited early:\n${stderr.join('')}`);
    try {
      const r = await post(url, allQueries.me.body, tokens[0]);
      if (r.status === 200) return { child, url, stderr };
    } catch { /* not up yet */ }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer within 30 s:\n${stderr.join('')}`);
}

async function stopServer(s) {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  const t = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

async function post(url, body, token) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return { status: r.status, body: await r.text() };
}

// ------------------------------------------------------------------ wrk and pgbench

function runWrk(url, body, connections, seconds) {
  const out = execFileSync('wrk', ['-t', String(args.threads), '-c', String(connections), '-d', `${seconds}s`,
    '--latency', '--timeout', '10s', '-s', path.join(here, 'graphql.lua'), url], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_BODY: body, BENCH_TOKENS: tokensFile },
    maxBuffer: 16 << 20,
  });
  const line = out.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`wrk printed no BENCH line:\n${out}`);
  return JSON.parse(line.slice(6));
}

function runPgbench(script, seconds) {
  const out = execFileSync('pgbench', ['-n', '-M', 'extended', '-c', String(args.pgbenchClients), '-j',
    String(args.threads), '-T', String(seconds), '-D', `th=${tokenHash}`, '-D', `uid=${userId}`, '-f',
    path.join(here, script), args.dbUrl], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  const lat = /latency average = ([\d.]+) ms/.exec(out);
  if (!tps) throw new Error(`unexpected pgbench output:\n${out}`);
  return { tps: Number(tps[1]), latencyMs: lat ? Number(lat[1]) : NaN };
}

// ------------------------------------------------------------------ the run

const tokensFile = path.join(os.tmpdir(), `alatar-bench-tokens-${process.pid}.txt`);
fs.writeFileSync(tokensFile, psql('SELECT token FROM bench_tokens ORDER BY n') + '\n');
const tokens = fs.readFileSync(tokensFile, 'utf8').trim().split('\n');
const tokenHash = psql(`SELECT encode(sha256(convert_to('${tokens[0]}', 'UTF8')), 'hex')`);
const userId = psql("SELECT id FROM users WHERE email = 'bench@example.com'");
const storedRequests = Number(psql(`SELECT count(*) FROM analysis_requests WHERE user_id = '${userId}'`));

const loadBefore = os.loadavg();
const startedAt = new Date();
const results = [];  // {server, query, connections, rps, p50, p99, cpuPer1k, xactPerReq, errors}
const serverInfo = {};
let reference = {};  // normalised answers of the first server (alatar)
const normalise = (text) => JSON.stringify(JSON.parse(text));

for (const [i, name] of args.servers.entries()) {
  // Below the ephemeral range (32768-60999), where a client socket of any process could hold the port.
  const port = 21000 + (process.pid % 1000) * 4 + i;
  log(`starting ${name} on ${port}`);
  const s = await startServer(name, port);
  try {
    for (const [q, spec] of Object.entries(queries)) {
      const r = await post(s.url, spec.body, tokens[1]);
      const parsed = JSON.parse(r.body);
      if (r.status !== 200 || parsed.errors || !parsed.data) throw new Error(`${name} ${q}: ${r.status} ${r.body}`);
      if (reference[q] === undefined) reference[q] = normalise(r.body);
      else if (normalise(r.body) !== reference[q]) {
        throw new Error(`${name} answers ${q} differently from ${args.servers[0]}:\n${r.body}\n${reference[q]}`);
      }
    }
    const idleRss = rssKiB(s.child.pid);
    for (const [q, spec] of Object.entries(queries)) {
      log(`${name} ${q}: warm-up ${args.warmup} s`);
      runWrk(s.url, spec.body, args.connections[0], args.warmup);
      for (const c of args.connections) {
        const cpu0 = treeCpuSeconds(s.child.pid);
        const x0 = committed();
        const w = runWrk(s.url, spec.body, c, args.duration);
        const cpu1 = treeCpuSeconds(s.child.pid);
        const x1 = committed();
        const rps = w.requests / (w.duration_us / 1e6);
        const row = {
          server: name, query: q, connections: c, rps, p50: w.p50_us / 1000, p99: w.p99_us / 1000,
          cpuPer1k: ((cpu1.seconds - cpu0.seconds) * 1000 * 1000) / w.requests,  // ms per 1,000 requests
          cpuCores: (cpu1.seconds - cpu0.seconds) / (w.duration_us / 1e6),
          xactPerReq: (x1 - x0) / w.requests,
          errors: w.bad_status + w.graphql_errors + w.socket_errors + w.timeouts,
          processes: cpu1.processes,
        };
        results.push(row);
        log(`${name} ${q} c=${c}: ${rps.toFixed(0)} req/s p50 ${row.p50.toFixed(2)} ms p99 ${row.p99.toFixed(2)} ms ` +
          `cpu ${row.cpuPer1k.toFixed(1)} ms/1k, ${row.xactPerReq.toFixed(2)} db xact/req, errors ${row.errors}`);
      }
    }
    serverInfo[name] = { idleRss, loadedRss: rssKiB(s.child.pid) };
  } finally {
    await stopServer(s);
  }
}

const ceiling = {};
for (const [q, spec] of Object.entries(queries)) {
  if (!spec.pgbench) continue;
  log(`pgbench ${q}`);
  ceiling[q] = runPgbench(spec.pgbench, args.duration);
  log(`pgbench ${q}: ${ceiling[q].tps.toFixed(0)} tps`);
}
fs.rmSync(tokensFile, { force: true });
const loadAfter = os.loadavg();

// ------------------------------------------------------------------ the report

const cpuModel = os.cpus()[0]?.model ?? 'unknown';
const versions = {
  node: process.version,
  postgres: psql('SHOW server_version'),
  wrk: (() => { try { return execFileSync('wrk', ['-v'], { encoding: 'utf8' }).split('\n')[0]; } catch (e) { return String(e.stdout ?? '').split('\n')[0]; } })(),
  peers: JSON.parse(fs.readFileSync(path.join(repoRoot, 'bench/peers/package.json'), 'utf8')).dependencies,
};
function buildType() {
  try {
    const cache = fs.readFileSync(path.join(path.dirname(args.alatarBin), 'CMakeCache.txt'), 'utf8');
    const t = /CMAKE_BUILD_TYPE:STRING=(.*)/.exec(cache)?.[1] ?? '?';
    const san = /ALATAR_SANITIZE:STRING=(.+)/.exec(cache)?.[1];
    return san ? `${t}, sanitizers ${san}` : t;
  } catch {
    return 'build type unknown';
  }
}
const get = (server, q, c) => results.find((r) => r.server === server && r.query === q && r.connections === c);
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');

const L = [];
L.push(`# API benchmark: alatar vs Mercurius vs Apollo Server 5 (${startedAt.toISOString().slice(0, 10)})`, '');
L.push(`Started ${startedAt.toISOString()}, ${storedRequests} stored analysis requests for the benchmark user, ` +
  `${tokens.length} sessions (requests cycle through them; every request is authenticated against the database, ` +
  `no session cache). ${args.duration} s per cell after a ${args.warmup} s warm-up per query; wrk ${args.threads} threads.`, '');
L.push('## Machine', '');
L.push(`- ${os.cpus().length} × ${cpuModel}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`);
L.push(`- Load average before: ${loadBefore.map((x) => x.toFixed(2)).join(' ')}; after: ${loadAfter.map((x) => x.toFixed(2)).join(' ')}` +
  ' (the machine is shared: server, PostgreSQL, wrk and any other work all run on these cores).');
L.push(`- Node ${versions.node}; PostgreSQL ${versions.postgres}; ${versions.wrk}; peers: ` +
  Object.entries(versions.peers).map(([k, v]) => `${k} ${v}`).join(', '));
L.push(`- alatar: \`${path.relative(repoRoot, args.alatarBin)} api\` (${buildType()}), ALATAR_IO_THREADS=2, ALATAR_DB_POOL_SIZE=${args.poolTotal}, ` +
  'ALATAR_TRUST_PROXY=true (the rate limiter stays on; wrk sends one X-Forwarded-For per token). ' +
  `Peers: 2 Node processes (cluster, SCHED_NONE), pg pool ${args.poolTotal / 2} each, NODE_ENV=production.`, '');

for (const [q, spec] of Object.entries(queries)) {
  L.push(`## ${spec.label}`, '');
  if (ceiling[q]) {
    L.push(`Database-only ceiling (pgbench, the same SQL as one request, ${args.pgbenchClients} clients): ` +
      `**${f0(ceiling[q].tps)} req/s** (average ${f2(ceiling[q].latencyMs)} ms).`, '');
  } else {
    L.push('No database work: parsing, validation (cached document), execution and HTTP only.', '');
  }
  L.push('| server | conns | req/s | p50 ms | p99 ms | server CPU ms / 1k req | CPU cores used | DB xact / req | % of DB ceiling | errors |');
  L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of args.connections) {
    for (const name of args.servers) {
      const r = get(name, q, c);
      if (!r) continue;
      L.push(`| ${name} | ${c} | ${f0(r.rps)} | ${f2(r.p50)} | ${f2(r.p99)} | ${f1(r.cpuPer1k)} | ${f2(r.cpuCores)} | ` +
        `${f2(r.xactPerReq)} | ${ceiling[q] ? `${f0((100 * r.rps) / ceiling[q].tps)}%` : '–'} | ${r.errors} |`);
    }
  }
  L.push('');
  L.push('| conns | alatar / Mercurius req/s | alatar / Apollo req/s | Mercurius / alatar CPU per req | Apollo / alatar CPU per req |');
  L.push('| ---: | ---: | ---: | ---: | ---: |');
  for (const c of args.connections) {
    const a = get('alatar', q, c);
    const m = get('mercurius', q, c);
    const p = get('apollo', q, c);
    L.push(`| ${c} | ${ratio(a?.rps, m?.rps)} | ${ratio(a?.rps, p?.rps)} | ${ratio(m?.cpuPer1k, a?.cpuPer1k)} | ` +
      `${ratio(p?.cpuPer1k, a?.cpuPer1k)} |`);
  }
  L.push('');
}
L.push('## Memory (RSS, all processes of the server)', '');
L.push('| server | idle after start, MiB | after the run, MiB |', '| --- | ---: | ---: |');
for (const [name, m] of Object.entries(serverInfo)) {
  L.push(`| ${name} | ${(m.idleRss / 1024).toFixed(1)} | ${(m.loadedRss / 1024).toFixed(1)} |`);
}
L.push('');
L.push('## Against the goals (issues 4 and 12)', '');
for (const c of args.connections.slice(-1)) {
  const a = get('alatar', 'me', c);
  const al = get('alatar', 'list', c);
  const m = get('mercurius', 'me', c);
  const t = get('alatar', 'typename', c);
  if (t) {
    L.push(`- \`{ __typename }\` at ${c} keep-alive connections (issue 4): ${f0(t.rps)} req/s, p50 ${f2(t.p50)} ms, ` +
      `p99 ${f2(t.p99)} ms, ${f1(t.cpuPer1k)} ms of server CPU per 1,000 requests.`);
  }
  if (a && al && ceiling.me && ceiling.list) {
    L.push(`- At ${c} connections: \`me\` at ${f0((100 * a.rps) / ceiling.me.tps)}% and the list at ` +
      `${f0((100 * al.rps) / ceiling.list.tps)}% of the database-only ceiling (goal ≥ 60%); p99 ${f2(a.p99)} ms and ` +
      `${f2(al.p99)} ms (goal < 10 ms).`);
  }
  if (a && m) L.push(`- Server CPU per \`me\` request: Mercurius / alatar = ${ratio(m.cpuPer1k, a.cpuPer1k)} (goal ≥ 10×).`);
}
L.push('');
L.push('## How to rerun', '');
L.push('```', args.command ?? `node bench/api/run.mjs ${process.argv.slice(2).join(' ')}`, '```', '');
L.push('Each cell: `wrk -t2 -c<conns> -d' + args.duration + 's --latency --timeout 10s -s bench/api/graphql.lua ' +
  'http://127.0.0.1:<port>/graphql` with BENCH_BODY set to the query body and BENCH_TOKENS to the token file. ' +
  'CPU time is utime+stime of the server\'s processes from /proc/<pid>/stat before and after the cell. ' +
  `The ceiling: \`pgbench -n -M extended -c ${args.pgbenchClients} -j ${args.threads} -T ${args.duration} ` +
  '-D th=<token hash> -D uid=<user id> -f bench/api/pgbench_<me|list>.sql <db>`.');
L.push('');
L.push('Request bodies:', '');
for (const spec of Object.values(queries)) L.push('```json', spec.body, '```');
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, L.join('\n') + '\n');
log(`report written to ${args.out}`);
