// Critical points of the smoothed loss L_σ on a slice: along a line (1-D) or in a plane (2-D),
// found by Newton steps on exact derivatives of the rule's sum. For one or two parameters the
// sum is the Gauss–Hermite rule, so the points are L_σ's own. Otherwise it is the mean over
// fixed perturbations (Monte Carlo): its critical points are found exactly, and how far they
// may lie from L_σ's is stated by the delta method from the spread of the perturbations'
// derivatives — a location ± its standard error, and each curvature ± its own.
import type { SmoothingRule } from '../linalg/gaussianRules';
import type { Objective } from '../model/objective';
import type { SmoothedCriticalPoint, SmoothedPlaneCriticalPoint } from '../../protocol/result';

/**
 * A curvature whose sign is not resolved: within this many standard errors of 0 the point's
 * kind is not claimed (`unresolved`).
 */
export const RESOLVED_STANDARD_ERRORS = 3;

/**
 * L_σ at θ, its slopes along the k directions and its k × k curvatures between them; for Monte
 * Carlo also each perturbation's slopes and curvatures, whose spread gives standard errors.
 */
export interface DirectionalMoments {
  loss: number;
  slopes: Float64Array;
  curvatures: Float64Array;
  samples: { slopes: Float64Array; curvatures: Float64Array }[] | null;
}

export function directionalMoments(
  objective: Objective,
  theta: Float64Array,
  sigma: number,
  rule: SmoothingRule,
  directions: Float64Array[],
  withCurvatures = true,
): DirectionalMoments {
  const p = objective.parameterCount;
  const k = directions.length;
  const point = new Float64Array(p);
  const gradient = new Float64Array(p);
  const product = new Float64Array(p);
  const dot = (u: Float64Array, v: Float64Array) => {
    let sum = 0;
    for (let i = 0; i < p; i++) sum += u[i] * v[i];
    return sum;
  };
  const moments: DirectionalMoments = {
    loss: 0,
    slopes: new Float64Array(k),
    curvatures: new Float64Array(k * k),
    samples: rule.method === 'monte-carlo' ? [] : null,
  };
  rule.offsets.forEach((epsilon, n) => {
    const weight = rule.weights[n];
    for (let i = 0; i < p; i++) point[i] = theta[i] + sigma * epsilon[i];
    moments.loss += weight * objective.lossAndGradient(point, gradient);
    const slopes = Float64Array.from(directions, (d) => dot(gradient, d));
    const curvatures = new Float64Array(k * k);
    // The search's steps need slopes only: a Hessian-vector product costs about two gradients.
    if (withCurvatures)
      directions.forEach((d, a) => {
        objective.hessianVectorProduct(point, d, product);
        directions.forEach((e, b) => (curvatures[a * k + b] = dot(product, e)));
      });
    // H·d·e and H·e·d differ by rounding only: one symmetric value for both.
    for (let a = 0; a < k; a++)
      for (let b = a + 1; b < k; b++)
        curvatures[a * k + b] = curvatures[b * k + a] =
          (curvatures[a * k + b] + curvatures[b * k + a]) / 2;
    for (let a = 0; a < k; a++) moments.slopes[a] += weight * slopes[a];
    for (let a = 0; a < k * k; a++) moments.curvatures[a] += weight * curvatures[a];
    moments.samples?.push({ slopes, curvatures });
  });
  return moments;
}

/** The standard error of the mean of values[i] (sample standard deviation over √m). */
function standardError(values: number[]): number {
  const m = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / m;
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return Math.sqrt(squares / (m - 1) / m);
}

/**
 * Critical points of L_σ along origin + t·direction for t in the grid's range. Quadrature:
 * every sign change of dL_σ/dt between grid points. Monte Carlo: a bracket around every
 * interior extremum of the curve's values (its slopes would cost a gradient per perturbation
 * at every grid point). Each bracket is refined by Newton steps kept inside it (bisection
 * when a step leaves it), to a slope at rounding level.
 */
