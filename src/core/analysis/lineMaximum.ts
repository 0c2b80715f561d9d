// The highest point of the loss along a segment, for barriers: the samples give a bracket
// (the highest sample and its two neighbours), and Brent's method (golden sections with
// parabolic steps) finds the maximum inside it. A barrier read off the highest sample alone
// sits below the true one by as much as the grid is coarse.

/** Brent's relative accuracy in t: about the square root of float64's (the usual choice). */
const T_TOLERANCE = 1e-8;
const MAX_EVALUATIONS = 60;
const GOLDEN = 0.381966011250105;

/**
 * max of f over the samples (t, f(t)), t ascending; when the highest lies strictly inside
 * with lower neighbours on both sides, refined on that bracket. Never below the highest
 * sample. Samples that are null (not finite) are passed over.
 */
export function lineMaximum(
  f: (t: number) => number,
  ts: readonly number[],
  values: readonly (number | null)[],
): { t: number; value: number } | null {
  let best = -1;
  values.forEach((v, k) => {
    if (v !== null && Number.isFinite(v) && (best < 0 || v > values[best]!)) best = k;
  });
  if (best < 0) return null;
  const sampled = { t: ts[best], value: values[best]! };
  const left = values[best - 1];
  const right = values[best + 1];
  if (left === null || left === undefined || right === null || right === undefined) return sampled;
  const refined = brentMaximum(f, ts[best - 1], ts[best], ts[best + 1], sampled.value);
  return refined.value > sampled.value ? refined : sampled;
}

/** Brent's method for the maximum of f in (a, b), starting from x with f(x) = fx. */
function brentMaximum(
  f: (t: number) => number,
  low: number,
  x0: number,
  high: number,
  fx0: number,
): { t: number; value: number } {
  // Minimizes g = −f (Brent 1973, as in Numerical Recipes' `brent`).
  let [a, b] = [low, high];
  let x = x0;
  let w = x0;
  let v = x0;
  let gx = -fx0;
  let gw = gx;
  let gv = gx;
  let d = 0;
  let e = 0;
  for (let k = 0; k < MAX_EVALUATIONS; k++) {
    const middle = 0.5 * (a + b);
    const tol1 = T_TOLERANCE * Math.abs(x) + 1e-12;
    const tol2 = 2 * tol1;
    if (Math.abs(x - middle) <= tol2 - 0.5 * (b - a)) break;
    let parabolic = false;
    if (Math.abs(e) > tol1) {
      // A parabola through x, w and v.
      const r = (x - w) * (gx - gv);
      let q = (x - v) * (gx - gw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      if (Math.abs(p) < Math.abs(0.5 * q * e) && p > q * (a - x) && p < q * (b - x)) {
        e = d;
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = middle > x ? tol1 : -tol1;
        parabolic = true;
      }
    }
    if (!parabolic) {
      e = x >= middle ? a - x : b - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const gu = -f(u);
    if (!Number.isFinite(gu)) break;
    if (gu <= gx) {
      if (u >= x) a = x;
      else b = x;
      [v, gv, w, gw, x, gx] = [w, gw, x, gx, u, gu];
    } else {
      if (u < x) a = u;
      else b = u;
      if (gu <= gw || w === x) {
        [v, gv, w, gw] = [w, gw, u, gu];
      } else if (gu <= gv || v === x || v === w) {
        [v, gv] = [u, gu];
      }
    }
  }
  return { t: x, value: -gx };
}
