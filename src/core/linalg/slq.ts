// The spectral density of a Hessian too large to decompose, by stochastic Lanczos quadrature
// (Ubaru, Chen & Saad 2017; as PyHessian draws it, Yao et al. 2020): for each Rademacher
// probe v, k Lanczos steps from v/‖v‖ give a tridiagonal T whose eigenvalues θᵢ are the nodes
// and the squared first components of its eigenvectors the weights of a Gauss quadrature of
// the spectral measure vᵀδ(H − t)v. Averaged over probes, and broadened by Gaussians, that
// estimates the eigenvalue density (1/P) Σ δ(t − λⱼ).
//
// Both counts stop early, at the accuracy the broadened density can show (`tolerance`, an L1
// distance out of 2): a probe's Lanczos once its density moves less than that over
// LOOK_BACK steps (the smooth density converges long before the Ritz values do), and the
// probes once the standard error of their mean is below it. The variance of one probe's
// weights falls like 1/P, so a model of 10⁵ parameters needs few probes and a small one many.
import { symmetricEigen } from './eigen';
import { LanczosRun, rademacherStart } from './lanczos';

export interface SlqOptions {
  /** At most this many probes. */
  probes: number;
  /** At most this many Lanczos steps per probe (and at most P). */
  iterations: number;
  /** Width of the Gaussians as a share of the spectrum's range. */
  broadening: number;
  /** L1 distance at which a density counts as settled; 0 runs every probe and step. */
  tolerance: number;
  seed: number;
}

/** Quadrature nodes and weights of all probes, the weights summing to 1. */
export interface SpectralQuadrature {
  nodes: number[];
  weights: number[];
  /** The Lanczos steps each probe took. */
  steps: number[];
  /** Estimated L1 standard error of the averaged density; null from a single probe. */
  standardError: number | null;
  /** Each probe's Rayleigh quotient qᵀHq = α₁ (q the unit probe): P·α₁ estimates tr(H). */
  rayleigh: number[];
}

/** A probe's density is settled when it moved less than the tolerance over this many steps… */
const LOOK_BACK = 5;
/** …and it took at least this many. */
const MIN_STEPS = 10;
/** Fewer probes than this give no estimate of their spread worth stopping on. */
const MIN_PROBES = 3;
/** Grid points of the convergence checks (the density drawn has its own grid). */
const CHECK_GRID = 200;

interface Quadrature {
  nodes: number[];
  weights: number[];
}

/**
 * Throws NonFiniteMatrixError when a product H·v is not finite. `first`, when given, is a
 * Lanczos run from Rademacher probe 0 of `options.seed` (`rademacherStart(n, seed, 0)`), such
 * as the verdict's own: probe 0 goes on from where it stopped instead of starting again.
 */
export function stochasticLanczosQuadrature(
  multiply: (v: Float64Array, out: Float64Array) => void,
  n: number,
  options: SlqOptions,
  first?: LanczosRun,
): SpectralQuadrature {
  const maxSteps = Math.max(1, Math.min(n, options.iterations));
  const probes: Quadrature[] = [];
  const steps: number[] = [];
  const rayleigh: number[] = [];
  let standardError: number | null = null;
  for (let probe = 0; probe < options.probes; probe++) {
    const run =
      probe === 0 && first
        ? first
        : new LanczosRun(multiply, rademacherStart(n, options.seed, probe));
    const quadrature = probeQuadrature(run, maxSteps, options);
    rayleigh.push(run.alpha[0]);
    probes.push(quadrature);
    steps.push(quadrature.nodes.length);
    if (probes.length >= 2) standardError = meanStandardError(probes, options.broadening);
    if (probes.length >= MIN_PROBES && standardError !== null && standardError <= options.tolerance)
      break;
  }
  return {
    nodes: probes.flatMap((q) => q.nodes),
    weights: probes.flatMap((q) => q.weights.map((w) => w / probes.length)),
    steps,
    standardError,
    rayleigh,
  };
}

/**
 * One probe's quadrature: the run's tridiagonal after `maxSteps` steps, or fewer when the
 * Krylov space is exhausted or the density has settled. Steps the run already took are
 * reused; it takes the others.
 */
function probeQuadrature(run: LanczosRun, maxSteps: number, options: SlqOptions): Quadrature {
  // The quadratures of the last LOOK_BACK step counts, oldest first.
  const recent: Quadrature[] = [];
  for (let k = 1; k <= maxSteps; k++) {
    if (run.steps < k) run.step();
    const a = run.alpha[k - 1];
    const b = run.beta[k - 1];
    if (k === maxSteps || b <= 1e-12 * Math.max(1, Math.abs(a))) return leadingQuadrature(run, k);
    if (k >= MIN_STEPS - LOOK_BACK && options.tolerance > 0) {
      const current = leadingQuadrature(run, k);
      if (recent.length === LOOK_BACK && settled(recent[0], current, options)) return current;
      recent.push(current);
      if (recent.length > LOOK_BACK) recent.shift();
    }
  }
  return leadingQuadrature(run, maxSteps);
}

