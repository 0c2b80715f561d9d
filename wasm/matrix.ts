// The MLP's three matrix products with 128-bit SIMD: the affine map of a layer, the product
// back through its weights, and its gradient. Each SIMD lane holds a different output element
// and every element sums its terms in the same order as the JavaScript kernels in
// src/core/kernels/matrix.ts, so both give bit-identical results.

/**
 * out[n, i] = bias[i] + Σ_j x[n, j]·wt[j, i]    (or out[n, i] += Σ_j … when accumulate)
 * x: rows × inputs, wt: the weights transposed (inputs × units), bias: units (or 0).
 * Blocked 4 samples × 4 units: eight f64x2 accumulators.
 */
export function multiplyByWeights(
  x: usize,
  wt: usize,
  bias: usize,
  out: usize,
  rows: i32,
  inputs: i32,
  units: i32,
  accumulate: bool,
): void {
  const xs = <usize>inputs << 3;
  const os = <usize>units << 3;
  const ws = <usize>units << 3;
  let n = 0;
  for (; n + 4 <= rows; n += 4) {
    const x0 = x + <usize>n * xs;
    const x1 = x0 + xs;
    const x2 = x1 + xs;
    const x3 = x2 + xs;
    const o0 = out + <usize>n * os;
    let i = 0;
    for (; i + 4 <= units; i += 4) {
      const io = <usize>i << 3;
      let b0 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      if (bias != 0 && !accumulate) {
        b0 = v128.load(bias + io);
        b1 = v128.load(bias + io + 16);
      }
      let s00 = b0, s01 = b1, s10 = b0, s11 = b1, s20 = b0, s21 = b1, s30 = b0, s31 = b1;
      let w = wt + io;
      for (let j = 0; j < inputs; j++) {
        const jo = <usize>j << 3;
        const w0 = v128.load(w);
        const w1 = v128.load(w + 16);
        // Broadcast loads: one load each, no shuffle.
        const a0 = v128.load64_splat(x0 + jo);
        const a1 = v128.load64_splat(x1 + jo);
        const a2 = v128.load64_splat(x2 + jo);
        const a3 = v128.load64_splat(x3 + jo);
        s00 = f64x2.add(s00, f64x2.mul(a0, w0));
        s01 = f64x2.add(s01, f64x2.mul(a0, w1));
        s10 = f64x2.add(s10, f64x2.mul(a1, w0));
        s11 = f64x2.add(s11, f64x2.mul(a1, w1));
        s20 = f64x2.add(s20, f64x2.mul(a2, w0));
        s21 = f64x2.add(s21, f64x2.mul(a2, w1));
        s30 = f64x2.add(s30, f64x2.mul(a3, w0));
        s31 = f64x2.add(s31, f64x2.mul(a3, w1));
        w += ws;
      }
      const p = o0 + io;
      if (accumulate) {
        s00 = f64x2.add(v128.load(p), s00);
        s01 = f64x2.add(v128.load(p + 16), s01);
        s10 = f64x2.add(v128.load(p + os), s10);
        s11 = f64x2.add(v128.load(p + os + 16), s11);
        s20 = f64x2.add(v128.load(p + 2 * os), s20);
        s21 = f64x2.add(v128.load(p + 2 * os + 16), s21);
        s30 = f64x2.add(v128.load(p + 3 * os), s30);
        s31 = f64x2.add(v128.load(p + 3 * os + 16), s31);
      }
      v128.store(p, s00);
      v128.store(p + 16, s01);
      v128.store(p + os, s10);
      v128.store(p + os + 16, s11);
      v128.store(p + 2 * os, s20);
      v128.store(p + 2 * os + 16, s21);
      v128.store(p + 3 * os, s30);
      v128.store(p + 3 * os + 16, s31);
    }
    for (; i < units; i++) {
      for (let r = 0; r < 4; r++) single(x0 + <usize>r * xs, wt, bias, o0 + <usize>r * os, inputs, units, i, accumulate);
    }
  }
  for (; n < rows; n++) {
    const xr = x + <usize>n * xs;
    const or = out + <usize>n * os;
    for (let i = 0; i < units; i++) single(xr, wt, bias, or, inputs, units, i, accumulate);
  }
}

