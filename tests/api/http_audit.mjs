// The graphql-http server audit (every MUST and SHOULD) against a spawned `alatar api`.
import { binaryFromArgs, TestDatabase, startApi, check, summary, nodeRequire } from './harness.mjs';

const { serverAudits } = nodeRequire('graphql-http');

const bin = binaryFromArgs();
const db = new TestDatabase();
let api;
let code = 1;
try {
  db.migrate(bin);
  api = await startApi(bin, db, { ALATAR_TRUST_PROXY: 'true' });
  const audits = serverAudits({ url: api.base + '/graphql' });
  let counted = 0;
  for (const audit of audits) {
    if (!audit.name.startsWith('MUST') && !audit.name.startsWith('SHOULD')) continue;
    counted++;
    const result = await audit.fn();
    let detail;
    if (result.status !== 'ok') {
      detail = result.reason;
      if (result.response) {
        try {
          detail += ` (status ${result.response.status}, body ${await result.response.clone().text()})`;
        } catch { /* body already read */ }
      }
    }
    check(result.status === 'ok', `${audit.id} ${audit.name}`, detail);
  }
  check(counted > 30, `ran the MUST and SHOULD audits (${counted})`);
  code = summary();
} catch (e) {
  console.error(e);
  if (api) console.error(api.logs.join(''));
} finally {
  if (api) await api.stop();
  db.drop();
}
process.exit(code);
