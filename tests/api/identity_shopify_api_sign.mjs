// Signs like Shopify's own Node library (@shopify/shopify-api), for the identity tests:
//   node identity_shopify_api_sign.mjs oauth SECRET QUERY      -> hex hmac of an OAuth callback query (hmac ignored)
//   node identity_shopify_api_sign.mjs webhook SECRET BODYFILE -> base64 X-Shopify-Hmac-Sha256 of the raw body
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeRoot = path.join(here, '..', 'node');
const require = createRequire(path.join(nodeRoot, 'package.json'));
require('@shopify/shopify-api/adapters/node');
const dist = path.join(nodeRoot, 'node_modules/@shopify/shopify-api/dist/cjs');
// Not in the package's public exports: the library's own signing code behind validateHmac and webhooks.validate.
const { generateLocalHmac } = require(path.join(dist, 'lib/utils/hmac-validator.js'));
const { createSHA256HMAC } = require(path.join(dist, 'runtime/crypto/utils.js'));

const [kind, secret, arg] = process.argv.slice(2);
if (kind === 'oauth') {
  const params = Object.fromEntries(new URLSearchParams(arg));
  process.stdout.write(await generateLocalHmac({ apiSecretKey: secret })(params));
} else if (kind === 'webhook') {
  process.stdout.write(await createSHA256HMAC(secret, fs.readFileSync(arg, 'utf8')));
} else {
  console.error('usage: node identity_shopify_api_sign.mjs oauth|webhook SECRET QUERY|BODYFILE');
  process.exit(2);
}
