/** Every command, in the order `neuromap --help` lists them. */
import type { CommandModule } from 'yargs';

// Each entry is a yargs CommandModule whose argument types differ; the array only needs the common shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [];
