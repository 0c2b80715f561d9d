// The Hessian's eigenvalue density at a point (analysis.density): stochastic Lanczos
// quadrature, broadened by Gaussians on a grid spanning the spectrum; within the exact
// limit, the exact eigenvalues broadened alike and the distance between the two.
import type { HessianSummary, SpectralDensity } from '../../protocol/result';
import {
  broadenedDensity,
  densityDistance,
  densityGrid,
  stochasticLanczosQuadrature,
} from '../linalg/slq';
import type { LanczosRun } from '../linalg/lanczos';
import type { Objective } from '../model/objective';
import type { DensitySpec } from '../vocabulary';

/** Points of the density's grid. */
export const DENSITY_GRID = 400;

const rounded = (v: number) => Number(v.toPrecision(7));

/**
 * The probes are the same at every point, so densities of twins compare like with like; the
 * verdict's Lanczos starts from probe 0, so the density goes on from it.
 */
export const PROBE_SEED = 20201224;

/** `first`: a Lanczos run at θ from probe 0 of PROBE_SEED (the verdict's), continued as probe 0. */
export function spectralDensity(
  objective: Objective,
  theta: Float64Array,
  hessian: HessianSummary | null,
  options: DensitySpec,
  first?: LanczosRun,
): SpectralDensity {
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
  return {
    method: 'slq',
    probes: quadrature.steps.length,
    iterations: Math.max(...quadrature.steps),
    steps: quadrature.steps,
    broadening: options.broadening,
    tolerance: options.tolerance,
    standardError: quadrature.standardError,
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
}
