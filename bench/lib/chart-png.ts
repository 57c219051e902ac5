import { Resvg } from '@resvg/resvg-js';

/** Renders an SVG to PNG bytes with resvg (its binary ships in an npm package, so this works offline). */
export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
}