/** One output element, in the same order as the blocked loop. */
// @ts-expect-error: an AssemblyScript decorator (TypeScript allows none on functions)
@inline
function single(
  xr: usize,
  wt: usize,
  bias: usize,
  or: usize,
  inputs: i32,
  units: i32,
  i: i32,
  accumulate: bool,
): void {
  const io = <usize>i << 3;
  let sum: f64 = bias != 0 && !accumulate ? load<f64>(bias + io) : 0;
  for (let j = 0; j < inputs; j++)
    sum += load<f64>(xr + (<usize>j << 3)) * load<f64>(wt + <usize>j * (<usize>units << 3) + io);
  store<f64>(or + io, accumulate ? load<f64>(or + io) + sum : sum);
}

/**
 * back[n, j] += Σ_i delta[n, i]·w[i, j]    (w: units × inputs, row-major)
 * Blocked 2 samples × 4 units per pass over j, two j at a time in one f64x2.
 */
export function propagateDownAdd(
  delta: usize,
  w: usize,
  back: usize,
  rows: i32,
  inputs: i32,
  units: i32,
): void {
  const bs = <usize>inputs << 3;
  const ds = <usize>units << 3;
  const pairs = inputs & ~1;
  let n = 0;
  for (; n + 2 <= rows; n += 2) {
    const back0 = back + <usize>n * bs;
    const back1 = back0 + bs;
    const d0 = delta + <usize>n * ds;
    const d1 = d0 + ds;
    let i = 0;
    for (; i + 4 <= units; i += 4) {
      const io = <usize>i << 3;
      const w0 = w + <usize>i * bs;
      const w1 = w0 + bs;
      const w2 = w1 + bs;
      const w3 = w2 + bs;
      const a0s = load<f64>(d0 + io), a1s = load<f64>(d0 + io + 8);
      const a2s = load<f64>(d0 + io + 16), a3s = load<f64>(d0 + io + 24);
      const b0s = load<f64>(d1 + io), b1s = load<f64>(d1 + io + 8);
      const b2s = load<f64>(d1 + io + 16), b3s = load<f64>(d1 + io + 24);
      const a0 = f64x2.splat(a0s), a1 = f64x2.splat(a1s), a2 = f64x2.splat(a2s), a3 = f64x2.splat(a3s);
      const b0 = f64x2.splat(b0s), b1 = f64x2.splat(b1s), b2 = f64x2.splat(b2s), b3 = f64x2.splat(b3s);
      let j = 0;
      for (; j < pairs; j += 2) {
        const jo = <usize>j << 3;
        const p0 = v128.load(w0 + jo);
        const p1 = v128.load(w1 + jo);
        const p2 = v128.load(w2 + jo);
        const p3 = v128.load(w3 + jo);
        let s = v128.load(back0 + jo);
        s = f64x2.add(s, f64x2.mul(a0, p0));
        s = f64x2.add(s, f64x2.mul(a1, p1));
        s = f64x2.add(s, f64x2.mul(a2, p2));
        s = f64x2.add(s, f64x2.mul(a3, p3));
        v128.store(back0 + jo, s);
        let t = v128.load(back1 + jo);
        t = f64x2.add(t, f64x2.mul(b0, p0));
        t = f64x2.add(t, f64x2.mul(b1, p1));
        t = f64x2.add(t, f64x2.mul(b2, p2));
        t = f64x2.add(t, f64x2.mul(b3, p3));
        v128.store(back1 + jo, t);
      }
      for (; j < inputs; j++) {
        const jo = <usize>j << 3;
        const p0 = load<f64>(w0 + jo), p1 = load<f64>(w1 + jo);
        const p2 = load<f64>(w2 + jo), p3 = load<f64>(w3 + jo);
        store<f64>(back0 + jo, load<f64>(back0 + jo) + a0s * p0 + a1s * p1 + a2s * p2 + a3s * p3);
        store<f64>(back1 + jo, load<f64>(back1 + jo) + b0s * p0 + b1s * p1 + b2s * p2 + b3s * p3);
      }
    }
    for (; i < units; i++) {
      const io = <usize>i << 3;
      const wr = w + <usize>i * bs;
      const a = load<f64>(d0 + io);
      const b = load<f64>(d1 + io);
      for (let j = 0; j < inputs; j++) {
        const jo = <usize>j << 3;
        const p = load<f64>(wr + jo);
        store<f64>(back0 + jo, load<f64>(back0 + jo) + a * p);
        store<f64>(back1 + jo, load<f64>(back1 + jo) + b * p);
      }
    }
  }
  for (; n < rows; n++) {
    const br = back + <usize>n * bs;
    const dr = delta + <usize>n * ds;
    for (let i = 0; i < units; i++) {
      const d = load<f64>(dr + (<usize>i << 3));
      const wr = w + <usize>i * bs;
      for (let j = 0; j < inputs; j++) {
        const jo = <usize>j << 3;
        store<f64>(br + jo, load<f64>(br + jo) + d * load<f64>(wr + jo));
      }
    }
  }
}

