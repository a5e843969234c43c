/**
 * `npm run test:mutation`: Stryker over compiler/, simulator/ and models/, one chunk of files at a time
 * (scripts/mutation/chunks.ts says why), then one score summed over every chunk's report.
 *
 *   npm run test:mutation [-- --only compiler/verify] [--concurrency 4] [--max-lines N]
 *   npm run test:mutation -- --missing      (only the chunks that have no report yet: resumes a stopped run)
 *   npm run test:mutation -- --score        (only sum the reports already there)
 *   npm run test:mutation -- --list         (the chunks, their files and whether each has a record; runs nothing)
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
import { parseMutationArgs, MUTATION_USAGE } from './mutation/args';
import { Chunk, planChunks } from './mutation/chunks';
import { readReports, scoreTable } from './mutation/score';
import { storedPath, syncChunk } from './mutation/store';

const root = path.join(__dirname, '..');
const mutationDir = path.join(root, 'reports', 'mutation');
const outDir = path.join(mutationDir, 'chunks');
const parsed = parseMutationArgs(process.argv.slice(2));
if ('error' in parsed) {
  console.error(`test:mutation: ${parsed.error}\n${MUTATION_USAGE}`);
  process.exit(2);
}
const { only, concurrency, maxLines } = parsed;

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
if (parsed.list) {
  for (const c of chunks) console.log(`${c.name.padEnd(12)} ${measured(c) ? 'recorded' : 'missing '} ${c.files.join(' ')}`);
  process.exit(0);
}
if (!parsed.score) {
  const chosen = chunks.filter(
    (c) => (!only || c.files.some((f) => f.includes(only))) && !(parsed.missing && measured(c)),
  );
  if (chosen.length === 0 && only) {
    console.error(`test:mutation: no mutated file matches --only ${only}; files live under compiler/, simulator/ and models/`);
    process.exit(2);
  }
  const failed = chosen.filter((c, i) => !runChunk(c, i + 1, chosen.length));
  if (failed.length) console.error(`Stryker failed on chunk(s) ${failed.map((c) => c.name).join(', ')}: see their output above`);
}
summarise();
