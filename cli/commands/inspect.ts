/**
 * `neuromap inspect FILE`: what a file holds, as plain-text tables.
 *
 * neuromap files are msgpack records with a `format` name (see models/container.ts); inspect dispatches on that
 * name through `describers`, so a new kind of file (e.g. the compiled map, 'neuromap-nmap') plugs in with one
 * entry. Safetensors files (what `import` reads and `export` writes) are recognised by their header.
 */
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../models/config';
import { readFileForUser } from '../../models/atomic';
import { ContainerRecord, checkHeader, decodeContainer } from '../../models/container';
import { EGRU_KIND, modelFromRecord } from '../../models/file';
import { LanguageModel } from '../../models/model';
import { resolveModelPath } from '../../models/pretrained';
import { countParams } from '../../models/params';
import { Safetensors, decodeSafetensors } from '../../models/safetensors';
import { countNonZeros, measureWeightSparsity } from '../../models/sparsity';
import { shapeText } from '../../models/validate';
import { NMAP_KIND } from '../../compiler/nmap';
import { describeNmap } from './compile';
import { Cell, formatCount, formatNumber, formatPairs, formatPercent, formatTable } from '../../format/table';

/** Prints one kind of neuromap file; receives the decoded record, format name already matched. */
export type Describer = (record: ContainerRecord, file: string) => string;

export const describers: Record<string, Describer> = {
  [EGRU_KIND.format]: (record, file) => {
    checkHeader(record, file, EGRU_KIND);
    return describeModel(modelFromRecord(record, file), `${file}: neuromap model (${record.format}, format version ${record.version})`);
  },
  [NMAP_KIND.format]: describeNmap,
};

interface InspectArgs {
  file: string;
}

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <file>',
  describe: 'Show what a file holds: a model (*.egru: config, per-matrix sparsity, vocabulary, provenance, metrics), a compiled map (*.nmap: per layer, core and chip) or a safetensors file',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'A model (*.egru), a compiled map (*.nmap) or a safetensors file' })
      .example('$0 inspect m.egru', 'config, parameters, sparsity of every matrix, provenance and metrics of a model')
      .example('$0 inspect evnn.safetensors', 'tensors, dtypes and metadata of a file to import'),
  handler: (args) => {
    process.stdout.write(inspectFile(args.file) + '\n');
  },
};

export function inspectFile(file: string): string {
  const bytes = readFileForUser(resolveModelPath(file), 'file');
  if (looksLikeSafetensors(bytes)) return describeSafetensors(decodeSafetensors(bytes, file), file);
  const record = decodeContainer(bytes, file);
  const describe = describers[record.format];
  if (!describe)
    throw new UserError(
      `${file} is a '${record.format}' file, which this neuromap cannot show (it knows ${Object.keys(describers).join(', ')} and safetensors)`,
    );
  return describe(record, file);
}

/**
 * An 8-byte little-endian header length of at most the safetensors limit, then a JSON object. The length is not
 * required to fit the file: a truncated safetensors file is still one, and decodeSafetensors says it is cut short
 * (it used to be called "not msgpack").
 */
function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  return n >= 2n && n <= 100_000_000n && bytes[8] === 0x7b;
}

