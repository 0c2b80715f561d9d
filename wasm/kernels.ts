// Matrix kernels of the MLP in WebAssembly with 128-bit SIMD (AssemblyScript). Each SIMD lane
// holds a different output element and every element sums its terms in the same order as
// the JavaScript kernels in src/core/kernels/ (matrix.ts, tanh.ts, tridiagonalize.ts), so
// both give bit-identical results; src/core/kernels/registry.ts chooses between them.
// Pointers are byte offsets into this module's memory, placed by src/core/kernels/wasm.ts.
// Build: npm run build:wasm (writes src/core/kernels/wasmBinary.ts).

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
        const a0 = f64x2.splat(load<f64>(x0 + jo));
        const a1 = f64x2.splat(load<f64>(x1 + jo));
        const a2 = f64x2.splat(load<f64>(x2 + jo));
        const a3 = f64x2.splat(load<f64>(x3 + jo));
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

/**
 * Householder reduction of a symmetric n × n matrix to tridiagonal form: diagonal into d
 * (n), off-diagonal into e (n − 1). Only the lower triangle of the row-major storage is read
 * and overwritten. Eigenvalues only, so the reflections are not accumulated.
 *
 * Once the matrix outgrows the cache, memory traffic is the cost, so each step makes one
 * pass over the lower triangle of the trailing block: it applies this step's rank-2 update
 * and, with the updated rows, forms the next step's product p = τ·B·v (row i contributes
 * its dot product to pᵢ and, by symmetry, an axpy to p₀..pᵢ₋₁). Only column 0, which gives
 * the next reflection, is updated ahead in its own (strided, short) pass.
 * v, w, v2, p2: scratch vectors of n doubles each.
 */
export function tridiagonalize(
  a: usize,
  n: i32,
  d: usize,
  e: usize,
  v: usize,
  w: usize,
  v2: usize,
  p2: usize,
): void {
  const rs = <usize>n << 3;
  if (n < 3) {
    if (n >= 1) store<f64>(d, load<f64>(a));
    if (n == 2) {
      store<f64>(e, load<f64>(a + rs));
      store<f64>(d + 8, load<f64>(a + rs + 8));
    }
    return;
  }
  // Step 0: its reflection from column 0 (gathered), and its product on its own.
  for (let i = 1; i < n; i++) store<f64>(v2 + (<usize>(i - 1) << 3), load<f64>(a + <usize>i * rs));
  let tau = householder(v2, n - 1, v, e);
  store<f64>(d, load<f64>(a));
  if (tau != 0) symmetricProduct(a + rs + 8, rs, n - 1, v, tau, w);
  for (let k = 0; k < n - 2; k++) {
    const m = n - k - 1;
    const block = a + <usize>(k + 1) * rs + (<usize>(k + 1) << 3);
    if (tau != 0) {
      // w = p − (τ/2)(vᵀp)·v
      let vp: f64 = 0;
      for (let j = 0; j < m; j++) vp += load<f64>(v + (<usize>j << 3)) * load<f64>(w + (<usize>j << 3));
      const half = 0.5 * tau * vp;
      for (let j = 0; j < m; j++) {
        const jo = <usize>j << 3;
        store<f64>(w + jo, load<f64>(w + jo) - half * load<f64>(v + jo));
      }
      // Column 0 first: B[i][0] −= vᵢw₀ + wᵢv₀.
      const v0 = load<f64>(v);
      const w0 = load<f64>(w);
      for (let i = 0; i < m; i++) {
        const cell = block + <usize>i * rs;
        const vi = load<f64>(v + (<usize>i << 3));
        const wi = load<f64>(w + (<usize>i << 3));
        store<f64>(cell, load<f64>(cell) - (vi * w0 + wi * v0));
      }
    }
    store<f64>(d + (<usize>(k + 1) << 3), load<f64>(block));
    const last = k + 1 >= n - 2;
    let tau2: f64 = 0;
    if (last) {
      store<f64>(e + (<usize>(k + 1) << 3), load<f64>(block + rs));
    } else {
      for (let i = 1; i < m; i++)
        store<f64>(p2 + (<usize>(i - 1) << 3), load<f64>(block + <usize>i * rs));
      tau2 = householder(p2, m - 1, v2, e + (<usize>(k + 1) << 3));
      memory.fill(p2, 0, <usize>(m - 1) << 3);
    }
    // Rows 1..m−1, columns 1..i: update, and accumulate the next product.
    for (let i = 1; i < m; i++) {
      const row = block + <usize>i * rs;
      const vi = load<f64>(v + (<usize>i << 3));
      const wi = load<f64>(w + (<usize>i << 3));
      if (tau2 != 0) {
        const acc = lowerRowPass(row, i, vi, wi, v, w, v2, p2, tau != 0);
        const po = p2 + (<usize>(i - 1) << 3);
        store<f64>(po, load<f64>(po) + acc);
      } else if (tau != 0) updateLowerRow(row, i, vi, wi, v, w);
    }
    if (last) store<f64>(d + (<usize>(k + 2) << 3), load<f64>(block + rs + 8));
    if (tau2 != 0)
      for (let j = 0; j < m - 1; j++) {
        const jo = <usize>j << 3;
        store<f64>(w + jo, tau2 * load<f64>(p2 + jo));
      }
    memory.copy(v, v2, <usize>(m - 1) << 3);
    tau = tau2;
  }
}

