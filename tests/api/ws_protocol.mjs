// graphql-transport-ws end to end against a spawned `alatar api`: the graphql-ws client (subscribe / next /
// complete, queries and mutations over the socket), ping/pong, and every close code of the protocol.
import { binaryFromArgs, TestDatabase, startApi, check, summary, registerUser, nodeRequire, gql } from './harness.mjs';

const WebSocket = nodeRequire('ws');
const { createClient } = nodeRequire('graphql-ws');

const bin = binaryFromArgs();

// Opens a raw socket; resolves with helpers once open (or with the close event when the upgrade is refused).
function rawSocket(port, protocol = 'graphql-transport-ws') {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, protocol ? [protocol] : []);
    const messages = [];
    const waiters = [];
    const closed = new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      const w = waiters.shift();
      if (w) w(m); else messages.push(m);
    });
    ws.on('error', () => {});
    const api = {
      ws,
      closed,
      send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
      next: () => new Promise((r) => {
        const m = messages.shift();
        if (m) r(m); else waiters.push(r);
      }),
    };
    ws.on('open', () => resolve(api));
    ws.on('unexpected-response', () => resolve(api));
    closed.then(() => resolve(api));
  });
}

const within = (p, ms, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error('timeout: ' + what)), ms))]);

async function expectClose(port, what, expected, script, protocol) {
  const s = await rawSocket(port, protocol);
  try {
    // A script awaiting a message the server never sends (it closed instead) must not hang the suite.
    await Promise.race([script(s), s.closed]);
    const { code, reason } = await within(s.closed, 10000, what);
    check(code === expected, `${what}: close ${expected}`, `got ${code} ${reason}`);
  } catch (e) {
    check(false, `${what}: close ${expected}`, e.message);
    s.ws.terminate();
  }
}

