// The subscriptions benchmark of issues 4 and 12 (run by scripts/bench --suites ws, which builds alatar, starts
// the services and seeds the data): one `alatar api` process, `--connections` WebSocket clients speaking
// graphql-transport-ws (connection_init with a session token, connection_ack), then
//   - memory: the server's RSS before the first connection and with all of them open and idle, per connection;
//   - fan-out, `--rounds` times: `--fanout` of the open connections subscribe to analysisRequestUpdates of one
//     queued request (each first receives its SNAPSHOT), then cancelAnalysisRequest over HTTP changes it; the
//     latency of a subscriber is from sending the mutation to receiving its STATUS_CHANGED update (the event goes
//     the real way: the outbox row, the relay, RabbitMQ, the API's event subscriber, the subscription's re-read).
// Timestamps are taken in this one Node process when a message is handled, so a busy client adds to the figures.
//
//   node bench/api/ws.mjs --alatar-bin build-bench/alatar --db-url URL --amqp-url URL --out FILE
//                        [--connections 10000] [--fanout 1000] [--rounds 10]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WebSocket = createRequire(path.join(repoRoot, 'bench/peers/package.json'))('ws');

function parseArgs() {
  const a = { connections: 10000, fanout: 1000, rounds: 10, poolTotal: 16 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`missing value for ${k}`);
    if (k === '--alatar-bin') a.alatarBin = path.resolve(v);
    else if (k === '--db-url') a.dbUrl = v;
    else if (k === '--amqp-url') a.amqpUrl = v;
    else if (k === '--out') a.out = v;
    else if (k === '--connections') a.connections = Number(v);
    else if (k === '--fanout') a.fanout = Number(v);
    else if (k === '--rounds') a.rounds = Number(v);
    else if (k === '--command') a.command = v;
    else throw new Error(`unknown option ${k}`);
  }
  for (const k of ['alatarBin', 'dbUrl', 'amqpUrl', 'out']) if (!a[k]) throw new Error(`--${k} is required`);
  if (a.fanout > a.connections) throw new Error('--fanout cannot exceed --connections');
  return a;
}

const args = parseArgs();
const log = (...m) => console.error('[bench-ws]', ...m);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const psql = (sql) => execFileSync('psql', [args.dbUrl, '-qAtX', '-c', sql], { encoding: 'utf8' }).trim();
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

// ------------------------------------------------------------------ the server

const tokens = psql('SELECT token FROM bench_tokens ORDER BY n').split('\n');
// Below the ephemeral range (32768-60999), where a client socket of any process could hold the port.
const port = 25000 + (process.pid % 1000) * 2;
const httpUrl = `http://127.0.0.1:${port}/graphql`;
const wsUrl = `ws://127.0.0.1:${port}/graphql`;

