/** Every command, in the order `neuromap --help` lists them. */
import type { CommandModule } from 'yargs';
import { compileCommand } from './compile';
import { corpusCommand } from './corpus';
import { demoCommand } from './demo';
import { evalCommand } from './eval';
import { exportCommand } from './export';
import { importCommand } from './import';
import { inspectCommand } from './inspect';
import { pruneCommand } from './prune';
import { reportCommand } from './report';
import { simulateCommand } from './simulate';
import { sweepCommand } from './sweep';
import { targetsCommand } from './targets';
import { trainCommand } from './train';
import { workerCommand } from './worker';

// Each entry is a yargs CommandModule whose argument types differ; the array only needs the common shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  demoCommand, trainCommand, pruneCommand, evalCommand, compileCommand, simulateCommand, sweepCommand, workerCommand, reportCommand, inspectCommand, importCommand, exportCommand, targetsCommand, corpusCommand,
];
