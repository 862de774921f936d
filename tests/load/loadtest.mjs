// The load test of issue 12 (`make loadtest`, scripts/loadtest): N merchants, each a user with a linked simulator
// store, send mixed traffic for a fixed time to two `alatar api` and two `alatar worker` processes.
//
//   set-up  register + startShopifyOAuth + the simulator's authorize redirect + completeShopifyOAuth per merchant,
//           bounded concurrency, not part of the latency goal;
//   mixed   per merchant a loop of reads (me, me.stores, listAnalysisRequests, analysisRequest) at a modest rate;
//           submissions at --submissions-per-minute across merchants (each store's first one backfills its
//           cache), each watched by an analysisRequestUpdates subscription (graphql-transport-ws); approvals of a
//           PENDING proposal of some finished analyses;
//   drain   waits (bounded) until every submitted analysis and every approved proposal is terminal.
//
// Goals (exit 1 when one is missed; the report is written either way): API p95 under 50 ms over every
// query/mutation of the mixed phase (HTTP round trip seen by the client), no error (any GraphQL error, non-200,
// transport or subscription error), every analysis COMPLETED.
//
// usage: node tests/load/loadtest.mjs --alatar BIN --sim BIN [--merchants 500] [--duration 120]
//        [--submissions-per-minute 50] [--read-interval 10] [--approve-share 0.5] [--setup-concurrency 8]
//        [--drain-timeout 600] [--out FILE] [--command TEXT]
// Needs ALATAR_TEST_DATABASE_URL and ALATAR_TEST_AMQP_URL (eval "$(scripts/services --profile test env)").
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nodeRequire = createRequire(path.join(repoRoot, 'tests/node/package.json'));
const WebSocket = nodeRequire('ws');
const { createClient } = nodeRequire('graphql-ws');