export function describeModel(model: LanguageModel, title: string): string {
  const { config, params, masks, vocab, provenance } = model;
  const sections: string[] = [title];
  sections.push(
    'config\n' +
      formatPairs([
        ['cell', config.cell],
        ['vocabulary', formatCount(config.vocabSize)],
        ['embedding', config.emb],
        ['layers', config.layers.join(', ')],
        ['projection', config.projection > 0 ? config.projection : 'none'],
        ['decoder', config.tied ? 'tied to the embedding' : 'own matrix'],
        ...(config.cell === 'egru' ? ([['surrogate', `γ ${config.surrogateGamma}, support ${config.surrogateSupport}`]] as [string, Cell][]) : []),
        ['parameters', formatCount(countParams(params))],
      ]),
  );
  const rows: Cell[][] = [];
  for (const [name, t] of Object.entries(params)) {
    const nonZeros = countNonZeros(t.data);
    const mask = masks[name];
    const kept = mask ? ` (keeps ${formatCount(mask.reduce((a, b) => a + b, 0))})` : '';
    rows.push([name, shapeText(t.shape), nonZeros, t.data.length, formatPercent(1 - nonZeros / Math.max(1, t.data.length)), mask ? `yes${kept}` : '-']);
  }
  const prunable = measureWeightSparsity(config, params);
  sections.push(
    'tensors\n' +
      formatTable(rows, { header: ['name', 'shape', 'non-zeros', 'total', 'sparsity', 'mask'], indent: 2, align: ['left', 'right', 'right', 'right', 'right', 'left'] }) +
      `\n  weight sparsity over the ${Object.keys(prunable.matrices).length} prunable matrices: ${formatPercent(prunable.overall)}` +
      `, ${Object.keys(masks).length} with a pruning mask`,
  );
  const first = vocab.slice(0, 12).join(' ');
  sections.push(`vocabulary: ${formatCount(vocab.length)} words: ${first}${vocab.length > 12 ? ' …' : ''}`);
  sections.push(
    'provenance\n' +
      formatPairs([
        ['data', provenance.data],
        ['seed', provenance.seed],
        ['steps', formatCount(provenance.steps)],
        ['tokens', formatCount(provenance.tokens)],
        ['created', `${provenance.createdAt ?? '(time not recorded)'} by neuromap ${provenance.neuromapVersion}`],
        ...provenance.commands.map((c, i): [string, Cell] => [i === 0 ? 'commands' : '', c]),
        ...flatten(provenance.settings, 'settings.'),
      ]),
  );
  const metrics = flatten(model.metrics, '');
  sections.push(metrics.length ? 'metrics\n' + formatPairs(metrics) : 'metrics: none recorded');
  sections.push(model.training ? `training state: present (${Object.keys(model.training).join(', ')}), so training can resume` : 'training state: none');
  return sections.join('\n\n');
}

export function describeSafetensors(st: Safetensors, file: string): string {
  const names = Object.keys(st.tensors);
  const sections = [`${file}: safetensors, ${names.length} tensors`];
  const meta = Object.entries(st.metadata);
  if (meta.length) sections.push('metadata\n' + formatPairs(meta));
  const rows = names.map((name): Cell[] => {
    const t = st.tensors[name];
    const nonZeros = countNonZeros(t.data);
    return [name, st.dtypes[name], shapeText(t.shape), nonZeros, t.data.length, formatPercent(1 - nonZeros / Math.max(1, t.data.length))];
  });
  sections.push(
    'tensors\n' +
      formatTable(rows, { header: ['name', 'dtype', 'shape', 'non-zeros', 'total', 'sparsity'], indent: 2, align: ['left', 'left', 'right', 'right', 'right', 'right'] }),
  );
  return sections.join('\n\n');
}

/** Nested records as dotted labels; lists and typed arrays shortened to their first values. */
function flatten(value: Record<string, unknown>, prefix: string): [string, Cell][] {
  const out: [string, Cell][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) for (const pair of flatten(v as Record<string, unknown>, `${prefix}${key}.`)) out.push(pair);
    else out.push([prefix + key, valueText(v)]);
  }
  return out;
}

function valueText(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    const items = Array.from(v as ArrayLike<unknown>);
    const shown = items.slice(0, 8).map((x) => (typeof x === 'number' ? formatNumber(x) : typeof x === 'string' ? x : JSON.stringify(x)));
    const kind = Array.isArray(v) ? '' : `${v.constructor.name}(${items.length}) `;
    return `${kind}[${shown.join(', ')}${items.length > 8 ? ', …' : ''}]`;
  }
  return JSON.stringify(v) ?? String(v);
}