export function lineCriticalPoints(
  objective: Objective,
  origin: Float64Array,
  direction: Float64Array,
  ts: number[],
  sigma: number,
  rule: SmoothingRule,
  values: (number | null)[] = [],
): SmoothedCriticalPoint[] {
  // Quadrature: exact Newton steps (its nodes are cheap). Monte Carlo: secant steps on the
  // slopes alone, each perturbation's Hessian-vector product only at the point found.
  const exact = rule.method === 'quadrature';
  const at = (t: number, withCurvature = exact) => {
    const theta = origin.map((o, i) => o + t * direction[i]);
    const moments = directionalMoments(objective, theta, sigma, rule, [direction], withCurvature);
    return { t, moments, slope: moments.slopes[0] };
  };
  type Sample = ReturnType<typeof at>;
  const brackets: [Sample, Sample][] = [];
  const found: SmoothedCriticalPoint[] = [];
  if (rule.method === 'quadrature') {
    const samples = ts.map((t) => at(t));
    samples.forEach((sample, k) => {
      if (sample.slope === 0) found.push(describeLinePoint(sample));
      if (k + 1 < samples.length) brackets.push([sample, samples[k + 1]]);
    });
  } else {
    for (let k = 1; k + 1 < ts.length; k++) {
      const [left, middle, right] = [values[k - 1], values[k], values[k + 1]];
      if (left === null || middle === null || right === null) continue;
      const extremum = (middle < left && middle < right) || (middle > left && middle > right);
      if (extremum) brackets.push([at(ts[k - 1]), at(ts[k + 1])]);
    }
  }
  for (const [left, right] of brackets) {
    // No bracket where the smoothed loss overflows (a σ far beyond the model's scale).
    if (!Number.isFinite(left.slope) || !Number.isFinite(right.slope)) continue;
    if (Math.sign(left.slope) * Math.sign(right.slope) >= 0) continue;
    let [low, high, lowSlope] = [left.t, right.t, left.slope];
    let previous = left;
    let sample = at((low + high) / 2);
    const span = Math.abs(ts[ts.length - 1] - ts[0]);
    for (
      let step = 0;
      step < 100 && sample.slope !== 0 && high - low > 4e-16 * Math.abs(sample.t);
      step++
    ) {
      if (Math.sign(sample.slope) === Math.sign(lowSlope))
        [low, lowSlope] = [sample.t, sample.slope];
      else high = sample.t;
      const curvature = exact
        ? sample.moments.curvatures[0]
        : (sample.slope - previous.slope) / (sample.t - previous.t);
      const newton = sample.t - sample.slope / curvature;
      const next = newton > low && newton < high ? newton : (low + high) / 2;
      if (Math.abs(next - sample.t) <= 1e-15 * span) break;
      previous = sample;
      sample = at(next);
    }
    if (!exact) sample = at(sample.t, true);
    const point = describeLinePoint(sample);
    // Two brackets of the Monte Carlo route may close on the same point.
    if (!found.some((f) => Math.abs(f.t - point.t) <= 1e-9 * span)) found.push(point);
  }
  return found.sort((a, b) => a.t - b.t);
}

function describeLinePoint({
  t,
  moments,
}: {
  t: number;
  moments: DirectionalMoments;
}): SmoothedCriticalPoint {
  const [slope, curvature] = [moments.slopes[0], moments.curvatures[0]];
  const kind = curvature > 0 ? 'minimum' : curvature < 0 ? 'maximum' : 'degenerate';
  const point: SmoothedCriticalPoint = {
    t,
    loss: moments.loss,
    curvature,
    kind,
    slope: Math.abs(slope),
  };
  if (!moments.samples) return point;
  // The delta method: the estimate's slope is off by its standard error, which moves the
  // point by that over the curvature.
  const slopeError = standardError(moments.samples.map((s) => s.slopes[0]));
  const curvatureError = standardError(moments.samples.map((s) => s.curvatures[0]));
  return {
    ...point,
    kind: Math.abs(curvature) <= RESOLVED_STANDARD_ERRORS * curvatureError ? 'unresolved' : kind,
    uncertainty: { t: slopeError / Math.abs(curvature), curvature: curvatureError },
  };
}

/** The plane θ = center + a·x + b·y of a slice. */
export interface SlicePlane {
  center: Float64Array;
  x: Float64Array;
  y: Float64Array;
}

/** An eigenvalue of the plane's 2 × 2 Hessian below this share of the larger one is zero. */
const ZERO_EIGENVALUE = 1e-9;

