#!/usr/bin/env node
// A stand-in for `alatar graphql exec|validate` built on graphql-js, used to check the harness
// itself: `node run.mjs --bin selftest/reference-cli.mjs` must pass every case at 100%.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { runReference } from '../lib/reference.mjs';

const [, , area, mode, ...rest] = process.argv;
const { values } = parseArgs({
    args: rest,
    options: {
        schema: { type: 'string' },
        query: { type: 'string' },
        variables: { type: 'string' },
        root: { type: 'string' },
        operation: { type: 'string' },
    },
});
if (area !== 'graphql' || (mode !== 'exec' && mode !== 'validate') || !values.schema || !values.query) {
    process.stderr.write('usage: reference-cli.mjs graphql exec|validate --schema S --query Q [...]\n');
    process.exit(2);
}
const response = await runReference({
    mode,
    schemaFile: values.schema,
    query: readFileSync(values.query, 'utf8'),
    variables: values.variables ? JSON.parse(readFileSync(values.variables, 'utf8')) : undefined,
    root: { text: values.root ? readFileSync(values.root, 'utf8') : '{}' },
    operationName: values.operation,
});
process.stdout.write(JSON.stringify(response) + '\n');
