// Layer normalization of a hidden layer's output (PyTorch's LayerNorm over the layer's units,
// ε = 1e-5, biased variance), with its exact first and second derivatives:
//   x̂ = (u − mean u)·r,  r = 1/√(var u + ε),  a = γ ⊙ x̂ + β
// where u is the layer's activation (plus its input when residual). With g = dL/da and
// h = g ⊙ γ, backpropagation gives
//   dL/du = r·(h − mean h − x̂·mean(h ⊙ x̂)),  dL/dγ = Σₙ g ⊙ x̂,  dL/dβ = Σₙ g,
// and Pearlmutter's R-operator, with m = mean(x̂ ⊙ R{u}) (R{r} = −m·r²):
//   R{x̂} = r·(R{u} − mean R{u} − x̂·m)
//   R{dL/du} = −m·r·dL/du + r·(R{h} − mean R{h} − R{x̂}·mean(h ⊙ x̂) − x̂·mean(R{h} ⊙ x̂ + h ⊙ R{x̂})),
//   R{h} = R{g} ⊙ γ + g ⊙ R{γ}.
// The R-kernels take rows in blocks of B directions (row n·B + b: sample n under direction b,
// as the block Hessian lays them out); the state of the pass (x̂, r, g, dL/du) has one row
// per sample. B = 1 is a single Hessian-vector product.

/** PyTorch's default, so a module and its declaration give the same numbers. */
export const LAYER_NORM_EPSILON = 1e-5;

/** The prepared state of one normalized layer: x̂ (rows × k) and r (rows). */
export interface NormState {
  units: number;
  xhat: Float64Array;
  inverseStd: Float64Array;
}

/** a = γ ⊙ x̂ + β row by row, keeping x̂ and r; γ at θ[gain], β right after it. */
export function normalizeRows(
  u: Float64Array,
  rows: number,
  theta: Float64Array,
  gain: number,
  state: NormState,
  a: Float64Array,
): void {
  const k = state.units;
  const { xhat, inverseStd } = state;
  const shift = gain + k;
  for (let n = 0; n < rows; n++) {
    const row = n * k;
    let mean = 0;
    for (let i = 0; i < k; i++) mean += u[row + i];
    mean /= k;
    let variance = 0;
    for (let i = 0; i < k; i++) variance += (u[row + i] - mean) ** 2;
    const r = 1 / Math.sqrt(variance / k + LAYER_NORM_EPSILON);
    inverseStd[n] = r;
    for (let i = 0; i < k; i++) {
      const x = (u[row + i] - mean) * r;
      xhat[row + i] = x;
      a[row + i] = theta[gain + i] * x + theta[shift + i];
    }
  }
}

/**
 * dL/du from g = dL/da; with `gradient`, also writes dL/dγ and dL/dβ at θ's gain offset.
 */
export function normBackward(
  g: Float64Array,
  rows: number,
  theta: Float64Array,
  gain: number,
  state: NormState,
  du: Float64Array,
  gradient: Float64Array | null,
): void {
  const k = state.units;
  const { xhat, inverseStd } = state;
  if (gradient) gradient.fill(0, gain, gain + 2 * k);
  for (let n = 0; n < rows; n++) {
    const row = n * k;
    let meanH = 0;
    let meanHx = 0;
    for (let i = 0; i < k; i++) {
      const h = g[row + i] * theta[gain + i];
      meanH += h;
      meanHx += h * xhat[row + i];
    }
    meanH /= k;
    meanHx /= k;
    const r = inverseStd[n];
    for (let i = 0; i < k; i++)
      du[row + i] = r * (g[row + i] * theta[gain + i] - meanH - xhat[row + i] * meanHx);
    if (gradient)
      for (let i = 0; i < k; i++) {
        gradient[gain + i] += g[row + i] * xhat[row + i];
        gradient[gain + k + i] += g[row + i];
      }
  }
}