/**
 * The eigenvalues (ascending) and unit eigenvectors of a symmetric 2 × 2 matrix, row-major
 * [h00, h01, h10, h11], in closed form.
 */
function symmetricEigen2(h: Float64Array): {
  values: [number, number];
  vectors: [[number, number], [number, number]];
} {
  const [h00, h01, , h11] = h;
  const mean = (h00 + h11) / 2;
  const radius = Math.hypot((h00 - h11) / 2, h01);
  const angle = Math.atan2(2 * h01, h00 - h11) / 2;
  return {
    values: [mean - radius, mean + radius],
    vectors: [
      [-Math.sin(angle), Math.cos(angle)],
      [Math.cos(angle), Math.sin(angle)],
    ],
  };
}

/** The most grid points a plane's search starts from: the rest are where values are flat. */
const MAX_PLANE_STARTS = 64;

/**
 * Critical points of L_σ restricted to a plane, within the grid's range. Newton starts from
 * every grid point that is an extremum or a saddle of its eight neighbours in `values` (the
 * smoothed grid, loss[j][i] at (as[i], bs[j])), each step kept within one grid cell, and
 * stops when a step is at rounding level. Each point found is judged by the eigenvalues of
 * the 2 × 2 Hessian in the plane: a minimum, a saddle or a maximum in the plane.
 */
export function planeCriticalPoints(
  objective: Objective,
  plane: SlicePlane,
  as: number[],
  bs: number[],
  values: (number | null)[][],
  sigma: number,
  rule: SmoothingRule,
): SmoothedPlaneCriticalPoint[] {
  const cell = [Math.abs(as[1] - as[0]), Math.abs(bs[1] - bs[0])];
  const [aLow, aHigh] = [Math.min(as[0], as[as.length - 1]), Math.max(as[0], as[as.length - 1])];
  const [bLow, bHigh] = [Math.min(bs[0], bs[bs.length - 1]), Math.max(bs[0], bs[bs.length - 1])];
  const theta = new Float64Array(plane.center.length);
  // Quadrature: exact Newton steps (its nodes are cheap). Monte Carlo: quasi-Newton steps on
  // the slopes alone, each perturbation's Hessian-vector products only at the point found.
  const exact = rule.method === 'quadrature';
  const at = (a: number, b: number, withCurvatures = exact) => {
    for (let i = 0; i < theta.length; i++)
      theta[i] = plane.center[i] + a * plane.x[i] + b * plane.y[i];
    return directionalMoments(objective, theta, sigma, rule, [plane.x, plane.y], withCurvatures);
  };
  const found: SmoothedPlaneCriticalPoint[] = [];
  for (const { i, j, kind } of gridCriticalPoints(values).slice(0, MAX_PLANE_STARTS)) {
    // A point of the same kind found within a cell of this start is where it would lead:
    // each start costs a gradient per perturbation and step.
    const [a0, b0] = [as[i], bs[j]];
    const reached = found.some(
      (f) => f.kind === kind && Math.abs(f.x - a0) <= cell[0] && Math.abs(f.y - b0) <= cell[1],
    );
    if (reached) continue;
    let [a, b] = [a0, b0];
    let moments = at(a, b);
    // Monte Carlo's curvature starts from the grid's finite differences (the same mean's
    // values) and learns from each step's change of slope.
    let curvatures = exact ? moments.curvatures : gridHessian(values, i, j, as, bs);
    let converged = false;
    // Where minima merge the Hessian is singular and Newton only linear (a third of the way
    // per step on a quartic): enough steps to reach rounding even there.
    for (let step = 0; step < 150 && !converged; step++) {
      const [g0, g1] = moments.slopes;
      // A grid point may be critical itself, where the Hessian can be singular (a merger).
      if (g0 === 0 && g1 === 0) {
        converged = true;
        break;
      }
      // Newton's step on the eigenvalues that are not zero to rounding: where minima merge
      // the Hessian is singular, and the step along its null direction is dropped.
      const { values: lambdas, vectors } = symmetricEigen2(curvatures);
      const largest = Math.max(Math.abs(lambdas[0]), Math.abs(lambdas[1]));
      if (!Number.isFinite(largest) || largest === 0) break;
      let [da, db] = [0, 0];
      lambdas.forEach((lambda, k) => {
        if (Math.abs(lambda) <= ZERO_EIGENVALUE * largest) return;
        const [u, v] = vectors[k];
        const along = -(u * g0 + v * g1) / lambda;
        [da, db] = [da + along * u, db + along * v];
      });
      // A trust region of one grid cell: Newton heads for the nearest critical point of any
      // kind, and a long step would skip to another one or off the plane.
      const scale = Math.min(1, cell[0] / Math.abs(da), cell[1] / Math.abs(db));
      a += scale * da;
      b += scale * db;
      // A start refines the point beside it: one that walks off is heading for a point some
      // other start lies beside (or off the plane).
      if (Math.abs(a - a0) > 2 * cell[0] || Math.abs(b - b0) > 2 * cell[1]) break;
      // Quasi-Newton's slopes carry the rounding of a sum over the perturbations: it stops a
      // little short of exact Newton's rounding level (far inside the standard error).
      const tolerance = exact ? 1e-13 : 1e-11;
      converged =
        scale === 1 &&
        Math.abs(da) <= tolerance * (Math.abs(a) + cell[0]) &&
        Math.abs(db) <= tolerance * (Math.abs(b) + cell[1]);
      const next = at(a, b);
      curvatures = exact
        ? next.curvatures
        : symmetricBroyden(
            curvatures,
            [scale * da, scale * db],
            [next.slopes[0] - g0, next.slopes[1] - g1],
          );
      moments = next;
    }
    if (!converged || a < aLow || a > aHigh || b < bLow || b > bHigh) continue;
    // Within a thousandth of a cell is one point: a degenerate one is only located to about
    // (rounding of L_σ)^¼, and distinct points that close are beyond what the grid resolves.
    const near = (f: SmoothedPlaneCriticalPoint) =>
      Math.abs(f.x - a) <= 1e-3 * cell[0] && Math.abs(f.y - b) <= 1e-3 * cell[1];
    if (found.some(near)) continue;
    found.push(describePlanePoint(a, b, exact ? moments : at(a, b, true)));
  }
  return found.sort((p, q) => p.y - q.y || p.x - q.x);
}

