// End to end (issue 7): the Shopify simulator, `alatar api`, two `alatar worker` processes, the test PostgreSQL and
// RabbitMQ. A merchant registers, links the simulator's shop through the real OAuth round trip, asks "How were
// sales last month?" and the answer's figures are compared with the simulator's ground-truth export, computed
// here from the exported JSONL (independently of src/intelligence). Then it asks which product descriptions to
// improve, approves the proposed description change and checks the simulator's product holds it.
//
// usage: node tests/e2e/sales_last_month.mjs --alatar build/alatar --sim build/alatar-shopify-sim
// Needs ALATAR_TEST_DATABASE_URL and ALATAR_TEST_AMQP_URL (eval "$(scripts/services --profile test env)").
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOP = 'demo.myshopify.test';
const SEED = '7';
const APP_KEY = 'e2e-app-key';
const APP_SECRET = 'e2e-app-secret';
const DAY_MS = 86400000;

function arg(name) {
  const i = process.argv.indexOf(name);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`usage: node ${process.argv[1]} --alatar BIN --sim BIN`);
  return path.resolve(process.argv[i + 1]);
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

let failures = 0;
function check(ok, what, detail) {
  if (ok) {
    console.log(`ok    ${what}`);
  } else {
    failures++;
    console.log(`FAIL  ${what}${detail === undefined ? '' : ': ' + (typeof detail === 'string' ? detail : JSON.stringify(detail))}`);
  }
}

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A child process whose output is kept for the failure report; stopped at the end.
const children = [];
function start(name, bin, args, env) {
  const logs = [];
  const child = spawn(bin, args, {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=0',
      UBSAN_OPTIONS: process.env.UBSAN_OPTIONS ?? '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => logs.push(d.toString()));
  child.stderr.on('data', (d) => logs.push(d.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const proc = { name, child, logs, exited };
  children.push(proc);
  return proc;
}

async function waitHealthy(proc, url, what) {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (proc.child.exitCode !== null) throw new Error(`${what} exited early:\n${proc.logs.join('')}`);
    await sleep(100);
  }
  throw new Error(`${what} did not come up:\n${proc.logs.join('')}`);
}

async function stopAll() {
  for (const p of children) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.race([Promise.all(children.map((p) => p.exited)), sleep(20000)]);
  for (const p of children) if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

async function gql(base, query, variables, token) {
  const r = await fetch(base + '/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: 'Bearer ' + token } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await r.json();
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// ---- ground truth from the export (docs/metrics.md definitions, written again here) ----
function jsonl(dir, name) {
  return readFileSync(path.join(dir, name), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

// Decimal text to integer minor units, without floating point.
function minor(text, digits) {
  const [whole, frac = ''] = String(text).split('.');
  const negative = whole.startsWith('-');
  const f = (frac + '0'.repeat(digits)).slice(0, digits);
  const v = BigInt(whole.replace('-', '') || '0') * 10n ** BigInt(digits) + BigInt(f || '0');
  return Number(negative ? -v : v);
}

function truthLastMonth(dir, now) {
  const shop = JSON.parse(readFileSync(path.join(dir, 'shop.json'), 'utf8'));
  const digits = { JPY: 0, KRW: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 }[shop.currency_code] ?? 2;
  const offsetMs = shop.utc_offset_minutes * 60000;
  const local = new Date(now + offsetMs);
  const from = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1) - offsetMs;
  const to = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - offsetMs;
  const inWindow = (iso) => {
    const t = Date.parse(iso);
    return t >= from && t < to;
  };
  const sale = new Map();
  for (const o of jsonl(dir, 'orders.jsonl')) {
    if (o.test || o.cancelled_at !== null) continue;
    sale.set(o.id, o);
  }
  const t = { orders: 0, gross: 0, discounts: 0, returns: 0, refunds: 0, units: 0, digits, currency: shop.currency_code,
              from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  for (const o of sale.values()) {
    if (!inWindow(o.processed_at)) continue;
    t.orders++;
    t.discounts += minor(o.total_discounts, digits);
  }
  for (const l of jsonl(dir, 'line_items.jsonl')) {
    const o = sale.get(l.order_id);
    if (!o || !inWindow(o.processed_at)) continue;
    t.gross += minor(l.price, digits) * l.quantity;
    t.units += l.quantity;
  }
  const refundTime = new Map(jsonl(dir, 'refunds.jsonl').map((r) => [r.id, r.created_at]));
  const refunds = new Set();
  for (const r of jsonl(dir, 'refund_line_items.jsonl')) {
    if (!sale.has(r.order_id) || !inWindow(refundTime.get(r.refund_id))) continue;
    t.returns += minor(r.subtotal, digits);
    refunds.add(r.refund_id);
  }
  t.refunds = refunds.size;
  t.net = t.gross - t.discounts - t.returns;
  return t;
}

async function main() {
  const alatar = arg('--alatar');
  const sim = arg('--sim');
  const admin = requireEnv('ALATAR_TEST_DATABASE_URL');
  const amqp = requireEnv('ALATAR_TEST_AMQP_URL');
  const today = new Date().toISOString().slice(0, 10);

  const dbName = 'alatar_test_' + randomBytes(6).toString('hex');
  execFileSync('psql', [admin, '-q', '-c', `CREATE DATABASE ${dbName}`], { stdio: 'inherit' });
  const dbUrl = new URL(admin);
  dbUrl.pathname = '/' + dbName;
  const exportDir = mkdtempSync(path.join(os.tmpdir(), 'alatar-e2e-'));
  try {
    execFileSync(alatar, ['migrate', '--database-url', dbUrl.toString(), '--dir', path.join(repoRoot, 'migrations')],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync(sim, ['export', '--shop', SHOP, '--profile', 'tiny', '--seed', SEED, '--today', today, '--out', exportDir],
      { stdio: ['ignore', 'ignore', 'inherit'] });

    const simPort = await freePort();
    const simBase = `http://127.0.0.1:${simPort}`;
    const simProc = start('simulator', sim, ['serve', '--listen', `127.0.0.1:${simPort}`, '--app-key', APP_KEY,
      '--app-secret', APP_SECRET, '--shop-suffix', '.myshopify.test', '--shops', SHOP, '--profile', 'tiny',
      '--seed', SEED, '--today', today, '--log-level', 'warning'], {});
    await waitHealthy(simProc, simBase + '/_sim/healthz', 'the simulator');

    const apiPort = await freePort();
    const apiBase = `http://127.0.0.1:${apiPort}`;
    const env = {
      ALATAR_DATABASE_URL: dbUrl.toString(),
      ALATAR_AMQP_URL: amqp,
      ALATAR_AMQP_PREFIX: 'e2e' + process.pid,
      ALATAR_LOG_LEVEL: 'warning',
      ALATAR_PUBLIC_URL: apiBase,
      ALATAR_SHOPIFY_SHOP_URL: simBase + '/shops/{shop}',
      ALATAR_SHOPIFY_SHOP_SUFFIX: '.myshopify.test',
      ALATAR_SHOPIFY_API_KEY: APP_KEY,
      ALATAR_SHOPIFY_API_SECRET: APP_SECRET,
      ALATAR_MASTER_KEY: 'e2e1:' + randomBytes(32).toString('base64'),
    };
    const api = start('api', alatar, ['api'], { ...env, ALATAR_LISTEN: `127.0.0.1:${apiPort}`, ALATAR_IO_THREADS: '2' });
    await waitHealthy(api, apiBase + '/healthz', 'alatar api');
    // Two workers; only the first runs the outbox relay, both consume every queue.
    start('worker-1', alatar, ['worker', '--concurrency', '2'], env);
    start('worker-2', alatar, ['worker', '--concurrency', '2', '--no-relay'], env);

    // Register and link the shop: startShopifyOAuth -> the simulator's authorize URL -> completeShopifyOAuth.
    const email = `e2e-${randomBytes(4).toString('hex')}@example.test`;
    const { register } = await gql(apiBase, 'mutation($i: RegisterInput!) { register(input: $i) { token } }',
      { i: { email, password: 'correct-horse-battery' } });
    const token = register.token;
    const { startShopifyOAuth } = await gql(apiBase,
      'mutation($s: String!) { startShopifyOAuth(shop: $s) { authorizationUrl } }', { s: SHOP }, token);
    const authorize = await fetch(startShopifyOAuth.authorizationUrl, { redirect: 'manual' });
    const callback = authorize.headers.get('location');
    check(authorize.status >= 300 && authorize.status < 400 && callback, 'the simulator redirects back with a code',
      authorize.status);
    const query = new URL(callback).search.slice(1);
    const { completeShopifyOAuth: store } = await gql(apiBase,
      'mutation($i: CompleteShopifyOAuthInput!) { completeShopifyOAuth(input: $i) { id shopDomain status } }',
      { i: { query } }, token);
    check(store.status === 'ACTIVE' && store.shopDomain === SHOP, 'the shop is linked', store);

    // Ask, and wait for the answer: the first analysis backfills the cache from the simulator, the second
    // finds it fresh (both latencies are reported).
    async function ask(prompt = 'How were sales last month?') {
      const asked = Date.now();
      const { submitAnalysisRequest: request } = await gql(apiBase,
        'mutation($p: String!, $s: ID) { submitAnalysisRequest(prompt: $p, storeId: $s) { id status } }',
        { p: prompt, s: store.id }, token);
      let result;
      const deadline = Date.now() + 300000;
      for (;;) {
        ({ analysisRequest: result } = await gql(apiBase, `query($id: ID!) { analysisRequest(id: $id) {
            status intent error progress
            proposals { id kind status parameters }
            result { summary kpis { key value unit provenance { formulaId window { from to } } } visualizations { kind spec } dataWindow { from to } } } }`,
        { id: request.id }, token));
        if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(result.status) || Date.now() > deadline) break;
        await sleep(50);
      }
      return { asked, id: request.id, result, latencyMs: Date.now() - asked };
    }
    const first = await ask();
    const { asked, result: analysis } = first;
    check(analysis.status === 'COMPLETED', 'the analysis completes', analysis.error ?? analysis.status);
    console.log(`info  analysis latency end to end, first (cache backfill included): ${first.latencyMs} ms`);
    const second = await ask();
    check(second.result.status === 'COMPLETED', 'a second analysis completes on the fresh cache',
      second.result.error ?? second.result.status);
    console.log(`info  analysis latency end to end, second (fresh cache): ${second.latencyMs} ms`);
    // The first analysis backfilled the cache: each Admin API call is a shopify span under the data-retrieval
    // tool span, with its query cost and never the token.
    const { analysisRequest: backfilled } = await gql(apiBase,
      'query($id: ID!) { analysisRequest(id: $id) { trace { id parentId name kind attributes } } }', { id: first.id },
      token);
    const freshSpans = new Set(backfilled.trace.filter((s) => s.name === 'tool.ensure_store_data_fresh').map((s) => s.id));
    const shopifySpans = backfilled.trace.filter((s) => s.kind === 'shopify');
    check(shopifySpans.length > 0 && shopifySpans.every((s) => freshSpans.has(s.parentId)),
      'the backfill\'s Shopify calls are spans under the data-retrieval tool span',
      backfilled.trace.map((s) => `${s.kind} ${s.name}`));
    check(shopifySpans.some((s) => s.name === 'shopify.mutation bulkOperationRunQuery' && s.attributes.requested_cost > 0 &&
      s.attributes.actual_cost >= 0 && s.attributes.outcome === 'success'), 'a bulk run span carries its query cost',
      shopifySpans.slice(0, 3));
    check(!JSON.stringify(shopifySpans).includes('shpat_'), 'no access token in the Shopify spans');
    const { analysisRequest: traced } = await gql(apiBase,
      'query($id: ID!) { analysisRequest(id: $id) { trace { name kind durationMs } } }', { id: second.id }, token);
    const tools = traced.trace.filter((s) => s.kind === 'tool').map((s) => `${s.name} ${Math.round(s.durationMs)} ms`);
    console.log(`info  tool calls of the second analysis: ${tools.join(', ')}`);
    if (analysis.status === 'COMPLETED' && second.result.status === 'COMPLETED') {
      check(JSON.stringify(second.result.result.kpis) === JSON.stringify(analysis.result.kpis),
        'the second answer states the same figures');
    }
    if (analysis.status === 'COMPLETED') {
      const truth = truthLastMonth(exportDir, asked);
      const scale = 10 ** truth.digits;
      const kpi = Object.fromEntries(analysis.result.kpis.map((k) => [k.key, k.value]));
      check(analysis.result.kpis.every((k) => k.provenance?.formulaId && k.provenance.window?.from),
        'every KPI carries its formula id and window', analysis.result.kpis.map((k) => k.provenance));
      check(truth.orders > 10, 'the tiny shop sold last month', truth.orders);
      check(kpi.orders === truth.orders, 'orders match the ground truth', { stated: kpi.orders, truth: truth.orders });
      check(kpi.units === truth.units, 'units match the ground truth', { stated: kpi.units, truth: truth.units });
      check(Math.round(kpi.gross_sales * scale) === truth.gross, 'gross sales match the ground truth',
        { stated: kpi.gross_sales, truth: truth.gross / scale });
      check(Math.round(kpi.discounts * scale) === truth.discounts, 'discounts match the ground truth',
        { stated: kpi.discounts, truth: truth.discounts / scale });
      // Net sales = gross - discounts - returns. The cache holds each refund with its lines (shop_refunds,
      // shop_refund_line_items): returns are the refund lines' merchandise subtotals, dated by their refund, exactly.
      const netStated = Math.round(kpi.net_sales * scale);
      check(Math.round(kpi.returns * scale) === truth.returns, 'returns match the ground truth',
        { stated: kpi.returns, truth: truth.returns / scale, refunds: truth.refunds });
      check(netStated === truth.net, 'net sales match the ground truth',
        { stated: kpi.net_sales, truth: truth.net / scale, returns_stated: kpi.returns, returns_truth: truth.returns / scale,
          refunds: truth.refunds });
      check(Math.round((kpi.gross_sales - kpi.discounts - kpi.returns) * scale) === netStated,
        'net sales are gross sales - discounts - returns as stated');
      const window = analysis.result.dataWindow;
      check(Date.parse(window?.from) === Date.parse(truth.from) && Date.parse(window?.to) === Date.parse(truth.to),
        'the data window is last month in the shop time zone', { stated: analysis.result.dataWindow, truth });
      const stated = analysis.result.summary;
      check(stated.includes(`Orders ${truth.orders}`), 'the summary states the order count', stated);
      check(analysis.result.visualizations.every((v) => v.spec && v.spec.$schema?.includes('vega-lite')),
        'every visualization is a Vega-Lite spec', analysis.result.visualizations.map((v) => v.kind));
    }

    // The description rule needs each product's refunded units, which come from the cached refund lines: the
    // planted weak-description product (tiny, seed 7) gets an UPDATE_PRODUCT_DESCRIPTION proposal. Approving it
    // writes the new description to the store.
    const described = await ask('Which product descriptions should I improve?');
    check(described.result.status === 'COMPLETED', 'the description analysis completes',
      described.result.error ?? described.result.status);
    const proposal = described.result.proposals?.find((p) => p.kind === 'UPDATE_PRODUCT_DESCRIPTION');
    check(proposal !== undefined, 'the description analysis proposes a new description',
      described.result.proposals?.map((p) => p.kind));
    if (proposal !== undefined) {
      const params = typeof proposal.parameters === 'string' ? JSON.parse(proposal.parameters) : proposal.parameters;
      check(typeof params.productId === 'string' && typeof params.descriptionHtml === 'string' &&
        params.descriptionHtml.length > 0, 'the proposal names the product and its new description', params);
      const { approveActionProposal: approved } = await gql(apiBase,
        'mutation($id: ID!) { approveActionProposal(id: $id) { id status } }', { id: proposal.id }, token);
      check(['APPROVED', 'EXECUTING', 'SUCCEEDED'].includes(approved.status), 'the proposal is approved', approved);
      let executed;
      const deadline = Date.now() + 120000;
      for (;;) {
        ({ actionProposal: executed } = await gql(apiBase,
          'query($id: ID!) { actionProposal(id: $id) { status decisionReason outcome { succeeded message shopifyUserErrors } } }',
          { id: proposal.id }, token));
        if (!['PENDING', 'APPROVED', 'EXECUTING'].includes(executed.status) || Date.now() > deadline) break;
        await sleep(100);
      }
      check(executed.status === 'SUCCEEDED', 'the approved description change succeeds', executed);
      // What the store holds now, read from the simulator's Admin API with a token of the test's own.
      const grant = await (await fetch(`${simBase}/_sim/shops/${SHOP}/tokens`, { method: 'POST', body: '{}',
        headers: { 'Content-Type': 'application/json' } })).json();
      const live = await (await fetch(`${simBase}/shops/${SHOP}/admin/api/2026-01/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': grant.access_token },
        body: JSON.stringify({ query: 'query($id: ID!) { product(id: $id) { descriptionHtml } }',
          variables: { id: params.productId } }),
      })).json();
      check(live.data?.product?.descriptionHtml === params.descriptionHtml,
        'the store holds the approved description', { live: live.data?.product?.descriptionHtml ?? live,
          proposed: params.descriptionHtml });
    }
  } catch (e) {
    check(false, 'the end-to-end run', e.stack ?? String(e));
  } finally {
    await stopAll();
    if (failures > 0) {
      for (const p of children) console.log(`---- ${p.name} output ----\n${p.logs.join('').slice(-4000)}`);
    }
    rmSync(exportDir, { recursive: true, force: true });
    try {
      execFileSync('psql', [admin, '-q', '-c', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]);
    } catch (e) {
      console.error('could not drop', dbName, e.message);
    }
  }
  console.log(failures === 0 ? 'all passed' : `${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
}

main();
