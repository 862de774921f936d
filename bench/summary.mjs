// Gathers one day's benchmark reports (bench/results/<suite>-<date>.md, written by each suite's runner) into
// bench/results/<date>.md: an index with each report's goal lines, then every report in full, one heading level
// down. It measures nothing itself; `make bench` runs the suites first.
//
//   node bench/summary.mjs [--date YYYY-MM-DD] [--out FILE]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(repoRoot, 'bench/results');

const args = { date: new Date().toISOString().slice(0, 10) };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  if (argv[i] === '--date') args.date = argv[i + 1];
  else if (argv[i] === '--out') args.out = argv[i + 1];
  else throw new Error(`unknown option ${argv[i]} (usage: node bench/summary.mjs [--date YYYY-MM-DD] [--out FILE])`);
}
if (!/^\d{4}-\d{2}-\d{2}$/.test(args.date)) throw new Error(`--date must be YYYY-MM-DD, not ${args.date}`);
const out = args.out ?? path.join(resultsDir, `${args.date}.md`);

// Which issue each suite answers, in the order the summary lists them.
const suites = [
  ['api', 'API: alatar vs Mercurius and Apollo (issue 12)'],
  ['api-typename', 'API: `{ __typename }` (issues 4 and 12)'],
  ['ws', 'Subscriptions: 10,000 connections, fan-out (issues 4 and 12)'],
  ['graphql', 'GraphQL engine vs graphql-js (issue 3)'],
  ['sync', 'Shopify sync: bulk backfill and paced paging (issue 5)'],
  ['agents', 'Agent runtime: throughput, overhead and where it goes (issue 7)'],
  ['agents-bench', 'Agent runtime: the benchmark run by make bench (issue 7)'],
  ['api-cpu', 'API: where the server CPU per request goes (issue 12)'],
  ['eval', 'Offline reasoner evaluation (issue 8)'],
  ['loadtest', 'Load test: 500 merchants (issue 12)'],
];

const found = suites
  .map(([name, title]) => ({ name, title, file: path.join(resultsDir, `${name}-${args.date}.md`) }))
  .filter((s) => fs.existsSync(s.file));
if (found.length === 0) throw new Error(`no reports dated ${args.date} in ${path.relative(repoRoot, resultsDir)}`);

// The lines of a report's goals section ("## Against the goals ...", "## Goals" or "## Summary"), if it has one.
function goalLines(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^## (Against the goals|Goals|Summary)/.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l.trim() !== '');
}

const L = [];
L.push(`# Benchmarks of ${args.date}`, '');
L.push(`Gathered by \`node bench/summary.mjs --date ${args.date}\` from the reports below (each written by its own ` +
  'runner, with its machine description and the exact command). All ran on this machine: ' +
  `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, shared ` +
  'by the server, PostgreSQL, RabbitMQ and the load generators.', '');
L.push('## Against the goals', '');
for (const s of found) {
  const text = fs.readFileSync(s.file, 'utf8');
  L.push(`### ${s.title}`, '', `From [${path.basename(s.file)}](${path.basename(s.file)}).`, '');
  const goals = goalLines(text);
  L.push(...(goals.length ? goals : ['(this report states its figures below, without a goals section)']), '');
}
for (const s of found) {
  const text = fs.readFileSync(s.file, 'utf8').trim();
  L.push('---', '');
  // One level down, so each report is a section of this one (not inside code blocks, where # is a comment).
  let inCode = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    L.push(!inCode && /^#{1,5} /.test(line) ? `#${line}` : line);
  }
  L.push('');
}
fs.writeFileSync(out, L.join('\n'));
console.error(`[bench] summary of ${found.length} reports written to ${path.relative(repoRoot, out)}`);
