/**
 * A plot of the report: a vega-lite spec (built by a pure function in report/plots/ from the inputs) with the
 * title and caption the HTML page shows next to it. Specs hold their data inline: rendering needs no network.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';

export type { TopLevelSpec };

export interface Plot {
  /** Unique within a report; names the PNG file and the figure's anchor. */
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}