const APP_KEY = 'load-app-key';
const APP_SECRET = 'load-app-secret';
const SHOP_SUFFIX = '.myshopify.test';
const P95_GOAL_MS = 50;
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
const PROPOSAL_SETTLED = new Set(['SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'UNDONE', 'UNDO_FAILED']);
// Prompts across the reasoner's intents; those marked propose usually yield a proposal to approve.
const PROMPTS = [
  'How were sales last month?',
  'Which product descriptions should I improve?',
  'What are my best selling products?',
  'Should I run a discount?',
  'Which products are not selling?',
  'Why did sales drop last week?',
  'Which products are about to run out of stock?',
  "What's my repeat purchase rate?",
];

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = {
    merchants: 500, duration: 120, submissionsPerMinute: 50, readInterval: 10, approveShare: 0.5,
    setupConcurrency: 8, drainTimeout: 600, out: '', command: '', alatar: '', sim: '', seed: 7,
  };
  const numeric = {
    '--merchants': 'merchants', '--duration': 'duration', '--submissions-per-minute': 'submissionsPerMinute',
    '--read-interval': 'readInterval', '--approve-share': 'approveShare', '--setup-concurrency': 'setupConcurrency',
    '--drain-timeout': 'drainTimeout', '--seed': 'seed',
  };
  for (let i = 2; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    if (numeric[flag]) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number`);
      o[numeric[flag]] = n;
    } else if (flag === '--alatar' || flag === '--sim') {
      o[flag.slice(2)] = path.resolve(value);
    } else if (flag === '--out' || flag === '--command') {
      o[flag.slice(2)] = value;
    } else {
      throw new Error(`unknown option ${flag}`);
    }
  }
  if (!o.alatar || !o.sim) throw new Error('usage: node tests/load/loadtest.mjs --alatar BIN --sim BIN [options]');
  if (o.merchants < 1) throw new Error('--merchants must be at least 1');
  return o;
}

function requireEnv(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`FAIL  ${name} is not set: run \`eval "$(scripts/services --profile test env)"\` after ` +
      '`scripts/services --profile test start`');
    process.exit(1);
  }
  return v;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => console.log(`loadtest: ${msg}`);

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

// ---------------------------------------------------------------- processes
const children = [];
function start(name, bin, args, env) {
  const logs = [];
  const child = spawn(bin, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d) => {
    logs.push(d.toString());
    if (logs.length > 400) logs.splice(0, 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const proc = { name, child, logs, exited };
  children.push(proc);
  return proc;
}

async function waitHealthy(proc, url) {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited early:\n${proc.logs.join('')}`);
    await sleep(100);
  }
  throw new Error(`${proc.name} did not come up:\n${proc.logs.join('')}`);
}

async function stopAll() {
  for (const p of children) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.race([Promise.all(children.map((p) => p.exited)), sleep(20000)]);
  for (const p of children) if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

// User + system CPU seconds of a process so far (Linux /proc).
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------- measurements
class Stats {
  constructor() {
    this.ops = new Map();      // op -> latencies (ms) of the measured phase
    this.errors = new Map();   // code -> { count, example }
    this.measuring = false;
  }
  record(op, ms) {
    if (!this.measuring) return;
    if (!this.ops.has(op)) this.ops.set(op, []);
    this.ops.get(op).push(ms);
  }
  error(code, example) {
    const e = this.errors.get(code) ?? { count: 0, example };
    e.count++;
    this.errors.set(code, e);
  }
  errorCount() {
    let n = 0;
    for (const e of this.errors.values()) n += e.count;
    return n;
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function summarize(values) {
  const s = [...values].sort((a, b) => a - b);
  return { count: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) };
}

const fmt = (ms) => (Number.isFinite(ms) ? (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)) : '-');

// One GraphQL request over HTTP: the round trip is recorded under `op`; any error is counted and thrown.
async function gql(stats, op, base, query, variables, merchant) {
  const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
  if (merchant) {
    headers['x-forwarded-for'] = merchant.address;
    if (merchant.token) headers.authorization = 'Bearer ' + merchant.token;
  }
  const started = performance.now();
  let status = 0;
  let body;
  try {
    const r = await fetch(base + '/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    status = r.status;
    body = await r.json().catch(() => undefined);
  } catch (e) {
    stats.error(`TRANSPORT (${op})`, String(e.cause?.code ?? e.message));
    throw e;
  }
  stats.record(op, performance.now() - started);
  if (status !== 200 || body === undefined || body.errors) {
    const code = body?.errors?.[0]?.extensions?.code ?? `HTTP_${status}`;
    stats.error(`${code} (${op})`, JSON.stringify(body?.errors ?? body ?? status).slice(0, 300));
    throw new Error(`${op}: ${code}`);
  }
  return body.data;
}

// ---------------------------------------------------------------- phases
async function setUpMerchant(stats, m, simBase) {
  const register = await gql(stats, 'register', m.api,
    'mutation($i: RegisterInput!) { register(input: $i) { token } }',
    { i: { email: `load-${m.index}-${randomBytes(3).toString('hex')}@example.test`, password: 'load-test-pass-phrase' } },
    m);
  m.token = register.register.token;
  const started = await gql(stats, 'startShopifyOAuth', m.api,
    'mutation($s: String!) { startShopifyOAuth(shop: $s) { authorizationUrl } }', { s: m.shop }, m);
  const authorize = await fetch(started.startShopifyOAuth.authorizationUrl, { redirect: 'manual' });
  const callback = authorize.headers.get('location');
  if (authorize.status < 300 || authorize.status >= 400 || !callback) {
    stats.error('SIM_AUTHORIZE', `${authorize.status} from ${simBase}`);
    throw new Error('the simulator did not redirect back');
  }
  const linked = await gql(stats, 'completeShopifyOAuth', m.api,
    'mutation($i: CompleteShopifyOAuthInput!) { completeShopifyOAuth(input: $i) { id status } }',
    { i: { query: new URL(callback).search.slice(1) } }, m);
  if (linked.completeShopifyOAuth.status !== 'ACTIVE') {
    stats.error('STORE_NOT_ACTIVE', JSON.stringify(linked));
    throw new Error('store not active');
  }
  m.storeId = linked.completeShopifyOAuth.id;
}

async function pool(items, concurrency, fn) {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(runners);
}

// Exponentially distributed wait with the given mean (s), so merchants do not move in lockstep.
const jitter = (meanSeconds) => -Math.log(1 - Math.random()) * meanSeconds * 1000;

const READS = [
  ['me', 'query { me { id email preferences { timezone } } }', () => ({})],
  ['me.stores', 'query { me { stores { id shopDomain status lastSyncedAt } } }', () => ({})],
  ['listAnalysisRequests',
    'query { listAnalysisRequests(first: 10) { totalCount edges { node { id status progress createdAt } } } }',
    () => ({})],
];
const READ_REQUEST = 'query($id: ID!) { analysisRequest(id: $id) { id status progress intent error ' +
  'result { summary kpis { key value } } proposals { id kind status } } }';

async function readLoop(stats, m, until) {
  // Start spread over one read interval, so the merchants do not all read in the first second.
  await sleep(Math.min(Math.random() * m.readInterval * 1000, Math.max(0, until.ms())));
  while (until.ms() > 0) {
    const pick = Math.floor(Math.random() * (READS.length + (m.requests.length ? 1 : 0)));
    try {
      if (pick < READS.length) {
        const [op, query, vars] = READS[pick];
        await gql(stats, op, m.api, query, vars(), m);
      } else {
        const r = m.requests[Math.floor(Math.random() * m.requests.length)];
        await gql(stats, 'analysisRequest', m.api, READ_REQUEST, { id: r.id }, m);
      }
    } catch { /* counted */ }
    await sleep(Math.min(jitter(m.readInterval), Math.max(0, until.ms())));
  }
}

function wsClient(stats, m) {
  if (m.ws) return m.ws;
  const address = m.address;
  // graphql-ws constructs `new WebSocket(url, protocol)`; this adds the merchant's forwarded address.
  class ForwardedWebSocket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { headers: { 'x-forwarded-for': address } });
    }
  }
  m.ws = createClient({
    url: m.api.replace('http://', 'ws://') + '/graphql', webSocketImpl: ForwardedWebSocket,
    connectionParams: { token: m.token }, retryAttempts: 0, lazy: true, lazyCloseTimeout: 1000,
    on: { error: (e) => stats.error('WS_ERROR', String(e?.message ?? e)) },
  });
  return m.ws;
}

// Watches one request until its stream completes; resolves with the terminal status seen (or undefined).
function watch(stats, m, r) {
  const subscribed = performance.now();
  let first = true;
  return new Promise((resolve) => {
    let last;
    wsClient(stats, m).subscribe({
      query: 'subscription($r: ID!) { analysisRequestUpdates(requestId: $r) { event request { id status } } }',
      variables: { r: r.id },
    }, {
      next: (v) => {
        if (first) {
          first = false;
          stats.record('subscription snapshot', performance.now() - subscribed);
        }
        if (v.errors) stats.error('SUBSCRIPTION_ERROR', JSON.stringify(v.errors).slice(0, 300));
        r.updates++;
        last = v.data?.analysisRequestUpdates?.request?.status;
        if (TERMINAL.has(last) && !r.terminalAt) {
          r.terminalAt = performance.now();
          r.status = last;
        }
      },
      error: (e) => {
        stats.error('SUBSCRIPTION_ERROR', String(e?.message ?? JSON.stringify(e)).slice(0, 300));
        resolve(last);
      },
      complete: () => resolve(last),
    });
  });
}

async function submit(stats, m, state) {
  const prompt = PROMPTS[state.submitted % PROMPTS.length];
  state.submitted++;
  const firstForStore = m.requests.length === 0;
  const askedAt = performance.now();
  let data;
  try {
    data = await gql(stats, 'submitAnalysisRequest', m.api,
      'mutation($p: String!, $s: ID) { submitAnalysisRequest(prompt: $p, storeId: $s) { id status } }',
      { p: prompt, s: m.storeId }, m);
  } catch {
    state.submitFailures++;
    return;
  }
  const r = { id: data.submitAnalysisRequest.id, prompt, askedAt, firstForStore, status: undefined, terminalAt: 0,
              updates: 0, merchant: m };
  m.requests.push(r);
  state.requests.push(r);
  r.watched = watch(stats, m, r).then(() => maybeApprove(stats, m, r, state));
}

async function maybeApprove(stats, m, r, state) {
  if (r.status !== 'COMPLETED' || Math.random() >= state.approveShare) return;
  let detail;
  try {
    detail = await gql(stats, 'analysisRequest', m.api, READ_REQUEST, { id: r.id }, m);
  } catch {
    return;
  }
  const pending = detail.analysisRequest?.proposals?.find((p) => p.status === 'PENDING');
  if (!pending) return;
  const a = { id: pending.id, kind: pending.kind, merchant: m, status: 'PENDING' };
  state.approvals.push(a);
  try {
    const approved = await gql(stats, 'approveActionProposal', m.api,
      'mutation($id: ID!) { approveActionProposal(id: $id) { id status } }', { id: pending.id }, m);
    a.status = approved.approveActionProposal.status;
  } catch {
    a.status = 'APPROVE_ERROR';
  }
}

// Submissions spread evenly over the phase, merchants in a shuffled order (each store's first submission
// backfills it; later rounds hit a warm cache).
async function submitLoop(stats, merchants, state, until, perMinute) {
  if (perMinute <= 0) return;
  const order = [...merchants].sort(() => Math.random() - 0.5);
  const gapMs = 60000 / perMinute;
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; until.ms() > 0; i++) {
    pending.push(submit(stats, order[i % order.length], state));
    const wait = t0 + (i + 1) * gapMs - performance.now();
    if (wait > 0) await sleep(Math.min(wait, Math.max(0, until.ms())));
  }
  await Promise.all(pending);
}

async function drain(stats, state, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const openRequests = () => state.requests.filter((r) => !r.status);
  const openApprovals = () => state.approvals.filter((a) => !PROPOSAL_SETTLED.has(a.status) && a.status !== 'APPROVE_ERROR');
  while (Date.now() < deadline && (openRequests().length || openApprovals().length)) {
    await sleep(2000);
    // A stream that ended without a terminal status (or a missed update): read the request itself.
    for (const r of openRequests()) {
      if (r.watchedDone) {
        try {
          const d = await gql(stats, 'analysisRequest (drain)', r.merchant.api, READ_REQUEST, { id: r.id }, r.merchant);
          if (TERMINAL.has(d.analysisRequest?.status)) {
            r.status = d.analysisRequest.status;
            r.terminalAt = performance.now();
          }
        } catch { /* counted */ }
      }
    }
    for (const a of openApprovals()) {
      try {
        const d = await gql(stats, 'actionProposal (drain)', a.merchant.api,
          'query($id: ID!) { actionProposal(id: $id) { status outcome { succeeded message } } }', { id: a.id },
          a.merchant);
        a.status = d.actionProposal?.status ?? a.status;
        a.message = d.actionProposal?.outcome?.message;
      } catch { /* counted */ }
    }
  }
  // Approvals still open when the requests were done are read once more (their execution may lag).
  for (const a of openApprovals()) {
    try {
      const d = await gql(stats, 'actionProposal (drain)', a.merchant.api,
        'query($id: ID!) { actionProposal(id: $id) { status outcome { succeeded message } } }', { id: a.id },
        a.merchant);
      a.status = d.actionProposal?.status ?? a.status;
    } catch { /* counted */ }
  }
}

// ---------------------------------------------------------------- report
function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
    `${os.type()} ${os.release()}, Node ${process.version}`;
}

function revision() {
  try {
    return 'commit ' + execFileSync('git', ['-C', repoRoot, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown commit';
  }
}

function report(o, state, stats, timing, cpu) {
  const lines = [];
  const now = new Date().toISOString();
  const mixedOps = [...stats.ops.entries()].filter(([op]) => !op.startsWith('subscription') && !op.includes('(drain)'));
  const all = summarize(mixedOps.flatMap(([, v]) => v));
  const terminal = state.requests.filter((r) => r.status);
  const completed = terminal.filter((r) => r.status === 'COMPLETED');
  const failed = terminal.filter((r) => r.status === 'FAILED');
  const cancelled = terminal.filter((r) => r.status === 'CANCELLED');
  const unfinished = state.requests.length - terminal.length;
  const ttc = (rs) => summarize(rs.filter((r) => r.terminalAt).map((r) => r.terminalAt - r.askedAt));
  const errors = stats.errorCount();
  const goals = [
    ['API p95 (every query/mutation of the mixed phase)', `< ${P95_GOAL_MS} ms`, `${fmt(all.p95)} ms`,
      all.count > 0 && all.p95 < P95_GOAL_MS],
    ['Errors (GraphQL errors, non-200, transport, subscription)', '0', String(errors), errors === 0],
    ['Analyses completed', `${state.requests.length} of ${state.requests.length}`,
      `${completed.length} of ${state.requests.length}`,
      state.requests.length > 0 && completed.length === state.requests.length && state.submitFailures === 0],
  ];
  const passed = goals.every((g) => g[3]);

  lines.push(`# Load test — ${now.slice(0, 10)}`, '');
  lines.push(`${o.merchants} merchants, each a user with a linked simulator store (\`micro\` profile), ` +
    `${o.duration} s of mixed traffic against two \`alatar api\` and two \`alatar worker\` processes. ` +
    `Result: **${passed ? 'all goals met' : 'goal missed'}**.`, '');
  lines.push('## Goals', '', '| Goal | Target | Measured | |', '|---|---|---|---|');
  for (const [what, target, got, ok] of goals) lines.push(`| ${what} | ${target} | ${got} | ${ok ? 'met' : '**missed**'} |`);
  lines.push('');
  lines.push('## API latency (mixed phase, HTTP round trip seen by the load generator)', '',
    '| Operation | Requests | p50 ms | p95 ms | p99 ms | max ms |', '|---|---:|---:|---:|---:|---:|');
  for (const [op, v] of [...mixedOps].sort((a, b) => b[1].length - a[1].length)) {
    const s = summarize(v);
    lines.push(`| ${op} | ${s.count} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |`);
  }
  lines.push(`| **all** | ${all.count} | ${fmt(all.p50)} | ${fmt(all.p95)} | ${fmt(all.p99)} | ${fmt(all.max)} |`);
  lines.push('', `Throughput: ${(all.count / o.duration).toFixed(1)} requests/s over the ${o.duration} s phase.`);
  const other = [...stats.ops.entries()].filter(([op]) => op.startsWith('subscription') || op.includes('(drain)'));
  if (other.length) {
    lines.push('', 'Not in the goal: subscription set-up (subscribe → SNAPSHOT over an open or new WebSocket) and ' +
      'the drain phase\'s polling.', '', '| Operation | Count | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|');
    for (const [op, v] of other) {
      const s = summarize(v);
      lines.push(`| ${op} | ${s.count} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |`);
    }
  }
  lines.push('', '## Errors', '');
  if (errors === 0) {
    lines.push('None.');
  } else {
    lines.push('| Code (operation) | Count | Example |', '|---|---:|---|');
    for (const [code, e] of stats.errors) lines.push(`| ${code} | ${e.count} | \`${String(e.example).replace(/[|`\n]/g, ' ')}\` |`);
  }
  const first = ttc(completed.filter((r) => r.firstForStore));
  const later = ttc(completed.filter((r) => !r.firstForStore));
  const every = ttc(completed);
  lines.push('', '## Analyses', '',
    `Submitted ${state.requests.length} (${state.submitFailures} submissions refused), completed ${completed.length}, ` +
    `failed ${failed.length}, cancelled ${cancelled.length}, not finished within the drain bound ${unfinished}. ` +
    `Subscriptions opened: ${state.requests.length}, updates received: ` +
    `${state.requests.reduce((n, r) => n + r.updates, 0)}.`, '',
    '| Time to completion (submit → terminal update) | Count | p50 s | p95 s | max s |', '|---|---:|---:|---:|---:|',
    `| first analysis of a store (cache backfill included) | ${first.count} | ${fmt(first.p50 / 1000)} | ${fmt(first.p95 / 1000)} | ${fmt(first.max / 1000)} |`,
    `| later analyses (warm cache) | ${later.count} | ${fmt(later.p50 / 1000)} | ${fmt(later.p95 / 1000)} | ${fmt(later.max / 1000)} |`,
    `| all | ${every.count} | ${fmt(every.p50 / 1000)} | ${fmt(every.p95 / 1000)} | ${fmt(every.max / 1000)} |`);
  const failures = [...failed, ...cancelled].slice(0, 5);
  if (failures.length) lines.push('', 'Failed examples: ' + failures.map((r) => `"${r.prompt}" → ${r.status}`).join('; '));
  const outcomes = new Map();
  for (const a of state.approvals) outcomes.set(a.status, (outcomes.get(a.status) ?? 0) + 1);
  const kinds = new Map();
  for (const a of state.approvals) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  lines.push('', '## Approvals', '',
    `${state.approvals.length} PENDING proposals approved (share ${o.approveShare} of the completed analyses that ` +
    `had one) — kinds: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; outcomes: ` +
    `${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}.`);
  lines.push('', '## Set-up and drain (not timed into the goal)', '',
    `Set-up of ${o.merchants} merchants (register, startShopifyOAuth, the simulator's authorize redirect, ` +
    `completeShopifyOAuth; ${o.setupConcurrency} at a time): ${(timing.setupMs / 1000).toFixed(1)} s. ` +
    `Drain after the mixed phase: ${(timing.drainMs / 1000).toFixed(1)} s.`);
  lines.push('', '## Server CPU during the mixed phase and drain', '', '| Process | CPU s |', '|---|---:|');
  for (const [name, s] of cpu) lines.push(`| ${name} | ${Number.isFinite(s) ? s.toFixed(1) : '-'} |`);
  const apiCpu = cpu.filter(([name]) => name.startsWith('api')).reduce((t, [, s]) => t + s, 0);
  const apiRequests = [...stats.ops.values()].reduce((t, v) => t + v.length, 0);
  if (apiRequests > 0 && Number.isFinite(apiCpu)) {
    lines.push('', `API processes: ${((apiCpu * 1e6) / apiRequests).toFixed(0)} ms CPU per 1,000 requests ` +
      `(${apiRequests} HTTP requests and subscriptions, WebSocket traffic included). ` +
      `Load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}.`);
  }
  lines.push('', '## Set-up', '',
    `- Machine: ${machine()}. Load generator, servers, simulator, PostgreSQL and RabbitMQ share it.`,
    `- Traffic: each merchant reads every ~${o.readInterval} s on average (exponential gaps; me, me.stores, ` +
    'listAnalysisRequests(first: 10), analysisRequest of one of its requests); ' +
    `${o.submissionsPerMinute} submissions a minute across merchants (prompts rotate over ${PROMPTS.length} intents), ` +
    'each watched by an analysisRequestUpdates subscription on the merchant\'s API over graphql-transport-ws ' +
    '(one WebSocket per merchant); merchants alternate between the two API processes.',
    '- Every merchant sends its own X-Forwarded-For address (ALATAR_TRUST_PROXY=true): the per-address and ' +
    'per-user rate limits stay on at their defaults.',
    '- Processes: `alatar api` ×2 (ALATAR_IO_THREADS=1 each), `alatar worker --concurrency 2` ×2 (one runs the ' +
    'outbox relay), `alatar-shopify-sim serve --profile micro` (shops generated on first use), offline reasoner ' +
    '(no LLM key).',
    `- Options: --merchants ${o.merchants} --duration ${o.duration} --submissions-per-minute ` +
    `${o.submissionsPerMinute} --read-interval ${o.readInterval} --approve-share ${o.approveShare} ` +
    `--setup-concurrency ${o.setupConcurrency} --drain-timeout ${o.drainTimeout} --seed ${o.seed}.`,
    `- Code: ${revision()}.`,
    `- Command: \`${(o.command || process.argv.slice(1).join(' ')).trim()}\``, '');
  return { text: lines.join('\n'), passed };
}