const db = new TestDatabase();
let api;
let broken;
let code = 1;
try {
  db.migrate(bin);
  api = await startApi(bin, db, { ALATAR_TRUST_PROXY: 'true' });
  const { port } = api;
  const alice = await registerUser(api.base);
  const bob = await registerUser(api.base);
  const aliceId = db.sql(`SELECT id FROM users WHERE email = '${alice.email}'`);
  const requestUuid = db.sql(
    `INSERT INTO analysis_requests (user_id, prompt, status) VALUES ('${aliceId}', 'q', 'RUNNING') RETURNING id`);
  const requestId = Buffer.from('AnalysisRequest:' + requestUuid).toString('base64url');
  const updates = `subscription($r: ID!) { analysisRequestUpdates(requestId: $r) { event request { status } } }`;

  // --- graphql-ws client: subscribe / next / complete -----------------------------------------------------
  const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket,
    connectionParams: { token: alice.token }, retryAttempts: 0, lazy: true });
  const me = await within(new Promise((resolve, reject) => {
    let result;
    client.subscribe({ query: '{ me { email } }' },
      { next: (v) => { result = v; }, error: reject, complete: () => resolve(result) });
  }), 10000, 'query over ws');
  check(me?.data?.me?.email === alice.email, 'query over graphql-ws: next then complete', me);

  const iterator = client.iterate({ query: updates, variables: { r: requestId } });
  const first = await within(iterator.next(), 10000, 'subscription snapshot');
  check(first.value?.data?.analysisRequestUpdates?.event === 'SNAPSHOT', 'subscription starts with the SNAPSHOT', first.value);
  check(first.value?.data?.analysisRequestUpdates?.request?.status === 'RUNNING', 'snapshot carries the current state');
  await iterator.return(); // sends complete
  const logout = await within(new Promise((resolve, reject) => {
    let result;
    client.subscribe({ query: 'mutation { logout }' },
      { next: (v) => { result = v; }, error: reject, complete: () => resolve(result) });
  }), 10000, 'mutation over ws');
  check(logout?.data?.logout === true, 'mutation over graphql-ws', logout);
  await client.dispose();
  // That logout revoked alice's token; the close-code cases below need a live one.
  const relogin = await gql(api.base, 'mutation($i: LoginInput!) { login(input: $i) { token } }',
    { i: { email: alice.email, password: 'correct horse battery' } }, undefined, { 'x-forwarded-for': '10.9.250.1' });
  check(typeof relogin.body.data?.login?.token === 'string', 'alice logs in again', relogin.body);
  alice.token = relogin.body.data.login.token;

  const bobClient = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket,
    connectionParams: { token: bob.token }, retryAttempts: 0, lazy: true });
  const denied = await within(new Promise((resolve) => {
    bobClient.subscribe({ query: updates, variables: { r: requestId } },
      { next: () => resolve('next'), error: (e) => resolve(e), complete: () => resolve('complete') });
  }), 10000, 'foreign subscription');
  check(Array.isArray(denied) && denied[0]?.extensions?.code === 'NOT_FOUND', "another user's request: NOT_FOUND", denied);
  await bobClient.dispose();

  // --- ping / pong ------------------------------------------------------------------------------------------
  {
    const s = await rawSocket(port);
    s.send({ type: 'connection_init', payload: { token: bob.token } });
    const ack = await within(s.next(), 5000, 'ack');
    check(ack.type === 'connection_ack', 'connection_ack', ack);
    s.send({ type: 'ping', payload: { n: 1 } });
    const pong = await within(s.next(), 5000, 'pong');
    check(pong.type === 'pong', 'ping is answered with pong', pong);
    s.send({ type: 'pong' }); // unsolicited pongs are fine
    s.send({ type: 'subscribe', id: 'a', payload: { query: '{ __typename }' } });
    const n = await within(s.next(), 5000, 'next');
    check(n.type === 'next' && n.payload?.data?.__typename === 'Query', 'still serving after pongs', n);
    s.ws.close(1000);
  }

  // --- close codes ----------------------------------------------------------------------------------------
  await expectClose(port, 'invalid message', 4400, async (s) => s.send('not json'));
  await expectClose(port, 'unknown message type', 4400, async (s) => {
    s.send({ type: 'connection_init' });
    await s.next();
    s.send({ type: 'bogus' });
  });
  await expectClose(port, 'subscribe before connection_ack', 4401, async (s) => {
    s.send({ type: 'subscribe', id: '1', payload: { query: '{ __typename }' } });
  });
  await expectClose(port, 'forged token', 4403, async (s) => {
    s.send({ type: 'connection_init', payload: { token: 'forged' } });
  });
  // No subprotocol at all: accepted, then closed with 4406. (A client that asks only for another subprotocol
  // fails the handshake on its own side, as RFC 6455 says, since the server selects none.)
  await expectClose(port, 'no graphql-transport-ws subprotocol', 4406, async () => {}, null);
  await expectClose(port, 'no connection_init in time', 4408, async () => {});
  await expectClose(port, 'duplicate subscription id', 4409, async (s) => {
    s.send({ type: 'connection_init', payload: { token: alice.token } });
    await s.next();
    s.send({ type: 'subscribe', id: 'dup', payload: { query: updates, variables: { r: requestId } } });
    await s.next(); // snapshot: the operation is running
    s.send({ type: 'subscribe', id: 'dup', payload: { query: updates, variables: { r: requestId } } });
  });
  await expectClose(port, 'second connection_init', 4429, async (s) => {
    s.send({ type: 'connection_init' });
    await s.next();
    s.send({ type: 'connection_init' });
  });

  // 4500: the handler cannot decide (database unreachable while checking the token).
  const unreachable = new TestDatabase();
  unreachable.drop(); // a database that does not exist: every lookup fails
  broken = await startApi(bin, unreachable, {});
  await expectClose(broken.port, 'database down during connection_init', 4500, async (s) => {
    s.send({ type: 'connection_init', payload: { token: alice.token } });
  });

  // The server keeps serving after all of that.
  const after = await fetch(api.base + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json',
    accept: 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
  check(after.status === 200, 'HTTP still served after the protocol errors');
  code = summary();
} catch (e) {
  console.error(e);
  if (api) console.error(api.logs.join(''));
} finally {
  if (broken) await broken.stop();
  if (api) await api.stop();
  db.drop();
}
process.exit(code);
