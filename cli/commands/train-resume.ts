/**
 * `train --resume` continues the checkpoint's run with the checkpoint's model and settings. A flag that asks for
 * something else (`--layers 64,64` against a 128,128 checkpoint, another `--lr`) used to be ignored in silence;
 * it is refused, naming each contradiction.
 *
 * A flag counts as given when its value differs from the flag's default (the same builder parsed with no flags):
 * a flag given at exactly its default cannot be told from one not given, and is not checked.
 */
import yargs from 'yargs';
import { UserError, type ModelConfig } from '../../models/config';
import type { TrainSettings } from '../../models/train';
import { configFromArgs, dataOptions, modelOptions, trainSettingsFromArgs, trainingOptions } from '../../pipeline/flags';

type Loose = Record<string, unknown>;

function defaultArgs(): Loose {
  return trainingOptions(modelOptions(dataOptions(yargs([])))).help(false).version(false).parseSync() as Loose;
}

export function checkResumeFlags(args: Loose, config: ModelConfig, settings: TrainSettings, checkpoint: string): void {
  const defaults = defaultArgs();
  const asked = (a: Loose): Loose => ({ ...configFromArgs(a, config.vocabSize), ...trainSettingsFromArgs(a) });
  const given = asked(args), unchanged = asked(defaults);
  const saved: Loose = { ...config, ...settings };
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const contradictions = Object.keys(given)
    .filter((key) => key in saved && !same(given[key], unchanged[key]) && !same(given[key], saved[key]))
    .map((key) => `${key} ${String(given[key])} (the checkpoint's is ${String(saved[key])})`);
  if (contradictions.length)
    throw new UserError(
      `--resume continues ${checkpoint} with its own settings, and the flags ask for others: ${contradictions.join(', ')}; ` +
        'drop those flags, or start a new run without --resume',
    );
}