/**
 * g[i, j] += Σ_n delta[n, i]·x[n, j]    (g: units × inputs)
 * Blocked 4 samples × 2 units per pass over j, two j at a time in one f64x2.
 */
export function accumulateWeightGradient(
  delta: usize,
  x: usize,
  g: usize,
  rows: i32,
  inputs: i32,
  units: i32,
): void {
  const xs = <usize>inputs << 3;
  const ds = <usize>units << 3;
  const pairs = inputs & ~1;
  let n = 0;
  for (; n + 4 <= rows; n += 4) {
    const x0 = x + <usize>n * xs;
    const x1 = x0 + xs;
    const x2 = x1 + xs;
    const x3 = x2 + xs;
    const d0 = delta + <usize>n * ds;
    let i = 0;
    for (; i + 2 <= units; i += 2) {
      const io = <usize>i << 3;
      const g0 = g + <usize>i * xs;
      const g1 = g0 + xs;
      const a0s = load<f64>(d0 + io), a1s = load<f64>(d0 + ds + io);
      const a2s = load<f64>(d0 + 2 * ds + io), a3s = load<f64>(d0 + 3 * ds + io);
      const b0s = load<f64>(d0 + io + 8), b1s = load<f64>(d0 + ds + io + 8);
      const b2s = load<f64>(d0 + 2 * ds + io + 8), b3s = load<f64>(d0 + 3 * ds + io + 8);
      const a0 = f64x2.splat(a0s), a1 = f64x2.splat(a1s), a2 = f64x2.splat(a2s), a3 = f64x2.splat(a3s);
      const b0 = f64x2.splat(b0s), b1 = f64x2.splat(b1s), b2 = f64x2.splat(b2s), b3 = f64x2.splat(b3s);
      let j = 0;
      for (; j < pairs; j += 2) {
        const jo = <usize>j << 3;
        const v0 = v128.load(x0 + jo);
        const v1 = v128.load(x1 + jo);
        const v2 = v128.load(x2 + jo);
        const v3 = v128.load(x3 + jo);
        let s = v128.load(g0 + jo);
        s = f64x2.add(s, f64x2.mul(a0, v0));
        s = f64x2.add(s, f64x2.mul(a1, v1));
        s = f64x2.add(s, f64x2.mul(a2, v2));
        s = f64x2.add(s, f64x2.mul(a3, v3));
        v128.store(g0 + jo, s);
        let t = v128.load(g1 + jo);
        t = f64x2.add(t, f64x2.mul(b0, v0));
        t = f64x2.add(t, f64x2.mul(b1, v1));
        t = f64x2.add(t, f64x2.mul(b2, v2));
        t = f64x2.add(t, f64x2.mul(b3, v3));
        v128.store(g1 + jo, t);
      }
      for (; j < inputs; j++) {
        const jo = <usize>j << 3;
        const v0 = load<f64>(x0 + jo), v1 = load<f64>(x1 + jo);
        const v2 = load<f64>(x2 + jo), v3 = load<f64>(x3 + jo);
        store<f64>(g0 + jo, load<f64>(g0 + jo) + a0s * v0 + a1s * v1 + a2s * v2 + a3s * v3);
        store<f64>(g1 + jo, load<f64>(g1 + jo) + b0s * v0 + b1s * v1 + b2s * v2 + b3s * v3);
      }
    }
    for (; i < units; i++) {
      const io = <usize>i << 3;
      const gr = g + <usize>i * xs;
      for (let r = 0; r < 4; r++) {
        const d = load<f64>(d0 + <usize>r * ds + io);
        const xr = x0 + <usize>r * xs;
        for (let j = 0; j < inputs; j++) {
          const jo = <usize>j << 3;
          store<f64>(gr + jo, load<f64>(gr + jo) + d * load<f64>(xr + jo));
        }
      }
    }
  }
  for (; n < rows; n++) {
    const xr = x + <usize>n * xs;
    const dr = delta + <usize>n * ds;
    for (let i = 0; i < units; i++) {
      const d = load<f64>(dr + (<usize>i << 3));
      const gr = g + <usize>i * xs;
      for (let j = 0; j < inputs; j++) {
        const jo = <usize>j << 3;
        store<f64>(gr + jo, load<f64>(gr + jo) + d * load<f64>(xr + jo));
      }
    }
  }
}
