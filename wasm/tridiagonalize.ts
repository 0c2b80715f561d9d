// Householder reduction of a symmetric matrix to tridiagonal form with 128-bit SIMD, in the
// same order of operations as src/core/kernels/tridiagonalize.ts.

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