/** The Gauss quadrature of the first k Lanczos steps: the leading k × k tridiagonal. */
function leadingQuadrature(run: LanczosRun, k: number): Quadrature {
  return tridiagonalQuadrature(run.alpha.slice(0, k), run.beta.slice(0, k - 1));
}

/** Whether two quadratures' broadened densities lie within the tolerance of each other. */
function settled(a: Quadrature, b: Quadrature, options: SlqOptions): boolean {
  const { sigma, grid } = densityGrid([...a.nodes, ...b.nodes], options.broadening, CHECK_GRID);
  const distance = densityDistance(
    grid,
    broadenedDensity(a.nodes, a.weights, sigma, grid),
    broadenedDensity(b.nodes, b.weights, sigma, grid),
  );
  return distance <= options.tolerance;
}

/** Gauss quadrature of the tridiagonal (alpha on the diagonal, beta beside it). */
function tridiagonalQuadrature(alpha: number[], beta: number[]): Quadrature {
  const k = alpha.length;
  const t = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    t[i * k + i] = alpha[i];
    if (i + 1 < k) t[i * k + i + 1] = t[(i + 1) * k + i] = beta[i];
  }
  const { values, vectors } = symmetricEigen(t, k);
  // vectors holds eigenvector i in column i: its first component is vectors[i].
  return {
    nodes: Array.from(values),
    weights: Array.from({ length: k }, (_, i) => vectors[i] ** 2),
  };
}

/**
 * ∫ s(t)/√m dt, with s the standard deviation across the m probes' broadened densities:
 * how far their mean may lie from the expected density.
 */
function meanStandardError(probes: Quadrature[], broadening: number): number {
  const m = probes.length;
  const { sigma, grid } = densityGrid(
    probes.flatMap((q) => q.nodes),
    broadening,
    CHECK_GRID,
  );
  const densities = probes.map((q) => broadenedDensity(q.nodes, q.weights, sigma, grid));
  const spread = grid.map((_, i) => {
    const mean = densities.reduce((sum, d) => sum + d[i], 0) / m;
    const variance = densities.reduce((sum, d) => sum + (d[i] - mean) ** 2, 0) / (m - 1);
    return Math.sqrt(variance / m);
  });
  return densityDistance(
    grid,
    spread,
    grid.map(() => 0),
  );
}

/** Grid points reach this many broadening widths beyond the extreme values. */
const MARGIN_WIDTHS = 4;

/**
 * The Gaussians' width, σ = broadening × the values' range, and an evenly spaced grid of
 * `points` reaching MARGIN_WIDTHS·σ beyond the extreme values.
 */
export function densityGrid(
  values: readonly number[],
  broadening: number,
  points: number,
): { sigma: number; grid: number[] } {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const sigma = broadening * Math.max(high - low, 1e-12 * Math.max(1, Math.abs(high)));
  const from = low - MARGIN_WIDTHS * sigma;
  const span = high - low + 2 * MARGIN_WIDTHS * sigma;
  const grid = Array.from({ length: points }, (_, i) => from + (span * i) / (points - 1));
  return { sigma, grid };
}

/**
 * Σᵢ wᵢ · N(t; nodeᵢ, σ²) at each t of the grid: the quadrature broadened into a density
 * (it integrates to Σ wᵢ, 1, over a grid wide enough).
 */
export function broadenedDensity(
  nodes: number[],
  weights: number[],
  sigma: number,
  grid: number[],
): number[] {
  const norming = 1 / (sigma * Math.sqrt(2 * Math.PI));
  return grid.map((t) => {
    let sum = 0;
    for (let i = 0; i < nodes.length; i++) {
      const z = (t - nodes[i]) / sigma;
      if (Math.abs(z) < 8) sum += weights[i] * Math.exp(-0.5 * z * z);
    }
    return sum * norming;
  });
}

/** ∫ |f − g| dt on an evenly spaced grid (trapezoids): 0 for equal densities, at most 2. */
export function densityDistance(grid: number[], f: number[], g: number[]): number {
  let sum = 0;
  for (let i = 1; i < grid.length; i++)
    sum += 0.5 * (grid[i] - grid[i - 1]) * (Math.abs(f[i] - g[i]) + Math.abs(f[i - 1] - g[i - 1]));
  return sum;
}
