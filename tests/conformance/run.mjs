#!/usr/bin/env node
// Differential conformance suite: every case runs through graphql-js (the reference, in process)
// and through `alatar graphql exec|validate`; data, error counts, paths and locations must be
// identical, and at least 95% of error messages must match graphql-js's text exactly.
//
//   node run.mjs [--bin PATH] [--js-only] [--update] [--filter TEXT] [--jobs N] [--max-diffs N]
//
// --js-only  runs graphql-js only: checks every case's `expect`, the golden files, and prints the
//            corpus distribution (use it while the engine is unfinished).
// --update   rewrites the golden files in expected/ from graphql-js.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { runAlatar } from './lib/alatar.mjs';
import { loadCorpus } from './lib/cases.mjs';
import { compareResponses, jsonDiff } from './lib/compare.mjs';
import { runReference, version as graphqlVersion } from './lib/reference.mjs';

const kMinMessageMatchRate = 0.95;
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

const { values: opts } = parseArgs({
    options: {
        bin: { type: 'string' },
        'js-only': { type: 'boolean', default: false },
        update: { type: 'boolean', default: false },
        filter: { type: 'string' },
        jobs: { type: 'string', default: '2' },
        'max-diffs': { type: 'string', default: '200' },
    },
});

function findBinary() {
    const candidates = [opts.bin, process.env.ALATAR_BIN, join(repoRoot, 'build-asan', 'alatar'), join(repoRoot, 'build', 'alatar')];
    for (const c of candidates) if (c && existsSync(c)) return resolve(c);
    return null;
}

function checkExpectation(c, response) {
    const errors = response.errors ?? [];
    const out = [];
    if (c.expect) {
        if (c.expect.errors === 0 && errors.length) out.push(`expected no errors, got: ${errors.map((e) => e.message).join(' | ')}`);
        if (c.expect.errors === 'some' && !errors.length) out.push('expected errors, got none');
        if (typeof c.expect.errors === 'number' && c.expect.errors > 0 && errors.length !== c.expect.errors) {
            out.push(`expected ${c.expect.errors} error(s), got ${errors.length}: ${errors.map((e) => e.message).join(' | ')}`);
        }
    }
    if (c.expectMessage && !errors.some((e) => e.message.includes(c.expectMessage))) {
        out.push(`no error message contains "${c.expectMessage}": ${errors.map((e) => e.message).join(' | ') || '(no errors)'}`);
    }
    return out;
}

function goldenFile(c) {
    return join(here, 'expected', c.section, `${c.topic}.json`);
}

// Golden files: one JSON object per topic, case name -> graphql-js response.
function handleGoldens(cases, responses) {
    const byFile = new Map();
    cases.forEach((c, i) => {
        const f = goldenFile(c);
        if (!byFile.has(f)) byFile.set(f, {});
        byFile.get(f)[c.name] = responses[i];
    });
    const stale = [];
    for (const [f, content] of byFile) {
        if (opts.update) {
            mkdirSync(dirname(f), { recursive: true });
            writeFileSync(f, JSON.stringify(content, null, 2) + '\n');
            continue;
        }
        const golden = existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : {};
        for (const [name, response] of Object.entries(content)) {
            if (!(name in golden)) stale.push({ file: f, name, why: 'no golden response' });
            else if (JSON.stringify(golden[name]) !== JSON.stringify(response)) {
                stale.push({ file: f, name, why: 'graphql-js now answers differently', diff: jsonDiff(golden[name], response) });
            }
        }
    }
    return stale;
}

async function pool(items, jobs, fn) {
    const results = new Array(items.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i], i);
            done += 1;
            if (process.stderr.isTTY && done % 25 === 0) process.stderr.write(`\r${done}/${items.length}`);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
    if (process.stderr.isTTY) process.stderr.write('\r');
    return results;
}

const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);