/** out = τ·B·v for the symmetric m × m block at b, reading its lower triangle by rows. */
function symmetricProduct(b: usize, rs: usize, m: i32, v: usize, tau: f64, out: usize): void {
  memory.fill(out, 0, <usize>m << 3);
  for (let i = 0; i < m; i++) {
    const row = b + <usize>i * rs;
    const vi = load<f64>(v + (<usize>i << 3));
    let sum: f64 = 0;
    for (let j = 0; j < i; j++) {
      const jo = <usize>j << 3;
      const x = load<f64>(row + jo);
      sum += x * load<f64>(v + jo);
      store<f64>(out + jo, load<f64>(out + jo) + x * vi);
    }
    sum += load<f64>(row + (<usize>i << 3)) * vi;
    store<f64>(out + (<usize>i << 3), load<f64>(out + (<usize>i << 3)) + sum);
  }
  for (let i = 0; i < m; i++) store<f64>(out + (<usize>i << 3), tau * load<f64>(out + (<usize>i << 3)));
}

/** Lower row i of the block, columns 1..i: B[i][j] −= vᵢwⱼ + wᵢvⱼ. */
// @ts-expect-error: an AssemblyScript decorator (TypeScript allows none on functions)
@inline
function updateLowerRow(row: usize, i: i32, vi: f64, wi: f64, v: usize, w: usize): void {
  const vis = f64x2.splat(vi);
  const wis = f64x2.splat(wi);
  let j = 1;
  for (; j + 2 <= i + 1; j += 2) {
    const jo = <usize>j << 3;
    const update = f64x2.add(f64x2.mul(vis, v128.load(w + jo)), f64x2.mul(wis, v128.load(v + jo)));
    v128.store(row + jo, f64x2.sub(v128.load(row + jo), update));
  }
  for (; j <= i; j++) {
    const jo = <usize>j << 3;
    store<f64>(row + jo, load<f64>(row + jo) - (vi * load<f64>(w + jo) + wi * load<f64>(v + jo)));
  }
}

/**
 * Lower row i, columns 1..i: updated (when `update`), then its part of the next product
 * with next = v2 (indexed from column 1): returns Σ_{1≤j≤i} B[i][j]·next[j−1] and adds
 * B[i][j]·next[i−1] to p[j−1] for j < i.
 */
