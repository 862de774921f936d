// The side under test: one `alatar graphql exec|validate` process per case, fed through files.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const kTimeoutMs = 30000;

export function runAlatar(bin, c) {
    const dir = mkdtempSync(join(tmpdir(), 'alatar-conformance-'));
    const queryFile = join(dir, 'query.graphql');
    writeFileSync(queryFile, c.query, 'utf8');
    const args = ['graphql', c.mode, '--schema', c.schemaFile, '--query', queryFile];
    if (c.mode === 'exec') {
        let rootFile = c.root.file;
        if (!rootFile) {
            rootFile = join(dir, 'root.json');
            writeFileSync(rootFile, c.root.text, 'utf8');
        }
        args.push('--root', rootFile);
        if (c.variablesText !== undefined) {
            const variablesFile = join(dir, 'variables.json');
            writeFileSync(variablesFile, c.variablesText, 'utf8');
            args.push('--variables', variablesFile);
        }
        if (c.operationName !== undefined) args.push('--operation', c.operationName);
    }
    return new Promise((resolve) => {
        execFile(bin, args, { timeout: kTimeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            rmSync(dir, { recursive: true, force: true });
            const exitCode = error ? (error.code ?? 'signal ' + error.signal) : 0;
            let response;
            let problem;
            try {
                response = JSON.parse(stdout);
            } catch {
                problem = `output is not JSON (exit ${exitCode})`;
            }
            if (!problem && (exitCode === 2 || typeof exitCode !== 'number')) problem = `exit ${exitCode}`;
            resolve({ response, problem, stderr: stderr.slice(0, 4000), stdout: stdout.slice(0, 4000), args });
        });
    });
}
