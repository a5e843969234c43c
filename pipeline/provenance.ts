/** What every model file records about how it was made. */
import { Provenance } from '../models/model';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { version: string };

export const NEUROMAP_VERSION = pkg.version;

export function commandLine(): string {
  return ['neuromap', ...process.argv.slice(2)].join(' ');
}

export function newProvenance(data: string, seed: number, settings: Record<string, unknown>): Provenance {
  return {
    data, seed, steps: 0, tokens: 0, commands: [commandLine()], createdAt: new Date().toISOString(),
    neuromapVersion: NEUROMAP_VERSION, settings,
  };
}
