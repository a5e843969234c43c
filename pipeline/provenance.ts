/** What every model file records about how it was made. */
import { Provenance, recordedTime } from '../models/model';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { version: string };

export const NEUROMAP_VERSION = pkg.version;

/** Flags whose value is where an output goes: recorded as OUT, so the same run written elsewhere gives the same bytes. */
const OUTPUT_FLAGS = ['--out', '--json', '--trace', '--vocab-out'];

/** The command line as a provenance records it: output paths replaced by OUT. */
export function commandLine(argv: readonly string[] = process.argv.slice(2)): string {
  const words = argv.map((word, i) => {
    const flag = OUTPUT_FLAGS.find((f) => word.startsWith(`${f}=`));
    if (flag) return `${flag}=OUT`;
    return i > 0 && OUTPUT_FLAGS.includes(argv[i - 1]) ? 'OUT' : word;
  });
  return ['neuromap', ...words].join(' ');
}

export function newProvenance(data: string, seed: number, settings: Record<string, unknown>): Provenance {
  return {
    data, seed, steps: 0, tokens: 0, commands: [commandLine()], ...recordedTime(),
    neuromapVersion: NEUROMAP_VERSION, settings,
  };
}
