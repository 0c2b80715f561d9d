// tanh two values at a time with 128-bit SIMD, operation for operation the same as
// src/core/kernels/tanh.ts, so the two agree bit for bit.

// tanh over an array, two values per f64x2, with Cephes' algorithm (|x| ≤ 0.625: a rational
// approximation; beyond: 1 − 2/(e^{2|x|} + 1) with Cephes' exp). Accurate to about 1 ulp and
// bit-identical to tanh64 in src/core/kernels/tanh.ts, which uses the same operations.
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
const SIGN: i64 = 0x8000000000000000;

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
    // tanh(|x|), its sign put back at the end: rounding is symmetric, so this is bit for bit
    // what the signed computation (tanh64) gives, −0 included.
    const ax = f64x2.abs(x);
    // |x| ≤ 0.625
    const s = f64x2.mul(ax, ax);
    const num = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(splat(TP0), s), splat(TP1)), s), splat(TP2));
    const den = f64x2.add(
      f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(s, splat(TQ0)), s), splat(TQ1)), s),
      splat(TQ2),
    );
    const small = f64x2.add(ax, f64x2.mul(f64x2.mul(ax, s), f64x2.div(num, den)));
    // |x| > 0.625. Clamping 2|x| at 44 keeps unused lanes finite and gives exactly 1 beyond
    // |x| = 22, as tanh64's early return does (2/(e⁴⁴ + 1) is below half an ulp of 1).
    const t = f64x2.pmin(f64x2.mul(splat(2), ax), splat(44));
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
    const large = f64x2.sub(splat(1), f64x2.div(splat(2), f64x2.add(e, splat(1))));
    const magnitude = v128.bitselect(large, small, f64x2.gt(ax, splat(0.625)));
    v128.store(a + o, v128.xor(magnitude, v128.and(x, i64x2.splat(SIGN))));
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
