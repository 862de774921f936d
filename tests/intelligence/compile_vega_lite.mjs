// Compiles every Vega-Lite spec in a JSON file ([{id, spec}, ...]) with the pinned vega-lite package and
// exits non-zero when any spec throws or makes vega-lite log a warning or an error.
import { readFileSync } from "node:fs";

// The pinned package lives in tests/node (owned by the test tooling); import it by path.
const vl = await import(new URL("../node/node_modules/vega-lite/build/index.js", import.meta.url).href);

const specs = JSON.parse(readFileSync(process.argv[2], "utf8"));
let failures = 0;
for (const { id, spec } of specs) {
  const problems = [];
  const logger = {
    level() { return this; },
    error: (...m) => { problems.push("error: " + m.join(" ")); return logger; },
    warn: (...m) => { problems.push("warn: " + m.join(" ")); return logger; },
    info: () => logger,
    debug: () => logger,
  };
  try {
    const out = vl.compile(spec, { logger });
    if (!out || !out.spec || !Array.isArray(out.spec.data)) problems.push("no Vega output");
  } catch (e) {
    problems.push("throws: " + e.message);
  }
  if (problems.length) {
    failures++;
    console.error(`${id}: ${problems.join("; ")}`);
  }
}
console.log(`compiled ${specs.length} specs, ${failures} failed`);
process.exit(failures ? 1 : 0);
