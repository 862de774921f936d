// Loads the conformance corpus: cases/<section>/<topic>.cases files (the format is described in
// ../README.md) and the schemas and root values they name.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';

const HEADER_KEYS = new Set(['schema', 'mode', 'operation', 'variables', 'root', 'expect', 'expect-message', 'query-json']);

// Parses one .cases file into case objects. Bodies are kept byte for byte (minus trailing blank
// lines) because error locations depend on them.
export function parseCasesFile(text, file) {
    const lines = text.split('\n');
    const cases = [];
    const defaults = {};
    let current = null;
    let inBody = false;
    const finish = () => {
        if (!current) return;
        while (current.body.length && current.body[current.body.length - 1].trim() === '') current.body.pop();
        if (current.headers['query-json'] !== undefined) {
            if (current.body.length) throw new Error(`${file}: case ${current.name} has both query-json and a body`);
            current.query = JSON.parse(current.headers['query-json']);
        } else {
            current.query = current.body.join('\n');
        }
        delete current.body;
        cases.push(current);
        current = null;
    };
    lines.forEach((line, i) => {
        if (line.startsWith('=== ')) {
            finish();
            current = { name: line.slice(4).trim(), headers: { ...defaults }, body: [], line: i + 1 };
            inBody = false;
            return;
        }
        if (!current) {
            // Header lines before the first case are defaults for every case of the file.
            if (line.trim() === '' || line.startsWith('#')) return;
            const colon = line.indexOf(':');
            const key = colon > 0 ? line.slice(0, colon).trim() : '';
            if (!HEADER_KEYS.has(key)) throw new Error(`${file}:${i + 1}: unknown default header line "${line}"`);
            defaults[key] = line.slice(colon + 1).trim();
            return;
        }
        if (inBody) {
            current.body.push(line);
            return;
        }
        if (line === '---') {
            inBody = true;
            return;
        }
        if (line.trim() === '' || line.startsWith('#')) return;
        const colon = line.indexOf(':');
        const key = colon > 0 ? line.slice(0, colon).trim() : '';
        if (!HEADER_KEYS.has(key)) throw new Error(`${file}:${i + 1}: unknown header line "${line}"`);
        current.headers[key] = line.slice(colon + 1).trim();
    });
    finish();
    return cases;
}

function parseExpect(text, where) {
    if (text === undefined) return undefined;
    if (text === 'ok') return { errors: 0 };
    const m = /^errors(?:\s+(\d+))?$/.exec(text);
    if (!m) throw new Error(`${where}: expect must be "ok", "errors" or "errors N", got "${text}"`);
    return { errors: m[1] === undefined ? 'some' : Number(m[1]) };
}

// Reads a root value reference: inline JSON, or the name of schemas/<name>.root.json.
// The raw text is kept so that the binary reads exactly the bytes graphql-js's side parsed.
function resolveRoot(text, schemaName, schemasDir, where) {
    const name = text ?? schemaName;
    if (text !== undefined && /^[[{"\-0-9]|^(null|true|false)$/.test(text)) return { text };
    const file = join(schemasDir, `${name}.root.json`);
    if (!existsSync(file)) {
        if (text === undefined) return { text: '{}' };
        throw new Error(`${where}: no root file ${file}`);
    }
    return { text: readFileSync(file, 'utf8'), file };
}

export function loadCorpus(rootDir) {
    const casesDir = join(rootDir, 'cases');
    const schemasDir = join(rootDir, 'schemas');
    const schemaSources = {};
    for (const f of readdirSync(schemasDir).sort()) {
        if (f.endsWith('.graphql')) schemaSources[basename(f, '.graphql')] = join(schemasDir, f);
    }
    const cases = [];
    const seen = new Set();
    for (const section of readdirSync(casesDir).sort()) {
        const sectionDir = join(casesDir, section);
        for (const f of readdirSync(sectionDir).sort()) {
            if (!f.endsWith('.cases')) continue;
            const topic = basename(f, '.cases');
            const file = join(sectionDir, f);
            for (const c of parseCasesFile(readFileSync(file, 'utf8'), file)) {
                const where = `${file}:${c.line} (${c.name})`;
                const id = `${section}/${topic}/${c.name}`;
                if (seen.has(id)) throw new Error(`${where}: duplicate case name`);
                seen.add(id);
                const h = c.headers;
                const schema = h.schema;
                if (!schema || !schemaSources[schema]) throw new Error(`${where}: unknown or missing schema "${schema}"`);
                const mode = h.mode ?? 'exec';
                if (mode !== 'exec' && mode !== 'validate') throw new Error(`${where}: mode must be exec or validate`);
                let variables;
                if (h.variables !== undefined) {
                    variables = JSON.parse(h.variables);
                    if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
                        throw new Error(`${where}: variables must be a JSON object`);
                    }
                }
                cases.push({
                    id,
                    section,
                    topic,
                    name: c.name,
                    file,
                    line: c.line,
                    schema,
                    schemaFile: schemaSources[schema],
                    mode,
                    query: c.query,
                    variables,
                    operationName: h.operation,
                    variablesText: h.variables,
                    root: mode === 'exec' ? resolveRoot(h.root, schema, schemasDir, where) : undefined,
                    expect: parseExpect(h.expect, where),
                    expectMessage: h['expect-message'],
                });
            }
        }
    }
    return { cases, schemaSources };
}
