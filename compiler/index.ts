/**
 * The compiler: a trained EGRU (*.egru) → per-core maps for a neuromorphic target (*.nmap).
 *
 *   const ir = compile(model, loadTarget('spinnaker2'), { strategy: 'pack', decoder: 'chip' });
 *   saveNmap('m.nmap', ir);               // the file a simulator reads: loadNmap('m.nmap')
 *   summarize(ir)                          // SUMMARY.json content; summaryText() prints it as tables
 *
 * pipeline.ts lists the passes (lower, quantize, partition, place, route, emit); ir.ts holds the types
 * that flow between them; verify.ts the invariants checked after each.
 */
export { compile, DEFAULT_OPTIONS } from './pipeline';
export type { CompileOptions, Emitted, IR, EventEncoding, Strategy, Where, CoreMap } from './ir';
export { EGRU_SLOTS, EGRU_SLOT_COUNT, LINK } from './ir';
export { saveNmap, loadNmap, packNmap, nmapBody, nmapFromRecord, NMAP_KIND, NMAP_FORMAT, NMAP_VERSION } from './nmap';
export type { CompiledMap, NmapCore, NmapPopulation } from './nmap';
export { summarize, summaryText } from './summary';
export type { Summary, CoreSummary } from './summary';
export { verify } from './verify';
export { referenceModel } from './reference';
