/**
 * The look shared by every plot: one font family (named, so SVG → PNG through resvg finds it; DejaVu ships
 * with Debian), white background, and fixed colours for the energy components so targets compare at a glance.
 */
import type { Config } from 'vega-lite/build/index';
import type { BaselinePart, EnergyPart } from './schema';

export const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

export const CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 220 },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 260 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

export const ENERGY_COLORS: Record<EnergyPart | BaselinePart, string> = {
  synaptic: '#4e79a7',
  neuron: '#f28e2b',
  network: '#59a14f',
  sync: '#b07aa1',
  static: '#9c9c9c',
  host: '#e15759',
  // The dense baselines' parts (static is shared).
  compute: '#76b7b2',
  memory: '#edc948',
};

/** Default plot width in pixels; plots stay readable on a laptop screen and in a PNG. */
export const WIDTH = 520;
