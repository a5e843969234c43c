/** `neuromap targets list | show NAME | validate FILE`: the target descriptions, their numbers and sources. */
import * as fs from 'fs';
import * as path from 'path';
import type { CommandModule } from 'yargs';
import { UserError } from '../../models/config';
import { coresPerChip, isAssumption, maxChips } from '../../targets/derive';
import { listTargets, loadTarget, parseTarget } from '../../targets/load';
import { formatQuantity, quantities } from '../../targets/quantities';
import type { Target } from '../../targets/schema';
import { formatTable } from '../../format/table';
import { type Baseline, listBaselines, loadBaseline } from '../../targets/baseline-schema';

const ACTIONS = ['list', 'show', 'validate'] as const;

interface TargetsArgs {
  action: (typeof ACTIONS)[number];
  target?: string;
}

export const targetsCommand: CommandModule<object, TargetsArgs> = {
  command: 'targets <action> [target]',
  describe: 'List, show or validate target descriptions (hardware as data: every number with its source)',
  builder: (yargs) =>
    yargs
      .positional('action', { choices: ACTIONS, describe: 'list the shipped targets, show one, or validate a file', demandOption: true })
      .positional('target', { type: 'string', describe: 'a shipped target NAME (show) or a FILE path (show, validate)' })
      .check((argv) => {
        if (argv.action !== 'list' && !argv.target) throw new UserError(`targets ${argv.action} needs a target name or file`);
        return true;
      })
      .example('$0 targets list', 'the shipped targets with their size and default arithmetic, then the dense baselines')
      .example('$0 targets show dense-gpu', 'a dense baseline’s numbers')
      .example('$0 targets show loihi', 'every number of a target, its unit and its source')
      .example('$0 targets validate my-chip.yaml', 'check a description you wrote; errors name the bad field'),
  handler: (argv) => {
    const out = (s: string) => process.stdout.write(s + '\n');
    if (argv.action === 'list') out(listText());
    else if (argv.action === 'show') out(listBaselines().includes(argv.target as string) ? baselineText(loadBaseline(argv.target as string)) : showText(loadTarget(argv.target as string)));
    else out(validateText(argv.target as string));
  },
};

function listText(): string {
  const rows = listTargets().map((name) => {
    const t = loadTarget(name);
    return [name, coresPerChip(t), maxChips(t), t.default_arithmetic, Object.keys(t.arithmetic).join(','), brief(t.description)];
  });
  const baselines = listBaselines().map((name) => [name, brief(loadBaseline(name).description)]);
  return [
    formatTable(rows, { header: ['name', 'cores/chip', 'max chips', 'default', 'arithmetics', 'description'] }),
    '',
    'dense baselines (analytic, batch 1; `neuromap simulate M.egru --target NAME`):',
    formatTable(baselines, { header: ['name', 'description'] }),
  ].join('\n');
}

/** The description up to its first full stop, so that a row fits a line; `show` prints it whole. */
function brief(description: string): string {
  const first = description.split(/(?<=\.)\s/)[0];
  return first.length > 120 ? first.slice(0, 119) + '…' : first;
}

function showText(t: Target): string {
  return quantitiesText(t, [
    `${t.name}: ${t.description}`,
    `arithmetic: ${Object.keys(t.arithmetic).join(', ')} (default ${t.default_arithmetic}); timestep: ${t.timestep.scheme}; ` +
      `routing: ${t.routing.algorithm}, ${t.routing.delivery.value} delivery, tables per ${t.routing.table_scope}; EGRU unit: ${t.neuron.egru_unit ? 'yes' : 'no'}` +
      (t.neuron.binary_encoding ? `; binary encoding: ${t.neuron.binary_encoding.scheme}` : ''),
  ]);
}

function baselineText(b: Baseline): string {
  return quantitiesText(b, [
    `${b.name}: ${b.description}`,
    `a dense baseline: the model run densely at batch 1, estimated analytically (simulator/baseline.ts); \`neuromap simulate M.egru --target ${b.name}\``,
  ]);
}

/** The heading lines, then every number with its unit and source, the references, and how many are assumptions. */
function quantitiesText(t: Target | Baseline, heading: string[]): string {
  const rows = quantities(t);
  const lines = [
    ...heading,
    '',
    formatTable(
      rows.map((r) => [r.path, formatQuantity(r.value, r.unit), r.source]),
      { header: ['quantity', 'value', 'source'] },
    ),
  ];
  if (t.references) {
    lines.push('', 'references:');
    for (const [key, citation] of Object.entries(t.references)) lines.push(`  ${key}: ${citation}`);
  }
  const assumed = rows.filter((r) => isAssumption(r.source)).length;
  lines.push('', `${rows.length} numbers, ${assumed} of them assumptions`);
  return lines.join('\n');
}

/** Parses the file afresh (never the cache): the user is checking what is on disk now. */
function validateText(file: string): string {
  if (!fs.existsSync(file)) throw new UserError(`no such file: ${file}`);
  const t = parseTarget(fs.readFileSync(file, 'utf8'), file, path.extname(file) === '.json' ? 'json' : 'yaml');
  const rows = quantities(t);
  return `OK: ${file} describes target ${t.name} (${rows.length} numbers, ${rows.filter((r) => isAssumption(r.source)).length} assumptions)`;
}
