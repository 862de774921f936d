// Shared by the node protocol suites: a fresh database (created with psql from ALATAR_TEST_DATABASE_URL, migrated
// with `alatar migrate`, dropped at exit), a spawned `alatar api` on a free port, and tiny assertion helpers.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The pinned packages live in tests/node (the test tooling's package.json).
export const nodeRequire = createRequire(path.join(repoRoot, 'tests/node/package.json'));

export function binaryFromArgs() {
  const i = process.argv.indexOf('--bin');
  if (i < 0 || !process.argv[i + 1]) throw new Error('usage: node suite.mjs --bin build/alatar');
  return path.resolve(process.argv[i + 1]);
}

function requireEnv(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`${name} is not set: run \`eval "$(scripts/services --profile test env)"\` after ` +
      '`scripts/services --profile test start`');
    process.exit(1);
  }
  return v;
}

function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export class TestDatabase {
  constructor() {
    this.admin = requireEnv('ALATAR_TEST_DATABASE_URL');
    this.name = 'alatar_test_' + randomBytes(6).toString('hex');
    execFileSync('psql', [this.admin, '-q', '-c', `CREATE DATABASE ${this.name}`], { stdio: 'inherit' });
    this.url = withDatabase(this.admin, this.name);
  }
  migrate(bin) {
    execFileSync(bin, ['migrate', '--database-url', this.url, '--dir', path.join(repoRoot, 'migrations')],
      { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  sql(statement) {
    return execFileSync('psql', [this.url, '-qtA', '-c', statement], { encoding: 'utf8' }).trim();
  }
  drop() {
    try {
      execFileSync('psql', [this.admin, '-q', '-c', `DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`]);
    } catch (e) {
      console.error('could not drop', this.name, e.message);
    }
  }
}

// Spawns `alatar api` and waits until /healthz answers. env: extra ALATAR_* variables.
export async function startApi(bin, db, env = {}) {
  const port = await freePort();
  const logs = [];
  const child = spawn(bin, ['api'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=0',
      UBSAN_OPTIONS: process.env.UBSAN_OPTIONS ?? '',
      ALATAR_DATABASE_URL: db.url,
      ALATAR_AMQP_URL: process.env.ALATAR_TEST_AMQP_URL ?? 'amqp://127.0.0.1:1',
      ALATAR_AMQP_PREFIX: 'apinode' + process.pid,
      ALATAR_LISTEN: `127.0.0.1:${port}`,
      ALATAR_LOG_LEVEL: 'warning',
      ALATAR_IO_THREADS: '2',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => logs.push(d.toString()));
  child.stderr.on('data', (d) => logs.push(d.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(base + '/healthz');
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error('alatar api exited early:\n' + logs.join(''));
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, base, child, logs, exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

let failures = 0;
let passes = 0;
export function check(ok, what, detail) {
  if (ok) {
    passes++;
    console.log(`ok    ${what}`);
  } else {
    failures++;
    console.log(`FAIL  ${what}${detail !== undefined ? ': ' + (typeof detail === 'string' ? detail : JSON.stringify(detail)) : ''}`);
  }
}
export function summary() {
  console.log(`${passes} passed, ${failures} failed`);
  return failures === 0 ? 0 : 1;
}

export async function gql(base, query, variables, token, headers = {}) {
  const r = await fetch(base + '/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: 'Bearer ' + token } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: r.status, headers: r.headers, body: await r.json() };
}

let userCounter = 0;
// Registers a fresh user (a distinct X-Forwarded-For per user keeps the per-address login bucket out of the way).
export async function registerUser(base) {
  userCounter++;
  const email = `user${userCounter}-${randomBytes(3).toString('hex')}@example.com`;
  const r = await gql(base, 'mutation($i: RegisterInput!) { register(input: $i) { token } }',
    { i: { email, password: 'correct horse battery' } }, undefined, { 'x-forwarded-for': `10.9.${userCounter}.1` });
  if (!r.body.data) throw new Error('register failed: ' + JSON.stringify(r.body));
  return { email, token: r.body.data.register.token };
}
