// The Hessian's eigenvalue density at a point (analysis.density): stochastic Lanczos
// quadrature, broadened by Gaussians on a grid spanning the spectrum; within the exact
// limit, the exact eigenvalues broadened alike and the distance between the two.
import type { HessianSummary, SpectralDensity, TraceEstimate } from '../../protocol/result';
import {
  broadenedDensity,
  densityDistance,
  densityGrid,
  stochasticLanczosQuadrature,
} from '../linalg/slq';
import type { LanczosRun } from '../linalg/lanczos';
import type { Objective } from '../model/objective';
import type { DensitySpec } from '../vocabulary';
import { hutchinson } from './trace';

/** Points of the density's grid. */
export const DENSITY_GRID = 400;

const rounded = (v: number) => Number(v.toPrecision(7));

/**
 * The probes are the same at every point, so densities of twins compare like with like; the
 * verdict's Lanczos starts from probe 0, so the density goes on from it.
 */
export const PROBE_SEED = 20201224;

/**
 * The density, and Hutchinson's tr(H) from its probes at no extra cost (each probe's first
 * Lanczos coefficient is its Rayleigh quotient). `first`: a Lanczos run at θ from probe 0 of
 * PROBE_SEED (the verdict's), continued as probe 0.
 */
export function spectralDensity(
  objective: Objective,
  theta: Float64Array,
  hessian: HessianSummary | null,
  options: DensitySpec,
  first?: LanczosRun,
): { density: SpectralDensity; trace: TraceEstimate } {
  const p = objective.parameterCount;
  const quadrature = stochasticLanczosQuadrature(
    (v, out) => objective.hessianVectorProduct(theta, v, out),
    p,
    { ...options, seed: PROBE_SEED },
    first,
  );
  const exact = hessian?.complete ? hessian.eigenvalues : null;
  const { sigma, grid } = densityGrid(
    [...quadrature.nodes, ...(exact ?? [])],
    options.broadening,
    DENSITY_GRID,
  );
  const density = broadenedDensity(quadrature.nodes, quadrature.weights, sigma, grid);
  const exactDensity = exact
    ? broadenedDensity(
        exact,
        exact.map(() => 1 / exact.length),
        sigma,
        grid,
      )
    : null;
  const probes = quadrature.steps.length;
  const { standardError } = quadrature;
  const settled =
    options.tolerance === 0 || (standardError !== null && standardError <= options.tolerance);
  // The standard error falls like 1/√probes.
  const suggestedProbes =
    !settled && standardError !== null
      ? Math.ceil(probes * (standardError / options.tolerance) ** 2)
      : undefined;
  const result: SpectralDensity = {
    method: 'slq',
    probes,
    iterations: Math.max(...quadrature.steps),
    steps: quadrature.steps,
    broadening: options.broadening,
    tolerance: options.tolerance,
    standardError,
    settled,
    ...(suggestedProbes !== undefined ? { suggestedProbes } : {}),
    sigma,
    grid: grid.map(rounded),
    density: density.map(rounded),
    ...(exactDensity
      ? {
          exact: {
            density: exactDensity.map(rounded),
            distance: densityDistance(grid, density, exactDensity),
          },
        }
      : {}),
  };
  return { density: result, trace: hutchinson(quadrature.rayleigh.map((a) => p * a)) };
}
