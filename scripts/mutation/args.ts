/**
 * The options of `npm run test:mutation`. A mistyped or unknown option must stop the run: without this check
 * `--help` or `--list` started a full run of every chunk (hours on two cores) instead of saying what is wrong.
 */
export interface MutationArgs {
  only?: string;
  concurrency?: number;
  /** Lines a chunk holds at most in every folder; undefined: each folder's own (scripts/mutation/chunks.ts). */
  maxLines?: number;
  missing: boolean;
  score: boolean;
  list: boolean;
}

const VALUED = ['only', 'concurrency', 'max-lines'];
const FLAGS = ['missing', 'score', 'list'];
export const MUTATION_USAGE =
  'usage: npm run test:mutation -- [--only PATH-PART] [--concurrency N] [--max-lines N] [--missing] [--score] [--list]';

/** Parsed options, or the one-line reason they are refused. */
export function parseMutationArgs(argv: string[]): MutationArgs | { error: string } {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    if (name !== undefined && FLAGS.includes(name)) flags.add(name);
    else if (name !== undefined && VALUED.includes(name)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return { error: `--${name} needs a value` };
      values[name] = value;
      i++;
    } else return { error: `unknown option ${argv[i]}` };
  }
  const positive = (name: string): number | undefined | { error: string } => {
    if (!(name in values)) return undefined;
    const n = Number(values[name]);
    return Number.isInteger(n) && n >= 1 ? n : { error: `--${name} must be a positive integer, got ${values[name]}` };
  };
  const concurrency = positive('concurrency');
  const maxLines = positive('max-lines');
  if (typeof concurrency === 'object') return concurrency;
  if (typeof maxLines === 'object') return maxLines;
  return {
    only: values.only,
    concurrency,
    maxLines,
    missing: flags.has('missing'),
    score: flags.has('score'),
    list: flags.has('list'),
  };
}