// @ts-expect-error: an AssemblyScript decorator (TypeScript allows none on functions)
@inline
function lowerRowPass(
  row: usize,
  i: i32,
  vi: f64,
  wi: f64,
  v: usize,
  w: usize,
  next: usize,
  p: usize,
  update: bool,
): f64 {
  const vis = f64x2.splat(vi);
  const wis = f64x2.splat(wi);
  const ni = load<f64>(next + (<usize>(i - 1) << 3));
  const nis = f64x2.splat(ni);
  let acc = f64x2.splat(0);
  let j = 1;
  for (; j + 2 <= i; j += 2) {
    const jo = <usize>j << 3;
    let r = v128.load(row + jo);
    if (update) {
      r = f64x2.sub(r, f64x2.add(f64x2.mul(vis, v128.load(w + jo)), f64x2.mul(wis, v128.load(v + jo))));
      v128.store(row + jo, r);
    }
    acc = f64x2.add(acc, f64x2.mul(r, v128.load(next + jo - 8)));
    v128.store(p + jo - 8, f64x2.add(v128.load(p + jo - 8), f64x2.mul(r, nis)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < i; j++) {
    const jo = <usize>j << 3;
    let r = load<f64>(row + jo);
    if (update) {
      r -= vi * load<f64>(w + jo) + wi * load<f64>(v + jo);
      store<f64>(row + jo, r);
    }
    sum += r * load<f64>(next + jo - 8);
    store<f64>(p + jo - 8, load<f64>(p + jo - 8) + r * ni);
  }
  // The diagonal element: its own product only.
  const io = <usize>i << 3;
  let r = load<f64>(row + io);
  if (update) {
    r -= vi * load<f64>(w + io) + wi * load<f64>(v + io);
    store<f64>(row + io, r);
  }
  return sum + r * ni;
}

/** The reflection mapping x (len values at row) onto αe₁: v into out, α into e; returns τ. */
function householder(row: usize, len: i32, out: usize, e: usize): f64 {
  let scale: f64 = 0;
  for (let j = 0; j < len; j++) scale = max(scale, abs(load<f64>(row + (<usize>j << 3))));
  if (scale == 0) {
    store<f64>(e, 0);
    return 0;
  }
  let norm2: f64 = 0;
  for (let j = 0; j < len; j++) {
    const x = load<f64>(row + (<usize>j << 3)) / scale;
    store<f64>(out + (<usize>j << 3), x);
    norm2 += x * x;
  }
  const x0 = load<f64>(out);
  const alpha = x0 > 0 ? -sqrt(norm2) : sqrt(norm2);
  store<f64>(e, alpha * scale);
  store<f64>(out, x0 - alpha);
  return 2 / (norm2 - x0 * x0 + (x0 - alpha) * (x0 - alpha));
}

// tanh over an array, two values per f64x2, with Cephes' algorithm (|x| ≤ 0.625: a rational
// approximation; beyond: 1 − 2/(e^{2|x|} + 1) with Cephes' exp). Accurate to about 1 ulp and
// bit-identical to tanh64 in src/core/model/activations.ts, which uses the same operations.
const TP0: f64 = -0.9643991794250523;
const TP1: f64 = -99.28772310019185;
const TP2: f64 = -1614.6876844170845;
const TQ0: f64 = 112.81167849163293;
const TQ1: f64 = 2235.4883906010045;
const TQ2: f64 = 4844.063053251255;
const EP0: f64 = 0.00012617719307481058;
const EP1: f64 = 0.030299440770744195;
const EP2: f64 = 1;
const EQ0: f64 = 0.0000030019850513866446;
const EQ1: f64 = 0.002524483403496841;
const EQ2: f64 = 0.22726554820815503;
const EQ3: f64 = 2;
const LOG2E: f64 = 1.4426950408889634;
const C1: f64 = 0.693145751953125;
const C2: f64 = 0.0000014286068203094173;

// @ts-expect-error: an AssemblyScript decorator (TypeScript allows none on functions)
@inline
function splat(x: f64): v128 {
  return f64x2.splat(x);
}

export function tanhArray(z: usize, a: usize, count: i32): void {
  const pairs = count & ~1;
  let k = 0;
  for (; k < pairs; k += 2) {
    const o = <usize>k << 3;
    const x = v128.load(z + o);
    const ax = f64x2.abs(x);
    // |x| ≤ 0.625
    const s = f64x2.mul(x, x);
    const num = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(splat(TP0), s), splat(TP1)), s), splat(TP2));
    const den = f64x2.add(
      f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(s, splat(TQ0)), s), splat(TQ1)), s),
      splat(TQ2),
    );
    const small = f64x2.add(x, f64x2.mul(f64x2.mul(x, s), f64x2.div(num, den)));
    // |x| > 0.625 (clamped so that unused lanes stay finite)
    const t = f64x2.min(f64x2.mul(splat(2), ax), splat(44));
    const n = f64x2.floor(f64x2.add(f64x2.mul(splat(LOG2E), t), splat(0.5)));
    let r = f64x2.sub(t, f64x2.mul(n, splat(C1)));
    r = f64x2.sub(r, f64x2.mul(n, splat(C2)));
    const rr = f64x2.mul(r, r);
    const px = f64x2.mul(
      r,
      f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(splat(EP0), rr), splat(EP1)), rr), splat(EP2)),
    );
    const qx = f64x2.add(
      f64x2.mul(
        f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(splat(EQ0), rr), splat(EQ1)), rr), splat(EQ2)),
        rr,
      ),
      splat(EQ3),
    );
    let e = f64x2.div(px, f64x2.sub(qx, px));
    e = f64x2.add(splat(1), f64x2.mul(splat(2), e));
    // 2ⁿ from its bits: n + 1.5·2⁵² holds n in its low mantissa bits; (n + 1023) << 52.
    const bits = i64x2.shl(i64x2.add(f64x2.add(n, splat(6755399441055744.0)), i64x2.splat(1023)), 52);
    e = f64x2.mul(e, bits);
    const zl = f64x2.sub(splat(1), f64x2.div(splat(2), f64x2.add(e, splat(1))));
    const negative = f64x2.lt(x, splat(0));
    let large = v128.bitselect(f64x2.neg(zl), zl, negative);
    large = v128.bitselect(
      v128.bitselect(splat(-1), splat(1), negative),
      large,
      f64x2.gt(ax, splat(22)),
    );
    const result = v128.bitselect(large, small, f64x2.gt(ax, splat(0.625)));
    v128.store(a + o, v128.bitselect(x, result, f64x2.eq(x, splat(0)))); // ±0 stays ±0
  }
  for (; k < count; k++) {
    const o = <usize>k << 3;
    store<f64>(a + o, tanh64(load<f64>(z + o)));
  }
}

function tanh64(x: f64): f64 {
  const ax = abs(x);
  if (ax > 0.625) {
    if (ax > 22) return x > 0 ? 1 : -1;
    const t = 2 * ax;
    const n = floor(LOG2E * t + 0.5);
    let r = t - n * C1;
    r = r - n * C2;
    const rr = r * r;
    const px = r * ((EP0 * rr + EP1) * rr + EP2);
    const qx = ((EQ0 * rr + EQ1) * rr + EQ2) * rr + EQ3;
    let e = px / (qx - px);
    e = 1 + 2 * e;
    e = e * reinterpret<f64>((<i64>n + 1023) << 52);
    const zl = 1 - 2 / (e + 1);
    return x < 0 ? -zl : zl;
  }
  if (x == 0) return x;
  const s = x * x;
  const ratio = ((TP0 * s + TP1) * s + TP2) / (((s + TQ0) * s + TQ1) * s + TQ2);
  return x + x * s * ratio;
}