async function post(body, token) {
  const r = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${text}`);
  const parsed = JSON.parse(text);
  if (parsed.errors) throw new Error(`GraphQL errors: ${text}`);
  return parsed.data;
}

async function startServer() {
  const child = spawn(args.alatarBin, ['api'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? '/tmp',
      ALATAR_DATABASE_URL: args.dbUrl,
      ALATAR_AMQP_URL: args.amqpUrl,
      ALATAR_AMQP_PREFIX: `benchws${process.pid}`,
      ALATAR_LISTEN: `127.0.0.1:${port}`,
      ALATAR_IO_THREADS: '2',
      ALATAR_DB_POOL_SIZE: String(args.poolTotal),
      ALATAR_TRUST_PROXY: 'true',
      ALATAR_MAX_CONNECTIONS: String(args.connections + 100),
      ALATAR_LOG_LEVEL: 'warning',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d.toString()));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`alatar api exited early:\n${stderr.join('')}`);
    try {
      await post({ query: '{ __typename }' }, tokens[0]);
      return { child, stderr };
    } catch { /* not up yet */ }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`alatar api did not answer within 30 s:\n${stderr.join('')}`);
}

// ------------------------------------------------------------------ clients

// One graphql-transport-ws client: resolves once acknowledged; `onNext(id, payload)` receives every `next`.
function connect(i) {
  return new Promise((resolve, reject) => {
    // A distinct forwarded address per client: the per-address limit on upgrades stays on.
    const forwarded = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws', { headers: { 'X-Forwarded-For': forwarded } });
    const client = { ws, handlers: new Map(), closed: null };
    const timer = setTimeout(() => reject(new Error(`client ${i}: no connection_ack within 30 s`)), 30_000);
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'connection_init', payload: { token: tokens[i % tokens.length] } }));
    });
    ws.on('message', (data) => {
      const at = performance.now();
      const m = JSON.parse(data.toString());
      if (m.type === 'connection_ack') {
        clearTimeout(timer);
        resolve(client);
      } else if (m.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      } else if (m.type === 'next' || m.type === 'error' || m.type === 'complete') {
        client.handlers.get(m.id)?.(m, at);
      }
    });
    ws.on('close', (code, reason) => {
      client.closed = `${code} ${reason}`;
      clearTimeout(timer);
      reject(new Error(`client ${i} closed: ${code} ${reason}`));
    });
    ws.on('error', (e) => reject(e));
  });
}

async function openAll(n) {
  const clients = new Array(n);
  const batch = 250;
  for (let start = 0; start < n; start += batch) {
    const part = [];
    for (let i = start; i < Math.min(n, start + batch); i++) part.push(connect(i).then((c) => { clients[i] = c; }));
    await Promise.all(part);
  }
  return clients;
}

const subscription = 'subscription Updates($id: ID!) { analysisRequestUpdates(requestId: $id) { event request { id status progress updatedAt } } }';

// Subscribes `clients` to `requestId`; resolves when each has its SNAPSHOT, with `updated`: a promise of every
// client's arrival time of the first update after the snapshot.
async function subscribeAll(clients, requestId, round) {
  const snapshots = [];
  const updates = [];
  for (const [k, c] of clients.entries()) {
    const id = `r${round}-${k}`;
    let seenSnapshot = false;
    snapshots.push(new Promise((resolveSnapshot, rejectSnapshot) => {
      updates.push(new Promise((resolveUpdate, rejectUpdate) => {
        c.handlers.set(id, (m, at) => {
          if (m.type === 'error') {
            const e = new Error(`subscription error: ${JSON.stringify(m.payload)}`);
            rejectSnapshot(e);
            rejectUpdate(e);
          } else if (m.type === 'complete') {
            c.handlers.delete(id);
            rejectUpdate(new Error('completed before an update arrived'));
          } else if (!seenSnapshot) {
            seenSnapshot = true;
            if (m.payload?.data?.analysisRequestUpdates?.event !== 'SNAPSHOT') {
              rejectSnapshot(new Error(`first message is not the snapshot: ${JSON.stringify(m.payload)}`));
            }
            resolveSnapshot();
          } else {
            const u = m.payload?.data?.analysisRequestUpdates;
            if (u?.request?.status !== 'CANCELLED') {
              rejectUpdate(new Error(`unexpected update: ${JSON.stringify(m.payload)}`));
            }
            resolveUpdate(at);
          }
        });
      }));
    }));
    c.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: subscription, variables: { id: requestId } } }));
  }
  await Promise.all(snapshots);
  return { updated: Promise.all(updates) };  // wrapped: an async function would wait for a returned promise
}

// ------------------------------------------------------------------ the run

const startedAt = new Date();
const loadBefore = os.loadavg();
const server = await startServer();
const pid = server.child.pid;
let report;
try {
  await sleep(1000);
  const rssStart = rssKiB(pid);
  log(`opening ${args.connections} connections (server RSS ${(rssStart / 1024).toFixed(1)} MiB)`);
  const t0 = performance.now();
  const clients = await openAll(args.connections);
  const openSeconds = (performance.now() - t0) / 1000;
  await sleep(2000);
  const rssIdle = rssKiB(pid);
  const perConnection = ((rssIdle - rssStart) * 1024) / args.connections;
  log(`${args.connections} open in ${openSeconds.toFixed(1)} s; RSS ${(rssIdle / 1024).toFixed(1)} MiB, ` +
    `${(perConnection / 1024).toFixed(1)} KiB per idle connection`);

  // Queued requests of the benchmark user, by their API ids.
  const list = await post({ query: 'query Q($n: Int!) { listAnalysisRequests(first: $n, status: QUEUED) { edges { node { id status } } } }',
    variables: { n: args.rounds } }, tokens[0]);
  const requestIds = list.listAnalysisRequests.edges.map((e) => e.node.id);
  if (requestIds.length < args.rounds) throw new Error(`only ${requestIds.length} queued requests to cancel`);
  log(`${requestIds.length} queued requests to cancel`);

  const latencies = [];
  const rounds = [];
  for (let r = 0; r < args.rounds; r++) {
    const first = (r * args.fanout) % args.connections;
    const group = Array.from({ length: args.fanout }, (_, k) => clients[(first + k) % args.connections]);
    const tSub = performance.now();
    const { updated } = await subscribeAll(group, requestIds[r], r);
    const subscribeMs = performance.now() - tSub;
    await sleep(200);
    const tSend = performance.now();
    const answer = await post({ query: 'mutation C($id: ID!) { cancelAnalysisRequest(id: $id) { id status } }',
      variables: { id: requestIds[r] } }, tokens[0]);
    const mutationMs = performance.now() - tSend;
    if (answer.cancelAnalysisRequest.status !== 'CANCELLED') throw new Error(`not cancelled: ${JSON.stringify(answer)}`);
    const times = (await updated).map((at) => at - tSend).sort((a, b) => a - b);
    latencies.push(...times);
    rounds.push({ subscribeMs, mutationMs, p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times.at(-1) });
    log(`round ${r + 1}: ${args.fanout} subscribed in ${subscribeMs.toFixed(0)} ms; mutation ${mutationMs.toFixed(1)} ms; ` +
      `delivered p50 ${percentile(times, 0.5).toFixed(1)} ms, p99 ${percentile(times, 0.99).toFixed(1)} ms, ` +
      `last ${times.at(-1).toFixed(1)} ms`);
    await sleep(300);
  }
  const closed = clients.filter((c) => c.closed).length;
  const rssEnd = rssKiB(pid);
  for (const c of clients) c.ws.terminate();
  latencies.sort((a, b) => a - b);
  report = { rssStart, rssIdle, rssEnd, perConnection, openSeconds, rounds, latencies, closed };
} finally {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  const t = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

// ------------------------------------------------------------------ the report

const { latencies } = report;
const mib = (kib) => (kib / 1024).toFixed(1);
const p99 = percentile(latencies, 0.99);
const L = [];
L.push(`# Subscriptions benchmark: ${args.connections} WebSocket connections, fan-out to ${args.fanout} (${startedAt.toISOString().slice(0, 10)})`, '');
L.push(`Started ${startedAt.toISOString()}. One \`${path.relative(repoRoot, args.alatarBin)} api\` process, ALATAR_IO_THREADS=2, ` +
  `ALATAR_DB_POOL_SIZE=${args.poolTotal}; clients in one Node ${process.version} process (ws), graphql-transport-ws.`, '');
L.push('## Machine', '');
L.push(`- ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`);
L.push(`- Load average before: ${loadBefore.map((x) => x.toFixed(2)).join(' ')}; after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} ` +
  '(server, PostgreSQL, RabbitMQ and the clients share the cores).', '');
L.push('## Memory', '');
L.push('| server RSS | MiB |', '| --- | ---: |');
L.push(`| before the first connection | ${mib(report.rssStart)} |`);
L.push(`| ${args.connections} connections open and idle | ${mib(report.rssIdle)} |`);
L.push(`| after the fan-out rounds | ${mib(report.rssEnd)} |`, '');
L.push(`**${(report.perConnection / 1024).toFixed(1)} KiB per idle connection** ((idle − before) ÷ ${args.connections}); ` +
  `the ${args.connections} connections were opened and acknowledged in ${report.openSeconds.toFixed(1)} s.`, '');
L.push('## Fan-out', '');
L.push('| round | subscribe all (snapshots), ms | mutation round trip, ms | delivered p50, ms | p99, ms | last, ms |');
L.push('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [i, r] of report.rounds.entries()) {
  L.push(`| ${i + 1} | ${r.subscribeMs.toFixed(0)} | ${r.mutationMs.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} |`);
}
L.push('');
L.push(`All rounds: ${latencies.length} deliveries, p50 **${percentile(latencies, 0.5).toFixed(1)} ms**, p99 **${p99.toFixed(1)} ms**, ` +
  `max ${latencies.at(-1).toFixed(1)} ms (goal: p99 under 100 ms). Connections closed by the server during the run: ${report.closed}.`, '');
L.push('## Against the goals (issues 4 and 12)', '');
L.push(`- RSS per idle WebSocket connection with ${args.connections} open (issue 4): ${(report.perConnection / 1024).toFixed(1)} KiB.`);
L.push(`- An update fanned out to ${args.fanout} of ${args.connections} subscribers (issue 12): p99 ${p99.toFixed(1)} ms ` +
  `(goal < 100 ms: ${p99 < 100 ? 'met' : 'missed'}).`, '');
L.push('## How to rerun', '');
L.push('```', args.command ?? `node bench/api/ws.mjs ${process.argv.slice(2).join(' ')}`, '```', '');
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, L.join('\n') + '\n');
log(`report written to ${args.out}`);
if (report.closed > 0) process.exitCode = 1;
