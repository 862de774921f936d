// Protective limits and hardening against a spawned `alatar api`: body size, slow headers, depth and alias
// limits, malformed requests, CSRF, rate limits, /metrics format (promtool), readiness, graceful shutdown.
import http from 'node:http';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { binaryFromArgs, TestDatabase, startApi, check, summary, gql, registerUser } from './harness.mjs';

const bin = binaryFromArgs();

const post = (base, body, headers = {}) => fetch(base + '/graphql', {
  method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
  body,
});

// Sends a request head one byte at a time; resolves with how long the server took to close the socket.
function slowHeaders(port, intervalMs, maxMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    const sock = net.connect(port, '127.0.0.1');
    const head = 'POST /graphql HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(1000);
    let i = 0;
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      sock.destroy();
      resolve({ closed, ms: Date.now() - started });
    };
    const timer = setInterval(() => {
      if (Date.now() - started > maxMs) return finish(false);
      if (i < head.length) sock.write(head[i++]);
    }, intervalMs);
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
  });
}

const db = new TestDatabase();
let api;
let code = 1;
try {
  db.migrate(bin);
  api = await startApi(bin, db, { ALATAR_MAX_BODY_BYTES: '65536', ALATAR_TRUST_PROXY: 'true' });
  const { base, port } = api;

  // Start the slow sender first; the checks below run while it trickles.
  const slow = slowHeaders(port, 200, 30000);

  const big = await post(base, JSON.stringify({ query: '{ __typename }', extensions: { pad: 'x'.repeat(100000) } }));
  check(big.status === 413, 'oversize body: 413', big.status);

  // Depth: 12 nested selections (limit 10) are refused before execution, whatever the fields.
  let nested = 'id';
  for (let i = 0; i < 12; i++) nested = `f${i} { ${nested} }`;
  const tooDeep = await gql(base, `{ ${nested} }`);
  check(tooDeep.status === 400 && tooDeep.body.errors?.some((e) => /depth limit/.test(e.message)) &&
    tooDeep.body.errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT'), 'too-deep query refused (400, BAD_USER_INPUT)',
  tooDeep.body.errors?.slice(0, 2));
  const deepest = await gql(base,
    '{ listAnalysisRequests { edges { node { result { recommendations { proposals { outcome { shopifyUserErrors } } } } } } } }');
  check(!deepest.body.errors?.some((e) => /depth/.test(e.message)), 'the deepest real query (8 levels) passes', deepest.body);

  // Alias bomb: 100 aliases of one field.
  const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: __typename`).join(' ');
  const bomb = await gql(base, `{ ${aliases} }`);
  check(bomb.status === 400 && bomb.body.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT', 'alias bomb refused (400, BAD_USER_INPUT)', bomb.body);

  // Token limit: a document with more than 2000 tokens.
  const tokens = await gql(base, '{ ' + '__typename '.repeat(2100) + '}');
  check(tokens.status === 400 && /tokens/i.test(tokens.body.errors?.[0]?.message ?? ''), 'token limit refused', tokens.body?.errors?.[0]);

  const notJson = await post(base, '{"query": ');
  check(notJson.status === 400, 'non-JSON body: 400', notJson.status);
  const wrongType = await post(base, JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' });
  check(wrongType.status === 415, 'wrong content type (text/plain, a CSRF-able simple request): 415', wrongType.status);
  const formPost = await post(base, 'query=%7B__typename%7D', { 'content-type': 'application/x-www-form-urlencoded' });
  check(formPost.status === 415, 'form POST refused: 415', formPost.status);
  const csrfGet = await fetch(base + '/graphql?query=%7B__typename%7D', { headers: { accept: '*/*' } });
  check(csrfGet.status === 400, 'GET without a CSRF-proof Accept or custom header: 400', csrfGet.status);
  const okGet = await fetch(base + '/graphql?query=%7B__typename%7D', { headers: { accept: 'application/graphql-response+json' } });
  check(okGet.status === 200, 'GET with Accept: application/graphql-response+json: 200', okGet.status);
  const mutationGet = await fetch(base + '/graphql?query=mutation%7Blogout%7D', { headers: { accept: 'application/json' } });
  check(mutationGet.status === 405, 'mutation over GET: 405', mutationGet.status);

  // Rate limiting on login: the strict per-address bucket (5, then one every 10 s).
  let limited;
  for (let i = 0; i < 8; i++) {
    const r = await gql(base, 'mutation { login(input: {email: "x@example.com", password: "whatever password"}) { token } }',
      undefined, undefined, { 'x-forwarded-for': '10.77.0.1' });
    if (r.status === 429) { limited = r; break; }
  }
  check(limited !== undefined, 'login flood from one address: 429');
  check(limited?.headers.get('retry-after') !== null && Number(limited?.headers.get('retry-after')) >= 1, 'Retry-After header');
  check(limited?.body?.errors?.[0]?.extensions?.code === 'RATE_LIMITED', 'RATE_LIMITED code', limited?.body);
  const other = await gql(base, 'mutation { login(input: {email: "x@example.com", password: "whatever password"}) { token } }',
    undefined, undefined, { 'x-forwarded-for': '10.77.0.2' });
  check(other.status !== 429, 'another address is not limited', other.status);

  // Metrics in the Prometheus text format.
  const metrics = await (await fetch(base + '/metrics')).text();
  let promtool = 'ok';
  try {
    execFileSync('promtool', ['check', 'metrics'], { input: metrics, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    promtool = (e.stdout?.toString() ?? '') + (e.stderr?.toString() ?? '');
  }
  check(promtool === 'ok', 'promtool check metrics', promtool);
  check(/alatar_graphql_document_cache_entries/.test(metrics) && /alatar_http_requests_total/.test(metrics),
    '/metrics has the API gauges and HTTP counters');

  const ready = await fetch(base + '/readyz');
  check(ready.status === 200 || ready.status === 503, '/readyz answers', ready.status);
  const readyBody = await ready.text();
  check(/postgres/.test(readyBody), '/readyz names its checks', readyBody);

  const slowResult = await slow;
  check(slowResult.closed && slowResult.ms < 20000, 'slow header sender is cut off by the header timeout', slowResult);
  const still = await gql(base, '{ __typename }');
  check(still.status === 200, 'the server keeps serving others', still.status);

  // Graceful shutdown: requests the clients have finished sending when SIGTERM arrives still get their answers,
  // also on connections the server had not accepted yet. Each on its own connection; SIGTERM once all are written.
  const users = await Promise.all([1, 2].map(() => registerUser(base)));
  void users;
  const sent = [];
  const inflight = Array.from({ length: 12 }, (_, i) => new Promise((resolve) => {
    const body = JSON.stringify({
      query: 'mutation($i: RegisterInput!) { register(input: $i) { token } }',
      variables: { i: { email: `late${i}@example.com`, password: 'correct horse battery' } },
    });
    const req = http.request({
      host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json',
        'content-length': Buffer.byteLength(body), 'x-forwarded-for': `10.88.${i}.1` },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', (e) => resolve('error: ' + e.message));
    sent.push(new Promise((written) => { req.on('finish', written); req.on('error', written); }));
    req.end(body);
  }));
  await Promise.all(sent);
  api.child.kill('SIGTERM');
  const statuses = await Promise.all(inflight);
  const { code: exitCode, signal } = await api.exited;
  check(statuses.every((s) => s === 200), 'in-flight requests finish during graceful shutdown', statuses);
  check(exitCode === 0, 'exit code 0 after SIGTERM', { exitCode, signal });
  const registered = Number(db.sql("SELECT count(*) FROM users WHERE email LIKE 'late%'"));
  check(registered === 12, 'their effects were committed', registered);
  api = undefined;
  code = summary();
} catch (e) {
  console.error(e);
  if (api) console.error(api.logs.join(''));
} finally {
  if (api) await api.stop();
  db.drop();
}
process.exit(code);
