/** SVG → PNG with resvg (Rust, no browser, no canvas), text in the report's font family, at 2× for sharp text. */
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string, zoom = 2): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
