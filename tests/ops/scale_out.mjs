// Scale-out: two `alatar api` processes on separate ports and two `alatar worker` processes against one database
// and one broker. A request submitted through API 1 is answered to a graphql-ws subscriber on API 2, so the
// progress events cross processes through the broker, not process memory. The workers start only after the
// subscriber holds the QUEUED snapshot, so every later update it gets was produced by another process. No store is
// linked, so the analysis ends FAILED with "No Shopify store is linked" (an answer without the simulator); the
// test asserts that terminal update reaches API 2 and the stream completes.
// usage: node scale_out.mjs --bin build/alatar   (needs ALATAR_TEST_DATABASE_URL and ALATAR_TEST_AMQP_URL)
import { spawn } from 'node:child_process';
import { binaryFromArgs, TestDatabase, startApi, check, summary, registerUser, nodeRequire, gql, freePort, repoRoot }
  from '../api/harness.mjs';

const WebSocket = nodeRequire('ws');
const { createClient } = nodeRequire('graphql-ws');

const bin = binaryFromArgs();
const prefix = 'scale' + process.pid;

function within(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  })]).finally(() => clearTimeout(timer));
}

async function startWorker(db, extraArgs) {
  const logs = [];
  const child = spawn(bin, ['worker', '--concurrency', '1', ...extraArgs], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=0',
      UBSAN_OPTIONS: process.env.UBSAN_OPTIONS ?? '',
      ALATAR_DATABASE_URL: db.url,
      ALATAR_AMQP_URL: process.env.ALATAR_TEST_AMQP_URL,
      ALATAR_AMQP_PREFIX: prefix,
      ALATAR_LOG_LEVEL: 'warning',
      ALATAR_WORKER_METRICS_LISTEN: `127.0.0.1:${await freePort()}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => logs.push(d.toString()));
  child.stderr.on('data', (d) => logs.push(d.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, logs, exited, async stop() { if (child.exitCode === null) child.kill('SIGTERM'); return exited; } };
}

const db = new TestDatabase();
const procs = [];
let code = 1;
try {
  db.migrate(bin);
  const env = { ALATAR_AMQP_PREFIX: prefix };
  const api1 = await startApi(bin, db, env);
  procs.push(api1);
  const api2 = await startApi(bin, db, env);
  procs.push(api2);
  check(api1.port !== api2.port, 'two API processes on separate ports', [api1.port, api2.port]);
  const user = await registerUser(api1.base);
  const submitted = await gql(api1.base,
    'mutation($p: String!) { submitAnalysisRequest(prompt: $p) { id status } }',
    { p: 'What is the capital of France?' }, user.token);
  const requestId = submitted.body.data?.submitAnalysisRequest?.id;
  check(typeof requestId === 'string', 'request submitted through API 1', submitted.body);

  const client = createClient({ url: `ws://127.0.0.1:${api2.port}/graphql`, webSocketImpl: WebSocket,
    connectionParams: { token: user.token }, retryAttempts: 0, lazy: true });
  const events = [];
  let snapshotSeen;
  const snapshot = new Promise((resolve) => { snapshotSeen = resolve; });
  const finished = within(new Promise((resolve, reject) => {
    let last;
    client.subscribe({
      query: 'subscription($r: ID!) { analysisRequestUpdates(requestId: $r) { event request { id status } } }',
      variables: { r: requestId },
    }, {
      next: (v) => {
        events.push(v.data?.analysisRequestUpdates?.event ?? JSON.stringify(v));
        last = v;
        snapshotSeen(v);
      },
      error: reject,
      complete: () => resolve(last),
    });
  }), 120000, 'analysis answered to the subscriber on API 2');
  const first = await within(snapshot, 20000, 'snapshot on API 2');
  check(first?.data?.analysisRequestUpdates?.request?.status === 'QUEUED', 'snapshot on API 2 is QUEUED', first);
  // The second worker does not run the outbox relay: one relay suffices, and both consume the work queues.
  const w1 = await startWorker(db, []);
  procs.push(w1);
  const w2 = await startWorker(db, ['--no-relay']);
  procs.push(w2);
  const final = await finished;
  await client.dispose();
  check(events[0] === 'SNAPSHOT', 'API 2 subscriber gets a SNAPSHOT first', events);
  const finalStatus = final?.data?.analysisRequestUpdates?.request?.status;
  check(['COMPLETED', 'FAILED'].includes(finalStatus) && events.length >= 2,
    'updates of a request submitted through API 1 reach the subscriber on API 2 until a terminal status', events);

  const seen = await gql(api2.base, 'query($id: ID!) { node(id: $id) { ... on AnalysisRequest { status error } } }',
    { id: requestId }, user.token);
  check(seen.body.data?.node?.status === finalStatus, 'API 2 reads the same terminal status', seen.body);
  check(w1.child.exitCode === null && w2.child.exitCode === null, 'both workers still running');
  code = summary();
} catch (e) {
  console.error(e);
  for (const p of procs) console.error(p.logs.join('').slice(-4000));
  code = 1;
} finally {
  for (const p of procs.reverse()) await p.stop();
  db.drop();
}
process.exit(code);
