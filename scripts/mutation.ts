/**
 * `npm run test:mutation`: Stryker over compiler/, simulator/ and models/, one chunk of files at a time
 * (scripts/mutation/chunks.ts says why), then one score summed over every chunk's report.
 *
 *   npm run test:mutation [-- --only compiler/verify] [--concurrency 4] [--max-lines 700]
 *   npm run test:mutation -- --missing      (only the chunks that have no report yet: resumes a stopped run)
 *   npm run test:mutation -- --score        (only sum the reports already there)
 *
 * Each chunk keeps its incremental file, so running again re-tests only the mutants of changed code and those
 * covered by changed tests. That file is also committed, gzipped, in test/mutation-results/ (scripts/mutation/
 * store.ts says why): a fresh checkout starts from the last recorded run, and `--score` sums the recorded runs.
 * Results: reports/mutation/score.md (per file, folder and overall) and reports/mutation/undetected.md (every
 * surviving or uncovered mutant); reports/ is git-ignored.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { Chunk, planChunks } from './mutation/chunks';
import { readReports, scoreTable } from './mutation/score';
import { storedPath, syncChunk } from './mutation/store';

const root = path.join(__dirname, '..');
const mutationDir = path.join(root, 'reports', 'mutation');
const outDir = path.join(mutationDir, 'chunks');
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
/** A whole-number option of 1 or more; a bad one ends the run in one line. */
const positiveInt = (name: string): number | undefined => {
  const text = option(name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1) return n;
  console.error(`test:mutation: --${name} must be a positive integer, got ${text}`);
  process.exit(2);
};
const maxLines = positiveInt('max-lines') ?? 700;
const concurrency = positiveInt('concurrency');
const only = option('only');

const chunks = planChunks(root, maxLines);
const incrementalPath = (c: Chunk) => path.join(outDir, `${c.name}.incremental.json`);
/** Measured: the chunk has a recorded run (committed, or made here and saved just now). */
const measured = (c: Chunk) => fs.existsSync(storedPath(root, c.name));

function runChunk(c: Chunk, index: number, of: number): boolean {
  const config = path.join(outDir, `${c.name}.config.mjs`);
  const rel = (p: string) => path.relative(root, p);
  // A config per chunk, naming its files and its own incremental file, so that chunks never share results.
  // ignoreStatic: a static mutant (module-level code: constant tables, the settings table) can only be tested by
  // reloading every module and running every test that imports it; on compiler-1 they were 39% of the mutants
  // and Stryker estimated 88% of the time, which made the whole run ~13 hours. They are counted apart, unscored.
  fs.writeFileSync(
    config,
    `import base from ${JSON.stringify(path.join(root, 'stryker.config.mjs'))};\n` +
      `export default { ...base, mutate: ${JSON.stringify(c.files)},\n` +
      (concurrency ? `  concurrency: ${concurrency},\n` : '') +
      `  incrementalFile: ${JSON.stringify(rel(incrementalPath(c)))},\n` +
      `  ignoreStatic: true,\n` +
      // No JSON reporter: the incremental file holds the same report.
      `  reporters: ['clear-text', 'progress'] };\n`,
  );
  console.log(`\n== chunk ${index}/${of} ${c.name}: ${c.files.join(' ')} (${new Date().toISOString()})`);
  if (syncChunk(root, c.name, incrementalPath(c)) === 'restored') console.log(`(starting from the recorded run in ${rel(storedPath(root, c.name))})`);
  const r = spawnSync('npx', ['stryker', 'run', config], { cwd: root, stdio: 'inherit' });
  if (r.status === 0 && syncChunk(root, c.name, incrementalPath(c)) === 'saved') console.log(`recorded in ${rel(storedPath(root, c.name))}: commit it`);
  return r.status === 0;
}

function summarise(): void {
  const present: Chunk[] = [];
  const missing: Chunk[] = [];
  for (const c of chunks) {
    syncChunk(root, c.name, incrementalPath(c));
    (measured(c) ? present : missing).push(c);
  }
  const { files, undetected } = readReports(present.map((c) => ({ path: storedPath(root, c.name), files: c.files })));
  const table = scoreTable(files);
  const header = `Mutation score, ${new Date().toISOString()}: ${present.length} of ${chunks.length} chunks measured` +
    (missing.length ? ` (not yet: ${missing.map((c) => c.name).join(', ')})` : '') + '\n\n';
  fs.writeFileSync(path.join(mutationDir, 'score.md'), header + table + '\n');
  fs.writeFileSync(
    path.join(mutationDir, 'undetected.md'),
    undetected.map((u) => `- ${u.file}:${u.line} ${u.status} ${u.mutator}: \`${u.replacement}\``).join('\n') + '\n',
  );
  console.log(header + table);
  console.log(`\n${undetected.length} undetected mutants listed in reports/mutation/undetected.md`);
}

fs.mkdirSync(outDir, { recursive: true });
if (!args.includes('--score')) {
  const chosen = chunks.filter(
    (c) => (!only || c.files.some((f) => f.includes(only))) && !(args.includes('--missing') && measured(c)),
  );
  if (chosen.length === 0 && only) {
    console.error(`test:mutation: no mutated file matches --only ${only}; files live under compiler/, simulator/ and models/`);
    process.exit(2);
  }
  const failed = chosen.filter((c, i) => !runChunk(c, i + 1, chosen.length));
  if (failed.length) console.error(`Stryker failed on chunk(s) ${failed.map((c) => c.name).join(', ')}: see their output above`);
}
summarise();
