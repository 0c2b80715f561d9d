// The path of least resistance between two minima, and the saddle on it: the simplified
// string method (E, Ren & Vanden-Eijnden 2007). Images between the fixed endpoints take
// gradient steps, then are redistributed to equal arc length, until the string settles on a
// minimum-energy path. Its highest image is then refined to a critical point with Newton-MR
// (refine.ts), so the reported saddle is a computed critical point, not a path sample.
import { lossesAndGradients, type Objective } from '../model/objective';
import { lanczosExtremes } from '../linalg/lanczos';
import { distance, dot } from '../linalg/vector';
import { lineMaximum } from './lineMaximum';

export interface StringPath {
  /** Losses of the images along the settled path, endpoints included. */
  losses: number[];
  /** The highest interior image. */
  highest: Float64Array;
  highestIndex: number;
  iterations: number;
  /** Largest move of an image in the last iteration, relative to the endpoint distance. */
  lastMove: number;
}

export interface StringOptions {
  images?: number;
  maxIterations?: number;
  /** Gradient step; keep below 2/λmax for stability. */
  step: number;
}

/**
 * A gradient step the string can take at both ends without blowing up: 1.5/λmax, below the
 * stability limit 2/λmax, with λmax from a few Lanczos steps at each minimum.
 */
export function stableStep(objective: Objective, from: Float64Array, to: Float64Array): number {
  const largest = (theta: Float64Array) => {
    const { values } = lanczosExtremes(
      (v, out) => objective.hessianVectorProduct(theta, v, out),
      objective.parameterCount,
      { count: 1, maxIterations: 30 },
    );
    return Math.max(...values.map(Math.abs));
  };
  return 1.5 / Math.max(largest(from), largest(to), Number.MIN_VALUE);
}

export function minimumEnergyPath(
  objective: Objective,
  from: Float64Array,
  to: Float64Array,
  options: StringOptions,
): StringPath {
  const p = from.length;
  const count = options.images ?? 33;
  const maxIterations = options.maxIterations ?? 3000;
  const images = Array.from({ length: count }, (_, k) => {
    const t = k / (count - 1);
    return Float64Array.from(from, (x, i) => (1 - t) * x + t * to[i]);
  });
  const span = distance(from, to);
  const interior = images.slice(1, count - 1);
  const gradients = interior.map(() => new Float64Array(p));
  const previous = images.map((image) => Float64Array.from(image));
  const cap = (0.25 * span) / (count - 1);
  // After the string has roughly settled, its highest image climbs: it moves uphill along
  // the path's tangent and downhill across it (−g + 2(g·τ)τ), and converges to the saddle.
  let climber = -1;
  let iterations = 0;
  let lastMove = Infinity;
  for (; iterations < maxIterations; iterations++) {
    if (climber < 0 && (lastMove < 1e-4 || iterations >= maxIterations / 2))
      climber = highestInterior(objective, images);
    // Each image's gradient is at the image itself, so all are taken at once (a PyTorch
    // module's worker batches them); the updates below then go in order as before.
    lossesAndGradients(objective, interior, gradients);
    for (let k = 1; k < count - 1; k++) {
      previous[k].set(images[k]);
      const gradient = gradients[k - 1];
      if (k === climber) {
        const tangent = Float64Array.from(images[k + 1], (x, i) => x - images[k - 1][i]);
        const length = Math.sqrt(dot(tangent, tangent));
        if (length > 0) {
          const along = dot(gradient, tangent) / (length * length);
          for (let i = 0; i < p; i++) gradient[i] -= 2 * along * tangent[i];
        }
      }
      // Cap each move at a small fraction of the segment length, so a steep region cannot
      // throw an image across the landscape.
      const move = Math.sqrt(dot(gradient, gradient)) * options.step;
      const scale = move > cap ? (options.step * cap) / move : options.step;
      for (let i = 0; i < p; i++) images[k][i] -= scale * gradient[i];
    }
    if (climber < 0) reparametrize(images);
    else {
      // The climber is a fixed node: each side is redistributed on its own.
      reparametrize(images.slice(0, climber + 1));
      reparametrize(images.slice(climber));
    }
    lastMove = 0;
    for (let k = 1; k < count - 1; k++)
      lastMove = Math.max(lastMove, distance(images[k], previous[k]) / span);
    if (climber >= 0 && lastMove < 1e-9) break;
  }
  const losses = images.map((image) => objective.loss(image));
  const highestIndex = climber >= 0 ? climber : highestInterior(objective, images);
  return {
    losses,
    highest: Float64Array.from(images[highestIndex]),
    highestIndex,
    iterations,
    lastMove,
  };
}

function highestInterior(objective: Objective, images: Float64Array[]): number {
  let best = 1;
  let bestLoss = -Infinity;
  for (let k = 1; k < images.length - 1; k++) {
    const loss = objective.loss(images[k]);
    if (loss > bestLoss) {
      best = k;
      bestLoss = loss;
    }
  }
  return best;
}

/** Redistributes the images to equal arc length along the polyline through them (in place). */
function reparametrize(images: Float64Array[]): void {
  const count = images.length;
  const arc = [0];
  for (let k = 1; k < count; k++) arc.push(arc[k - 1] + distance(images[k], images[k - 1]));
  const total = arc[count - 1];
  if (total === 0) return;
  const copies = images.map((image) => Float64Array.from(image));
  let segment = 1;
  for (let k = 1; k < count - 1; k++) {
    const target = (k / (count - 1)) * total;
    while (segment < count - 1 && arc[segment] < target) segment++;
    const length = arc[segment] - arc[segment - 1];
    const s = length > 0 ? (target - arc[segment - 1]) / length : 0;
    const a = copies[segment - 1];
    const b = copies[segment];
    for (let i = 0; i < a.length; i++) images[k][i] = (1 - s) * a[i] + s * b[i];
  }
}

/**
 * max over t ∈ [0, 1] of L((1 − t)·a + t·b) − mean(L(a), L(b)): the highest of `steps` evenly
 * spaced samples, refined by Brent's method on its bracket.
 */
export function straightLineBarrier(
  objective: Objective,
  a: Float64Array,
  b: Float64Array,
  steps = 101,
): number {
  const point = new Float64Array(a.length);
  const along = (t: number) => {
    for (let i = 0; i < a.length; i++) point[i] = (1 - t) * a[i] + t * b[i];
    return objective.loss(point);
  };
  const ts = Array.from({ length: steps }, (_, k) => k / (steps - 1));
  const losses = ts.map(along);
  const endpoints = 0.5 * (objective.loss(a) + objective.loss(b));
  // A loss that overflows (or is not a number) somewhere on the line is the barrier's word.
  if (!losses.every(Number.isFinite)) return Math.max(...losses) - endpoints;
  return lineMaximum(along, ts, losses)!.value - endpoints;
}