/**
 * R{a} = γ ⊙ R{x̂} + R{γ} ⊙ x̂ + R{β} for rows·B rows, writing R{x̂} too. `rGain` holds R{γ}
 * then R{β} per direction (B × 2k), or is null when the directions leave γ and β alone.
 */
export function normRForward(
  ru: Float64Array,
  rows: number,
  B: number,
  theta: Float64Array,
  gain: number,
  state: NormState,
  rGain: Float64Array | null,
  rxhat: Float64Array,
  ra: Float64Array,
): void {
  const k = state.units;
  const { xhat, inverseStd } = state;
  for (let n = 0; n < rows; n++) {
    const r = inverseStd[n];
    const at = n * k;
    for (let b = 0; b < B; b++) {
      const row = (n * B + b) * k;
      let meanRu = 0;
      let m = 0;
      for (let i = 0; i < k; i++) {
        meanRu += ru[row + i];
        m += xhat[at + i] * ru[row + i];
      }
      meanRu /= k;
      m /= k;
      for (let i = 0; i < k; i++) {
        const rx = r * (ru[row + i] - meanRu - xhat[at + i] * m);
        rxhat[row + i] = rx;
        ra[row + i] = theta[gain + i] * rx;
      }
      if (rGain) {
        const direction = b * 2 * k;
        for (let i = 0; i < k; i++)
          ra[row + i] += rGain[direction + i] * xhat[at + i] + rGain[direction + k + i];
      }
    }
  }
}

/**
 * R{dL/du} for rows·B rows from R{g}, R{u} and R{x̂}; adds Σₙ R{dL/dγ} and Σₙ R{dL/dβ} of each
 * direction to gainRows (B × 2k: γ then β). `g` and `du` are the prepared dL/da and dL/du.
 */
export function normRBackward(
  rg: Float64Array,
  ru: Float64Array,
  rxhat: Float64Array,
  rows: number,
  B: number,
  theta: Float64Array,
  gain: number,
  state: NormState & { g: Float64Array; du: Float64Array },
  rGain: Float64Array | null,
  rdu: Float64Array,
  gainRows: Float64Array,
  gainRowsOffset: number,
): void {
  const k = state.units;
  const { xhat, inverseStd, g, du } = state;
  for (let n = 0; n < rows; n++) {
    const r = inverseStd[n];
    const at = n * k;
    let meanHx = 0;
    for (let i = 0; i < k; i++) meanHx += g[at + i] * theta[gain + i] * xhat[at + i];
    meanHx /= k;
    for (let b = 0; b < B; b++) {
      const row = (n * B + b) * k;
      const direction = b * 2 * k;
      // R{h} = R{g} ⊙ γ (+ g ⊙ R{γ} when the direction moves γ) goes into rdu's row first,
      // which the second pass then turns into R{dL/du} in place.
      let m = 0;
      let meanRh = 0;
      let meanRhx = 0;
      for (let i = 0; i < k; i++) {
        const x = xhat[at + i];
        const value =
          rg[row + i] * theta[gain + i] + (rGain ? g[at + i] * rGain[direction + i] : 0);
        rdu[row + i] = value;
        m += x * ru[row + i];
        meanRh += value;
        meanRhx += value * x + g[at + i] * theta[gain + i] * rxhat[row + i];
      }
      m /= k;
      meanRh /= k;
      meanRhx /= k;
      for (let i = 0; i < k; i++)
        rdu[row + i] =
          -m * r * du[at + i] +
          r * (rdu[row + i] - meanRh - rxhat[row + i] * meanHx - xhat[at + i] * meanRhx);
      const to = gainRowsOffset + direction;
      for (let i = 0; i < k; i++) {
        gainRows[to + i] += rg[row + i] * xhat[at + i] + g[at + i] * rxhat[row + i];
        gainRows[to + k + i] += rg[row + i];
      }
    }
  }
}
