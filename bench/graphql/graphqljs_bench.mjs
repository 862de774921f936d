#!/usr/bin/env node
// graphql-js's side of the engine benchmark (issue 3): the same four documents the C++ benchmark
// uses (bench/graphql/data/), timed in this single-threaded process after a warm-up.
// Prints JSON on stdout: per case the iterations, mean ns/op and ops/s.
//
//   node bench/graphql/graphqljs_bench.mjs [--min-time SECONDS] [--warmup SECONDS] [--filter NAME]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, 'data');
const require = createRequire(join(here, '..', '..', 'tests', 'node', 'package.json'));
const { buildSchema, execute, parse, validate, version } = await import(require.resolve('graphql'));

const { values: opts } = parseArgs({
    options: {
        'min-time': { type: 'string', default: '2' },
        warmup: { type: 'string', default: '1' },
        filter: { type: 'string' },
    },
});

const read = (name) => readFileSync(join(dataDir, name), 'utf8');

// Resolvers as `alatar graphql exec` has them: own properties of the root JSON, __typename.
function ownPropertyResolver(source, _args, _context, info) {
    if (source !== null && typeof source === 'object' && Object.hasOwn(source, info.fieldName)) {
        return source[info.fieldName];
    }
    return undefined;
}
const typenameResolver = (value) => (typeof value?.__typename === 'string' ? value.__typename : undefined);

function executeChecked(args) {
    const result = execute({ ...args, fieldResolver: ownPropertyResolver, typeResolver: typenameResolver });
    if (typeof result?.then === 'function') throw new Error('execution went asynchronous');
    return result;
}

function setupCases() {
    const apiSchema = buildSchema(read('api.graphql'));
    const kitchenSink = read('kitchen-sink.graphql');
    const realistic = parse(read('realistic-query.graphql'));
    const introspection = parse(read('introspection-query.graphql'));
    const listSchema = buildSchema(read('list-schema.graphql'));
    const listQuery = parse(read('list-query.graphql'));
    const listRoot = JSON.parse(read('list-root.json'));

    const cases = [
        { name: 'parse_kitchen_sink', bytes: kitchenSink.length, run: () => parse(kitchenSink) },
        { name: 'validate_realistic_query', run: () => validate(apiSchema, realistic) },
        { name: 'execute_introspection', run: () => executeChecked({ schema: apiSchema, document: introspection }) },
        {
            name: 'execute_list_1000x10',
            run: () => executeChecked({ schema: listSchema, document: listQuery, rootValue: listRoot }),
        },
    ];
    // Each document must do its job without errors, or the timing means nothing.
    const validationErrors = validate(apiSchema, realistic);
    if (validationErrors.length) throw new Error(`realistic query invalid: ${validationErrors[0].message}`);
    for (const c of cases.slice(2)) {
        const r = c.run();
        if (r.errors) throw new Error(`${c.name}: ${r.errors[0].message}`);
    }
    if (cases[3].run().data.products.length !== 1000) throw new Error('list case does not return 1,000 items');
    return cases;
}

// Runs fn in batches until minSeconds have passed; returns iterations, elapsed nanoseconds and
// the process's CPU time in nanoseconds (all threads: the garbage collector's too), which is the
// fairer figure on a shared machine.
function timeFor(fn, minSeconds) {
    const budget = BigInt(Math.round(minSeconds * 1e9));
    let batch = 1;
    let iterations = 0;
    let elapsed = 0n;
    let sink = 0;
    const cpuStart = process.cpuUsage();
    while (elapsed < budget) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < batch; i++) sink ^= fn() ? 1 : 0;
        elapsed += process.hrtime.bigint() - start;
        iterations += batch;
        if (batch < 1 << 20) batch *= 2;
    }
    const cpu = process.cpuUsage(cpuStart);
    return { iterations, elapsed, cpuNs: (cpu.user + cpu.system) * 1000, sink };
}

const cases = setupCases().filter((c) => !opts.filter || c.name.includes(opts.filter));
const results = [];
for (const c of cases) {
    timeFor(c.run, Number(opts.warmup));
    const { iterations, elapsed, cpuNs } = timeFor(c.run, Number(opts['min-time']));
    const meanNs = Number(elapsed) / iterations;
    const cpuMeanNs = cpuNs / iterations;
    const entry = {
        name: c.name,
        iterations,
        mean_ns: Math.round(meanNs),
        ops_per_sec: Math.round((1e9 / meanNs) * 100) / 100,
        cpu_ns: Math.round(cpuMeanNs),
        cpu_ops_per_sec: Math.round((1e9 / cpuMeanNs) * 100) / 100,
    };
    if (c.bytes) entry.bytes = c.bytes;
    results.push(entry);
}
console.log(
    JSON.stringify(
        { engine: 'graphql-js', graphql_version: version, node_version: process.version, threads: 1, cases: results },
        null,
        2,
    ),
);
