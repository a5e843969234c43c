/**
 * The models shipped with neuromap, under `pretrained/` at the top of the package: wherever a model file is taken,
 * `pretrained:NAME` names `pretrained/NAME.egru` (pretrained/README.md holds their model cards).
 */
import fs from 'fs';
import path from 'path';
import { UserError } from './config';

export const PRETRAINED_PREFIX = 'pretrained:';
export const PRETRAINED_DIR = path.join(__dirname, '..', 'pretrained');

/** The names of the shipped models, sorted. */
export function pretrainedNames(): string[] {
  if (!fs.existsSync(PRETRAINED_DIR)) return [];
  return fs.readdirSync(PRETRAINED_DIR).filter((f) => f.endsWith('.egru')).map((f) => f.slice(0, -'.egru'.length)).sort();
}

/** A model argument as a path: `pretrained:NAME` resolved, anything else unchanged. */
export function resolveModelPath(arg: string): string {
  if (!arg.startsWith(PRETRAINED_PREFIX)) return arg;
  const name = arg.slice(PRETRAINED_PREFIX.length);
  const file = path.join(PRETRAINED_DIR, `${name}.egru`);
  if (!/^[\w.-]+$/.test(name) || !fs.existsSync(file)) {
    const names = pretrainedNames();
    throw new UserError(
      `no pretrained model "${name}": ${names.length ? `the shipped ones are ${names.map((n) => PRETRAINED_PREFIX + n).join(', ')}` : 'this copy of neuromap ships none'}`,
    );
  }
  return file;
}
