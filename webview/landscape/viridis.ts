// The viridis color map as 256 RGB byte triples, computed once: the heatmap and the 3-D
// surface color the loss alike.
import { interpolateViridis } from 'd3-scale-chromatic';

export const VIRIDIS: Uint8ClampedArray = (() => {
  const table = new Uint8ClampedArray(256 * 3);
  for (let k = 0; k < 256; k++) {
    const value = parseInt(interpolateViridis(k / 255).slice(1), 16);
    table.set([(value >> 16) & 255, (value >> 8) & 255, value & 255], 3 * k);
  }
  return table;
})();

/** The color map at position t in [0, 1], as RGB bytes. */
export function viridisAt(t: number): [number, number, number] {
  const k = 3 * Math.round(255 * Math.min(1, Math.max(0, t)));
  return [VIRIDIS[k], VIRIDIS[k + 1], VIRIDIS[k + 2]];
}
