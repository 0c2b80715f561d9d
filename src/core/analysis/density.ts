// The Hessian's eigenvalue density at a point (analysis.density): stochastic Lanczos
// quadrature, broadened by Gaussians on a grid spanning the spectrum; within the exact
// limit, the exact eigenvalues broadened alike and the distance between the two.
import type { HessianSummary, SpectralDensity } from '../../protocol/result';
import { broadenedDensity, densityDistance, stochasticLanczosQuadrature } from '../linalg/slq';
import type { Objective } from '../model/objective';

/** Points of the density's grid. */
export const DENSITY_GRID = 400;
/** The grid reaches this many broadening widths beyond the extreme nodes. */
const MARGIN_WIDTHS = 4;

const rounded = (v: number) => Number(v.toPrecision(7));

export function spectralDensity(
  objective: Objective,
  theta: Float64Array,
  hessian: HessianSummary | null,
  options: { probes: number; iterations: number; broadening: number },
  seed: number,
): SpectralDensity {
  const p = objective.parameterCount;
  const quadrature = stochasticLanczosQuadrature(
    (v, out) => objective.hessianVectorProduct(theta, v, out),
    p,
    { probes: options.probes, iterations: options.iterations, seed },
  );
  const exact = hessian?.complete ? hessian.eigenvalues : null;
  const all = [...quadrature.nodes, ...(exact ?? [])];
  const low = Math.min(...all);
  const high = Math.max(...all);
  const sigma = options.broadening * Math.max(high - low, 1e-12 * Math.max(1, Math.abs(high)));
  const grid = Array.from(
    { length: DENSITY_GRID },
    (_, i) =>
      low -
      MARGIN_WIDTHS * sigma +
      ((high - low + 2 * MARGIN_WIDTHS * sigma) * i) / (DENSITY_GRID - 1),
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
    probes: options.probes,
    iterations: quadrature.iterations,
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
