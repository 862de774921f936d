// The reference side: graphql-js, driven exactly as `alatar graphql exec|validate` behaves
// (see shared/design/graphql-cli.md): resolvers read own properties of the root JSON value,
// abstract types resolve from a `__typename` property, custom scalars pass JSON through.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const nodeDir = join(here, '..', '..', 'node');
const require = createRequire(join(nodeDir, 'package.json'));
const graphqlPath = require.resolve('graphql');
const graphqlJs = await import(graphqlPath);
export const { buildSchema, graphql, parse, validate, validateSchema, version } = graphqlJs;

// Properties only: a JSON object's prototype (toString, constructor, ...) is not data.
function ownPropertyResolver(source, _args, _context, info) {
    if (source !== null && typeof source === 'object' && Object.hasOwn(source, info.fieldName)) {
        return source[info.fieldName];
    }
    return undefined;
}

function typenameResolver(value) {
    if (value !== null && typeof value === 'object' && typeof value.__typename === 'string') return value.__typename;
    return undefined;
}

const schemaCache = new Map();

export function loadSchema(file) {
    let schema = schemaCache.get(file);
    if (!schema) {
        schema = buildSchema(readFileSync(file, 'utf8'));
        const problems = validateSchema(schema);
        if (problems.length) throw new Error(`${file}: invalid schema: ${problems.map((e) => e.message).join('; ')}`);
        schemaCache.set(file, schema);
    }
    return schema;
}

// JSON round trip: what a client of the CLI would read.
const asJson = (value) => JSON.parse(JSON.stringify(value));

export async function runReference(c) {
    const schema = loadSchema(c.schemaFile);
    if (c.mode === 'validate') {
        let document;
        try {
            document = parse(c.query);
        } catch (syntaxError) {
            return asJson({ errors: [syntaxError] });
        }
        return asJson({ errors: validate(schema, document) });
    }
    const result = await graphql({
        schema,
        source: c.query,
        rootValue: JSON.parse(c.root.text),
        variableValues: c.variables,
        operationName: c.operationName,
        fieldResolver: ownPropertyResolver,
        typeResolver: typenameResolver,
    });
    return asJson(result);
}