/**
 * The 2 × 2 Hessian of the grid's values at interior point (i, j) by central differences
 * (row-major, symmetric): where a quasi-Newton search starts.
 */
function gridHessian(
  values: (number | null)[][],
  i: number,
  j: number,
  as: number[],
  bs: number[],
): Float64Array {
  const v = (di: number, dj: number) => values[j + dj][i + di]!;
  const [ha, hb] = [(as[i + 1] - as[i - 1]) / 2, (bs[j + 1] - bs[j - 1]) / 2];
  const h00 = (v(1, 0) - 2 * v(0, 0) + v(-1, 0)) / (ha * ha);
  const h11 = (v(0, 1) - 2 * v(0, 0) + v(0, -1)) / (hb * hb);
  const h01 = (v(1, 1) - v(-1, 1) - v(1, -1) + v(-1, -1)) / (4 * ha * hb);
  return Float64Array.of(h00, h01, h01, h11);
}

/**
 * Powell's symmetric Broyden update of a 2 × 2 curvature B by a step s and the change of slope
 * y it made: the nearest symmetric matrix to B with B·s = y.
 */
function symmetricBroyden(b: Float64Array, s: number[], y: number[]): Float64Array {
  const ss = s[0] * s[0] + s[1] * s[1];
  if (!(ss > 0)) return b;
  const r = [y[0] - (b[0] * s[0] + b[1] * s[1]), y[1] - (b[2] * s[0] + b[3] * s[1])];
  const rs = r[0] * s[0] + r[1] * s[1];
  const entry = (p: number, q: number) =>
    b[2 * p + q] + (r[p] * s[q] + s[p] * r[q]) / ss - (rs * s[p] * s[q]) / (ss * ss);
  return Float64Array.of(entry(0, 0), entry(0, 1), entry(1, 0), entry(1, 1));
}

/** A grid point that looks critical among its neighbours, and what it looks like. */
export interface GridStart {
  i: number;
  j: number;
  kind: 'minimum' | 'maximum' | 'saddle';
}