// ---------------------------------------------------------------- main
async function main() {
  const o = parseArgs(process.argv);
  const admin = requireEnv('ALATAR_TEST_DATABASE_URL');
  const amqp = requireEnv('ALATAR_TEST_AMQP_URL');
  const today = new Date().toISOString().slice(0, 10);
  const stats = new Stats();
  const state = { requests: [], approvals: [], submitted: 0, submitFailures: 0, approveShare: o.approveShare };
  const timing = { setupMs: 0, drainMs: 0 };
  const cpu = [];

  const dbName = 'alatar_load_' + randomBytes(6).toString('hex');
  execFileSync('psql', [admin, '-qX', '-c', `CREATE DATABASE ${dbName}`], { stdio: 'inherit' });
  const dbUrl = new URL(admin);
  dbUrl.pathname = '/' + dbName;
  let passed = false;
  try {
    execFileSync(o.alatar, ['migrate', '--database-url', dbUrl.toString(), '--dir', path.join(repoRoot, 'migrations')],
      { stdio: ['ignore', 'ignore', 'inherit'] });

    const simPort = await freePort();
    const simBase = `http://127.0.0.1:${simPort}`;
    const sim = start('simulator', o.sim, ['serve', '--listen', `127.0.0.1:${simPort}`, '--app-key', APP_KEY,
      '--app-secret', APP_SECRET, '--shop-suffix', SHOP_SUFFIX, '--profile', 'micro', '--seed', String(o.seed),
      '--today', today, '--threads', '2', '--log-level', 'warning'], {});
    await waitHealthy(sim, simBase + '/_sim/healthz');

    const apiPorts = [await freePort(), await freePort()];
    const apiBases = apiPorts.map((p) => `http://127.0.0.1:${p}`);
    const env = {
      ALATAR_DATABASE_URL: dbUrl.toString(),
      ALATAR_AMQP_URL: amqp,
      ALATAR_AMQP_PREFIX: 'load' + process.pid,
      ALATAR_LOG_LEVEL: 'warning',
      ALATAR_PUBLIC_URL: apiBases[0],
      ALATAR_SHOPIFY_SHOP_URL: simBase + '/shops/{shop}',
      ALATAR_SHOPIFY_SHOP_SUFFIX: SHOP_SUFFIX,
      ALATAR_SHOPIFY_API_KEY: APP_KEY,
      ALATAR_SHOPIFY_API_SECRET: APP_SECRET,
      ALATAR_MASTER_KEY: 'load1:' + randomBytes(32).toString('base64'),
      ALATAR_TRUST_PROXY: 'true',
    };
    const apis = [];
    for (const [i, port] of apiPorts.entries()) {
      const api = start(`api-${i + 1}`, o.alatar, ['api'], { ...env, ALATAR_LISTEN: `127.0.0.1:${port}`, ALATAR_IO_THREADS: '1' });
      await waitHealthy(api, apiBases[i] + '/healthz');
      apis.push(api);
    }
    const workers = [
      start('worker-1', o.alatar, ['worker', '--concurrency', '2'],
        { ...env, ALATAR_WORKER_METRICS_LISTEN: `127.0.0.1:${await freePort()}` }),
      start('worker-2', o.alatar, ['worker', '--concurrency', '2', '--no-relay'],
        { ...env, ALATAR_WORKER_METRICS_LISTEN: `127.0.0.1:${await freePort()}` }),
    ];

    const merchants = Array.from({ length: o.merchants }, (_, i) => ({
      index: i,
      shop: `load-${String(i).padStart(4, '0')}${SHOP_SUFFIX}`,
      api: apiBases[i % 2],
      // One client address per merchant, as if each came from its own network.
      address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      readInterval: o.readInterval,
      token: undefined, storeId: undefined, requests: [], ws: undefined,
    }));

    log(`set-up: ${o.merchants} merchants register and link their stores`);
    const setupStart = performance.now();
    let setupFailures = 0;
    await pool(merchants, o.setupConcurrency, async (m) => {
      try {
        await setUpMerchant(stats, m, simBase);
      } catch {
        setupFailures++;
      }
    });
    timing.setupMs = performance.now() - setupStart;
    log(`set-up done in ${(timing.setupMs / 1000).toFixed(1)} s (${setupFailures} failed)`);
    const ready = merchants.filter((m) => m.storeId);
    if (ready.length === 0) throw new Error('no merchant could be set up');

    log(`mixed phase: ${o.duration} s`);
    const procs = [sim, ...apis, ...workers];
    const cpuBefore = procs.map((p) => cpuSeconds(p.child.pid));
    stats.measuring = true;
    const endAt = performance.now() + o.duration * 1000;
    const until = { ms: () => endAt - performance.now() };
    const progress = setInterval(() => {
      const done = state.requests.filter((r) => r.status).length;
      log(`  ${Math.max(0, Math.round(until.ms() / 1000))} s left, ${state.requests.length} submitted, ${done} finished, ` +
        `${stats.errorCount()} errors`);
    }, 15000);
    await Promise.all([
      ...ready.map((m) => readLoop(stats, m, until)),
      submitLoop(stats, ready, state, until, o.submissionsPerMinute),
    ]);
    clearInterval(progress);

    log(`drain: waiting for ${state.requests.filter((r) => !r.status).length} analyses`);
    const drainStart = performance.now();
    for (const r of state.requests) r.watched.then(() => { r.watchedDone = true; });
    const drainLeft = () => Math.max(0, drainStart + o.drainTimeout * 1000 - performance.now());
    await drain(stats, state, drainLeft());
    // Let approvals triggered by the last completions register, then wait for them too (same bound).
    await Promise.race([Promise.all(state.requests.map((r) => r.watched)), sleep(Math.min(10000, drainLeft()))]);
    await drain(stats, state, drainLeft());
    timing.drainMs = performance.now() - drainStart;
    stats.measuring = false;
    procs.forEach((p, i) => cpu.push([p.name, cpuSeconds(p.child.pid) - cpuBefore[i]]));
    for (const m of merchants) if (m.ws) await m.ws.dispose();
    if (setupFailures) stats.error('SETUP_FAILED', `${setupFailures} merchants could not be set up`);
  } catch (e) {
    // Still reported: an aborted run is a failed run, with whatever was measured until then.
    stats.error('RUN_ABORTED', e.message);
    console.error('loadtest:', e.stack ?? String(e));
  }
  try {
    const { text, passed: ok } = report(o, state, stats, timing, cpu);
    passed = ok;
    if (o.out) writeFileSync(o.out, text + '\n');
    console.log('\n' + text);
    if (!passed) {
      for (const p of children) {
        const tail = p.logs.join('').slice(-2000);
        if (tail.trim()) console.log(`---- ${p.name} output (tail) ----\n${tail}`);
      }
    }
  } finally {
    await stopAll();
    try {
      execFileSync('psql', [admin, '-qX', '-c', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]);
    } catch (e) {
      console.error('could not drop', dbName, e.message);
    }
  }
  process.exit(passed ? 0 : 1);
}

main();
