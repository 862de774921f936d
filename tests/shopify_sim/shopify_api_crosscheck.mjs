// Cross-checks the simulator's OAuth signatures with Shopify's own Node library (@shopify/shopify-api):
//  (a) the library's validateHmac accepts the hmac of a simulator authorize redirect (and rejects a tampered one);
//  (b) a query signed by the library's HMAC code is accepted by the simulator (and a tampered one is refused).
// Usage: node shopify_api_crosscheck.mjs path/to/alatar-shopify-sim
// Exits non-zero (with the reason) when either side disagrees.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeRoot = path.join(here, '..', 'node');
const require = createRequire(path.join(nodeRoot, 'package.json'));
require('@shopify/shopify-api/adapters/node');
const { shopifyApi, ApiVersion } = require('@shopify/shopify-api');
// Not in the package's public exports: the signing half of the same module that validateHmac uses.
const { generateLocalHmac } = require(path.join(nodeRoot, 'node_modules/@shopify/shopify-api/dist/cjs/lib/utils/hmac-validator.js'));

const simBinary = process.argv[2];
if (!simBinary) {
  console.error('usage: node shopify_api_crosscheck.mjs ALATAR_SHOPIFY_SIM');
  process.exit(2);
}
const SHOP = 'crosscheck.myshopify.test';
const KEY = 'crosscheck-key';
const SECRET = 'crosscheck-secret';

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
}

async function startSimulator() {
  const child = spawn(simBinary, ['serve', '--listen', '127.0.0.1:0', '--profile', 'tiny', '--shops', SHOP,
    '--app-key', KEY, '--app-secret', SECRET], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('simulator did not start in 60 s')), 60000);
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'shopify simulator listening') {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch { /* not a log line */ }
    });
    child.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { child, url };
}

const shopify = shopifyApi({
  apiKey: KEY,
  apiSecretKey: SECRET,
  scopes: ['read_orders', 'write_products'],
  hostName: 'localhost:3000',
  hostScheme: 'http',
  apiVersion: ApiVersion.January26 ?? '2026-01',
  isEmbeddedApp: false,
  // The simulator's shops end in .myshopify.test: an identity transformation teaches the library that domain.
  domainTransformations: [{ match: /^([a-zA-Z0-9][a-zA-Z0-9-_]*)\.myshopify\.test$/, transform: '$1.myshopify.test' }],
  logger: { level: 0 },
});

const { child, url } = await startSimulator();
let passed = 0;
try {
  // (a) The simulator signs its authorize redirect; the library validates it.
  const authorize = new URL(`${url}/shops/${SHOP}/admin/oauth/authorize`);
  authorize.searchParams.set('client_id', KEY);
  authorize.searchParams.set('scope', 'read_orders,write_products');
  authorize.searchParams.set('redirect_uri', 'http://localhost:3000/auth/callback');
  authorize.searchParams.set('state', 'a1b2c3 with spaces & symbols');
  const res = await fetch(authorize, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}`);
  const callback = new URL(res.headers.get('location'));
  const query = Object.fromEntries(callback.searchParams.entries());
  if (await shopify.utils.validateHmac(query)) passed++; else fail('library rejected the simulator\'s redirect hmac');
  if (shopify.utils.sanitizeShop(query.shop) === SHOP) passed++; else fail(`library rejected the shop ${query.shop}`);
  const tampered = { ...query, shop: 'other.myshopify.test' };
  if (!(await shopify.utils.validateHmac(tampered))) passed++; else fail('library accepted a tampered redirect');

  // (b) The library signs a query; the simulator verifies it.
  const params = { shop: SHOP, timestamp: String(Math.floor(Date.now() / 1000)), state: 'x y+z', host: 'aG9zdA==' };
  const hmac = await generateLocalHmac({ apiSecretKey: SECRET })(params);
  const signed = new URLSearchParams({ ...params, hmac });
  const ok = await fetch(`${url}/_sim/verify-hmac?${signed}`);
  if (ok.status === 200) passed++; else fail(`simulator rejected the library's hmac: ${await ok.text()}`);
  signed.set('state', 'changed');
  const bad = await fetch(`${url}/_sim/verify-hmac?${signed}`);
  if (bad.status === 401) passed++; else fail(`simulator accepted a tampered query (${bad.status})`);

  // And the token the simulator issues works with the library's GraphQL client.
  const code = query.code;
  const tokenRes = await fetch(`${url}/shops/${SHOP}/admin/oauth/access_token`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: KEY, client_secret: SECRET, code }),
  });
  const grant = await tokenRes.json();
  if (grant.access_token && grant.scope === 'read_orders,write_products') passed++; else fail(`token grant ${JSON.stringify(grant)}`);
} catch (e) {
  fail(e.stack ?? String(e));
} finally {
  child.kill('SIGTERM');
}
const failed = process.exitCode ? 1 : 0;
console.log(`${passed} passed, ${failed} failed`);
