// The function every optimizer and analysis works on: L(θ) over the dataset, with exact
// derivatives. Implemented by the MLP and by expression models.

export interface Objective {
  readonly parameterCount: number;
  readonly samples: number;
  /** Names of the parameters in θ order, e.g. "layer1.weight[0][1]" or "w". */
  readonly parameterNames: string[];
  /** L(θ) on the full dataset. */
  loss(theta: Float64Array): number;
  /** L(θ) and ∇L(θ) (into `gradient`) on the full dataset. */
  lossAndGradient(theta: Float64Array, gradient: Float64Array): number;
  /** Loss and gradient on the samples `rows` only: a minibatch. */
  batchLossAndGradient(theta: Float64Array, rows: Uint32Array, gradient: Float64Array): number;
  /** H(θ)·v into `out` (exact). */
  hessianVectorProduct(theta: Float64Array, v: Float64Array, out: Float64Array): void;
  /** The dense Hessian, row-major P × P (exact, not symmetrized). */
  hessian(theta: Float64Array): Float64Array;
  /** The losses on a plane's grid, when the model has a faster way than one per point. */
  planeLosses?(grid: PlaneGrid): number[][];
  /** L and ∇L at several points at once, when the model has a faster way than one by one. */
  lossesAndGradients?(thetas: Float64Array[], gradients: Float64Array[]): number[];
}

/** L and ∇L (into `gradients`) at each of `thetas`: the objective's own way, or one by one. */
export function lossesAndGradients(
  objective: Objective,
  thetas: Float64Array[],
  gradients: Float64Array[],
): number[] {
  if (objective.lossesAndGradients) return objective.lossesAndGradients(thetas, gradients);
  return thetas.map((theta, k) => objective.lossAndGradient(theta, gradients[k]));
}

/** The points center + a·x + b·y for a in `as`, b in `bs`: L on it has one row per b. */
export interface PlaneGrid {
  center: Float64Array;
  x: Float64Array;
  y: Float64Array;
  as: number[];
  bs: number[];
}

/** L on a plane's grid: the objective's own way if it has one, else one loss per point. */
export function lossesOnPlane(objective: Objective, grid: PlaneGrid): number[][] {
  if (objective.planeLosses) return objective.planeLosses(grid);
  const { center, x, y, as, bs } = grid;
  const theta = new Float64Array(center.length);
  return bs.map((b) =>
    as.map((a) => {
      for (let i = 0; i < theta.length; i++) theta[i] = center[i] + a * x[i] + b * y[i];
      return objective.loss(theta);
    }),
  );
}

/**
 * The objective with a count of the Hessian-vector products taken through it, a dense
 * Hessian counting as P (what it costs, column by column): the work of a spectrum.
 */
export function countingProducts(objective: Objective): {
  objective: Objective;
  products: () => number;
} {
  let products = 0;
  // Every call goes to the objective itself (not a prototype copy, whose own fields would
  // shadow the objective's caches while sharing its buffers).
  const counted: Objective = {
    parameterCount: objective.parameterCount,
    samples: objective.samples,
    parameterNames: objective.parameterNames,
    loss: (theta) => objective.loss(theta),
    lossAndGradient: (theta, gradient) => objective.lossAndGradient(theta, gradient),
    batchLossAndGradient: (theta, rows, gradient) =>
      objective.batchLossAndGradient(theta, rows, gradient),
    hessianVectorProduct(theta, v, out) {
      products++;
      objective.hessianVectorProduct(theta, v, out);
    },
    hessian(theta) {
      products += objective.parameterCount;
      return objective.hessian(theta);
    },
    ...(objective.planeLosses ? { planeLosses: objective.planeLosses.bind(objective) } : {}),
    ...(objective.lossesAndGradients
      ? { lossesAndGradients: objective.lossesAndGradients.bind(objective) }
      : {}),
  };
  return { objective: counted, products: () => products };
}

/** Adds (λ/2)‖θ‖² to an objective's loss: λθ to the gradient, λI to the Hessian. */
export function withWeightDecay(objective: Objective, lambda: number): Objective {
  if (lambda === 0) return objective;
  const penalty = (theta: Float64Array) => {
    let sum = 0;
    for (let i = 0; i < theta.length; i++) sum += theta[i] * theta[i];
    return 0.5 * lambda * sum;
  };
  const addToGradient = (theta: Float64Array, gradient: Float64Array) => {
    for (let i = 0; i < theta.length; i++) gradient[i] += lambda * theta[i];
  };
  return {
    parameterCount: objective.parameterCount,
    samples: objective.samples,
    parameterNames: objective.parameterNames,
    loss: (theta) => objective.loss(theta) + penalty(theta),
    lossAndGradient(theta, gradient) {
      const value = objective.lossAndGradient(theta, gradient);
      addToGradient(theta, gradient);
      return value + penalty(theta);
    },
    batchLossAndGradient(theta, rows, gradient) {
      const value = objective.batchLossAndGradient(theta, rows, gradient);
      addToGradient(theta, gradient);
      return value + penalty(theta);
    },
    hessianVectorProduct(theta, v, out) {
      objective.hessianVectorProduct(theta, v, out);
      for (let i = 0; i < v.length; i++) out[i] += lambda * v[i];
    },
    ...(objective.planeLosses
      ? { planeLosses: withPenalty(objective.planeLosses.bind(objective), penalty) }
      : {}),
    ...(objective.lossesAndGradients
      ? {
          lossesAndGradients: (thetas: Float64Array[], gradients: Float64Array[]) =>
            objective.lossesAndGradients!(thetas, gradients).map((value, k) => {
              addToGradient(thetas[k], gradients[k]);
              return value + penalty(thetas[k]);
            }),
        }
      : {}),
    hessian(theta) {
      const h = objective.hessian(theta);
      const p = objective.parameterCount;
      for (let i = 0; i < p; i++) h[i * p + i] += lambda;
      return h;
    },
  };
}

/** A plane's losses with the penalty added at every grid point. */
function withPenalty(
  planeLosses: NonNullable<Objective['planeLosses']>,
  penalty: (theta: Float64Array) => number,
): NonNullable<Objective['planeLosses']> {
  return (grid) => {
    const { center, x, y, as, bs } = grid;
    const theta = new Float64Array(center.length);
    return planeLosses(grid).map((row, j) =>
      row.map((loss, i) => {
        for (let k = 0; k < theta.length; k++) theta[k] = center[k] + as[i] * x[k] + bs[j] * y[k];
        return loss + penalty(theta);
      }),
    );
  };
}