function printDistribution(cases, responses) {
    const sections = new Map();
    cases.forEach((c, i) => {
        const s = sections.get(c.section) ?? { cases: 0, exec: 0, validate: 0, valid: 0, invalid: 0, errors: 0, data: 0 };
        const r = responses[i];
        const n = (r.errors ?? []).length;
        s.cases += 1;
        s[c.mode] += 1;
        if (n) s.invalid += 1;
        else s.valid += 1;
        s.errors += n;
        if ('data' in r) s.data += 1;
        sections.set(c.section, s);
    });
    console.log(`\n${pad('section', 34)}${padL('cases', 6)}${padL('exec', 6)}${padL('valid.', 7)}${padL('no err', 7)}${padL('errors', 7)}${padL('errs', 6)}${padL('data', 6)}`);
    const total = { cases: 0, exec: 0, validate: 0, valid: 0, invalid: 0, errors: 0, data: 0 };
    for (const [name, s] of sections) {
        console.log(`${pad(name, 34)}${padL(s.cases, 6)}${padL(s.exec, 6)}${padL(s.validate, 7)}${padL(s.valid, 7)}${padL(s.invalid, 7)}${padL(s.errors, 6)}${padL(s.data, 6)}`);
        for (const k of Object.keys(total)) total[k] += s[k];
    }
    console.log(`${pad('total', 34)}${padL(total.cases, 6)}${padL(total.exec, 6)}${padL(total.validate, 7)}${padL(total.valid, 7)}${padL(total.invalid, 7)}${padL(total.errors, 6)}${padL(total.data, 6)}`);
    const schemas = {};
    for (const c of cases) schemas[c.schema] = (schemas[c.schema] ?? 0) + 1;
    console.log(`schemas: ${Object.entries(schemas).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log('(exec/valid. = mode; no err/errors = cases without/with errors; errs = errors in all; data = responses with "data")');
}

async function main() {
    let { cases } = loadCorpus(here);
    if (opts.filter) cases = cases.filter((c) => c.id.includes(opts.filter));
    console.log(`graphql-js ${graphqlVersion}; ${cases.length} cases`);

    const responses = [];
    const corpusProblems = [];
    for (const c of cases) {
        let r;
        try {
            r = await runReference(c);
        } catch (e) {
            corpusProblems.push(`${c.id}: graphql-js threw: ${e.stack}`);
            r = { errors: [{ message: `reference threw: ${e.message}` }] };
        }
        responses.push(r);
        for (const p of checkExpectation(c, r)) corpusProblems.push(`${c.id} (${c.file}:${c.line}): ${p}`);
    }
    const stale = opts.filter && opts.update ? [] : handleGoldens(cases, responses);
    if (opts.update) console.log('golden files in expected/ rewritten');

    for (const p of corpusProblems) console.log(`CORPUS: ${p}`);
    const missing = stale.filter((s) => !s.diff);
    if (missing.length) {
        const names = missing.slice(0, 10).map((s) => s.name).join(', ');
        console.log(`GOLDEN: ${missing.length} case(s) have no golden response (${names}${missing.length > 10 ? ', ...' : ''}): run node run.mjs --update`);
    }
    for (const s of stale.filter((x) => x.diff)) {
        console.log(`GOLDEN: ${s.file} [${s.name}]: ${s.why} (run node run.mjs --update and review the diff)`);
        console.log(s.diff.map((l) => `    ${l}`).join('\n'));
    }
    const badCases = new Set([...corpusProblems.map((p) => p.split(' ')[0].replace(/:$/, '')), ...stale.map((s) => s.name)]);

    if (opts['js-only']) {
        printDistribution(cases, responses);
        const failed = Math.min(cases.length, badCases.size);
        console.log(`\n${cases.length - failed} passed, ${failed} failed`);
        process.exit(failed ? 1 : 0);
    }

    const bin = findBinary();
    if (!bin) {
        console.log('no alatar binary: pass --bin PATH or set ALATAR_BIN (or use --js-only)');
        process.exit(1);
    }
    console.log(`alatar: ${bin}`);
    const jobs = Number(opts.jobs);
    const results = await pool(cases, jobs, async (c, i) => {
        const run = await runAlatar(bin, c);
        if (run.problem) {
            return { problems: [run.problem], messageDiffs: [], total: (responses[i].errors ?? []).length, matched: 0, run };
        }
        return { ...compareResponses(responses[i], run.response, c.mode), run };
    });

    const sections = new Map();
    let failedCases = 0;
    let totalMessages = 0;
    let matchedMessages = 0;
    const printed = [];
    const maxDiffs = Number(opts['max-diffs']);
    cases.forEach((c, i) => {
        const res = results[i];
        const s = sections.get(c.section) ?? { cases: 0, passed: 0, messages: 0, matched: 0 };
        s.cases += 1;
        s.messages += res.total;
        s.matched += res.matched;
        totalMessages += res.total;
        matchedMessages += res.matched;
        if (res.problems.length) failedCases += 1;
        else s.passed += 1;
        sections.set(c.section, s);
        if ((res.problems.length || res.messageDiffs.length) && printed.length < maxDiffs) printed.push(i);
    });

    for (const i of printed) {
        const c = cases[i];
        const res = results[i];
        console.log(`\n${res.problems.length ? 'MISMATCH' : 'MESSAGE'} ${c.id}  (${c.file}:${c.line})`);
        for (const p of res.problems) console.log(`  - ${p}`);
        for (const d of res.messageDiffs) console.log(`  message: graphql-js: ${d.expected}\n           alatar:     ${d.actual}`);
        if (res.problems.length) {
            if (res.run.response) console.log(jsonDiff(responses[i], res.run.response).map((l) => `    ${l}`).join('\n'));
            else console.log(`    stdout: ${res.run.stdout}\n    stderr: ${res.run.stderr}`);
            console.log(`    command: ${bin} ${res.run.args.join(' ')}`);
        }
    }

    console.log(`\n${pad('section', 34)}${padL('cases', 7)}${padL('passed', 8)}${padL('messages', 10)}`);
    for (const [name, s] of sections) {
        console.log(`${pad(name, 34)}${padL(s.cases, 7)}${padL(s.passed, 8)}${padL(`${s.matched}/${s.messages}`, 10)}`);
    }
    const rate = totalMessages ? matchedMessages / totalMessages : 1;
    console.log(`\nmessage match rate: ${matchedMessages}/${totalMessages} = ${(rate * 100).toFixed(2)}% (minimum ${kMinMessageMatchRate * 100}%)`);
    const rateFailed = rate < kMinMessageMatchRate;
    const failed = failedCases + corpusProblems.length + stale.length;
    console.log(`${cases.length - failedCases} passed, ${failed} failed${rateFailed ? ' (message match rate below minimum)' : ''}`);
    process.exit(failed || rateFailed ? 1 : 0);
}

await main();
