/**
 * Penn-Treebank-format corpora (`--data DIR`): train.txt, valid.txt and test.txt in UTF-8, one sentence a line,
 * whitespace-separated tokens used as they are (no normalisation: the files are assumed preprocessed already).
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../config';
import { textToSentences } from './tokenize';

export type SplitName = 'train' | 'valid' | 'test';
export const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];

/** Sentences (each ending with `<eos>`) of the three splits. */
export type SplitSentences = Record<SplitName, string[][]>;

const FORMAT = 'one sentence a line, tokens separated by whitespace, UTF-8';
const EXPECTED = `--data DIR must contain train.txt, valid.txt and test.txt (${FORMAT})`;

/**
 * Reads one file in the line format → sentences. `what` names the file in messages (e.g. "--text notes.txt").
 * Every failure is a UserError: missing file, unreadable file, invalid UTF-8, no tokens at all.
 */
export function readSentenceFile(file: string, what: string): string[][] {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${what}: no such file (${path.resolve(file)})`);
    if (code === 'EISDIR') throw new UserError(`${what}: is a directory, expected a text file (${FORMAT})`);
    throw new UserError(`${what}: cannot read ${path.resolve(file)} (${(e as Error).message})`);
  }
  let text: string;
  try {
    // fatal: a latin-1 file read as UTF-8 would otherwise silently turn into U+FFFD words.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${what}: not valid UTF-8; convert it first (e.g. iconv -f latin1 -t utf-8)`);
  }
  const sentences = textToSentences(text);
  if (sentences.length === 0) throw new UserError(`${what}: has no tokens; expected ${FORMAT}`);
  return sentences;
}

/** Reads a PTB-format directory. */
export function readPtbDir(dir: string): SplitSentences {
  const abs = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new UserError(`--data ${dir}: no such directory (${abs}); ${EXPECTED}`);
  }
  if (!stat.isDirectory()) throw new UserError(`--data ${dir}: not a directory; ${EXPECTED}`);
  const missing = SPLITS.map((s) => `${s}.txt`).filter((f) => !fs.existsSync(path.join(abs, f)));
  if (missing.length > 0) throw new UserError(`${EXPECTED}; missing: ${missing.join(', ')} (in ${abs})`);
  const read = (s: SplitName) => readSentenceFile(path.join(abs, `${s}.txt`), `--data ${dir}: ${s}.txt`);
  return { train: read('train'), valid: read('valid'), test: read('test') };
}