/**
 * Grid points (i, j) whose eight neighbours are all higher (a minimum), all lower (a
 * maximum), or alternate higher and lower at least four times around (a saddle): where
 * Newton starts. Interior points only; ties and missing values start nothing.
 */
export function gridCriticalPoints(values: (number | null)[][]): GridStart[] {
  const ring = [
    [-1, -1],
    [0, -1],
    [1, -1],
    [1, 0],
    [1, 1],
    [0, 1],
    [-1, 1],
    [-1, 0],
  ];
  const starts: GridStart[] = [];
  for (let j = 1; j + 1 < values.length; j++)
    for (let i = 1; i + 1 < values[j].length; i++) {
      const center = values[j][i];
      if (center === null) continue;
      const signs = ring.map(([di, dj]) => {
        const v = values[j + dj][i + di];
        return v === null || v === center ? 0 : Math.sign(v - center);
      });
      if (signs.includes(0)) continue;
      const changes = signs.filter((s, k) => s !== signs[(k + 1) % 8]).length;
      if (changes >= 4) starts.push({ i, j, kind: 'saddle' });
      else if (changes === 0) starts.push({ i, j, kind: signs[0] > 0 ? 'minimum' : 'maximum' });
    }
  return starts;
}

function describePlanePoint(
  x: number,
  y: number,
  { loss, slopes, curvatures, samples }: DirectionalMoments,
): SmoothedPlaneCriticalPoint {
  const [h00, h01, , h11] = curvatures;
  const { values: eigenvalues, vectors } = symmetricEigen2(curvatures);
  // An eigenvalue within rounding of the larger is zero: a degenerate point (a merger).
  const zero = ZERO_EIGENVALUE * Math.max(Math.abs(eigenvalues[0]), Math.abs(eigenvalues[1]));
  const kind =
    Math.abs(eigenvalues[0]) <= zero || Math.abs(eigenvalues[1]) <= zero
      ? 'degenerate'
      : eigenvalues[0] > 0
        ? 'minimum'
        : eigenvalues[1] < 0
          ? 'maximum'
          : 'saddle';
  const point: SmoothedPlaneCriticalPoint = {
    x,
    y,
    loss,
    eigenvalues,
    kind,
    gradient: Math.hypot(slopes[0], slopes[1]),
  };
  if (!samples) return point;
  // Eigenvalue errors: λ moves by vᵀ·δH·v (first order), so its error is the spread of that
  // over the perturbations. The location moves by −H⁻¹·δg: covariance H⁻¹·Σ·H⁻¹/m.
  const eigenvalueErrors = vectors.map(([u, v]) =>
    standardError(
      samples.map(({ curvatures: c }) => u * u * c[0] + 2 * u * v * c[1] + v * v * c[3]),
    ),
  ) as [number, number];
  const m = samples.length;
  const meanSlope = [0, 1].map((a) => samples.reduce((s, q) => s + q.slopes[a], 0) / m);
  const covariance = [0, 1, 3].map((entry) => {
    const [a, b] = [entry >> 1, entry & 1];
    const sum = samples.reduce(
      (s, q) => s + (q.slopes[a] - meanSlope[a]) * (q.slopes[b] - meanSlope[b]),
      0,
    );
    return sum / (m - 1) / m;
  });
  const determinant = h00 * h11 - h01 * h01;
  const inverse = [h11 / determinant, -h01 / determinant, h00 / determinant];
  const [s00, s01, s11] = covariance;
  const [i00, i01, i11] = inverse;
  const xVariance = i00 * (i00 * s00 + i01 * s01) + i01 * (i00 * s01 + i01 * s11);
  const yVariance = i01 * (i01 * s00 + i11 * s01) + i11 * (i01 * s01 + i11 * s11);
  const resolved = eigenvalues.every(
    (lambda, k) => Math.abs(lambda) > RESOLVED_STANDARD_ERRORS * eigenvalueErrors[k],
  );
  return {
    ...point,
    kind: resolved ? kind : 'unresolved',
    uncertainty: {
      x: Math.sqrt(Math.max(0, xVariance)),
      y: Math.sqrt(Math.max(0, yVariance)),
      eigenvalues: eigenvalueErrors,
    },
  };
}
