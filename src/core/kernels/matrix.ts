// The three matrix products of an MLP's passes in JavaScript, over flat row-major arrays: the
// affine map of a layer, the product back through its weights, and its gradient. Inner
// loops run over contiguous memory and are register-blocked. Each has a WebAssembly twin
// (./wasm.ts), the same results bit for bit; registry.ts chooses between them.
import type { WeightLayout } from './wasm';

export function jsMultiplyByWeights(
  params: Float64Array,
  layer: WeightLayout,
  input: Float64Array,
  rows: number,
  out: Float64Array,
  accumulate: boolean,
): void {
  const { inputs, units, weightOffset, biasOffset } = layer;
  const withBias = !accumulate && biasOffset >= 0;
  // Register blocking: four samples × two units at a time, so each weight and each input
  // loaded is used four or two times. Every sum is still taken in input order, so results
  // are bit-identical to one sample and one unit at a time.
  let n = 0;
  for (; n + 4 <= rows; n += 4) {
    const b0 = n * inputs;
    const b1 = b0 + inputs;
    const b2 = b1 + inputs;
    const b3 = b2 + inputs;
    let i = 0;
    for (; i + 2 <= units; i += 2) {
      const w0 = weightOffset + i * inputs;
      const w1 = w0 + inputs;
      const bias0 = withBias ? params[biasOffset + i] : 0;
      const bias1 = withBias ? params[biasOffset + i + 1] : 0;
      let s00 = bias0;
      let s10 = bias0;
      let s20 = bias0;
      let s30 = bias0;
      let s01 = bias1;
      let s11 = bias1;
      let s21 = bias1;
      let s31 = bias1;
      for (let j = 0; j < inputs; j++) {
        const a = params[w0 + j];
        const b = params[w1 + j];
        const x0 = input[b0 + j];
        const x1 = input[b1 + j];
        const x2 = input[b2 + j];
        const x3 = input[b3 + j];
        s00 += x0 * a;
        s10 += x1 * a;
        s20 += x2 * a;
        s30 += x3 * a;
        s01 += x0 * b;
        s11 += x1 * b;
        s21 += x2 * b;
        s31 += x3 * b;
      }
      const o = n * units + i;
      if (accumulate) {
        out[o] += s00;
        out[o + units] += s10;
        out[o + 2 * units] += s20;
        out[o + 3 * units] += s30;
        out[o + 1] += s01;
        out[o + 1 + units] += s11;
        out[o + 1 + 2 * units] += s21;
        out[o + 1 + 3 * units] += s31;
      } else {
        out[o] = s00;
        out[o + units] = s10;
        out[o + 2 * units] = s20;
        out[o + 3 * units] = s30;
        out[o + 1] = s01;
        out[o + 1 + units] = s11;
        out[o + 1 + 2 * units] = s21;
        out[o + 1 + 3 * units] = s31;
      }
    }
    // An odd last unit: one sample at a time.
    for (; i < units; i++) {
      const wBase = weightOffset + i * inputs;
      for (let r = n; r < n + 4; r++) {
        let sum = withBias ? params[biasOffset + i] : 0;
        for (let j = 0; j < inputs; j++) sum += input[r * inputs + j] * params[wBase + j];
        out[r * units + i] = accumulate ? out[r * units + i] + sum : sum;
      }
    }
  }
  for (; n < rows; n++) {
    const inBase = n * inputs;
    const outBase = n * units;
    for (let i = 0; i < units; i++) {
      const wBase = weightOffset + i * inputs;
      let sum = withBias ? params[biasOffset + i] : 0;
      for (let j = 0; j < inputs; j++) sum += input[inBase + j] * params[wBase + j];
      out[outBase + i] = accumulate ? out[outBase + i] + sum : sum;
    }
  }
}

export function jsPropagateDownAdd(
  params: Float64Array,
  layer: WeightLayout,
  delta: Float64Array,
  rows: number,
  back: Float64Array,
): void {
  const { inputs, units, weightOffset } = layer;
  // Register blocking as in multiplyByWeights: two samples × four units per pass over j, so
  // each back[n, j] is loaded and stored once per four units instead of once per unit. Each
  // element still sums its units in order, so results do not depend on the blocking.
  let n = 0;
  for (; n + 2 <= rows; n += 2) {
    const back0 = n * inputs;
    const back1 = back0 + inputs;
    const d0 = n * units;
    const d1 = d0 + units;
    let i = 0;
    for (; i + 4 <= units; i += 4) {
      const w0 = weightOffset + i * inputs;
      const w1 = w0 + inputs;
      const w2 = w1 + inputs;
      const w3 = w2 + inputs;
      const a0 = delta[d0 + i];
      const a1 = delta[d0 + i + 1];
      const a2 = delta[d0 + i + 2];
      const a3 = delta[d0 + i + 3];
      const b0 = delta[d1 + i];
      const b1 = delta[d1 + i + 1];
      const b2 = delta[d1 + i + 2];
      const b3 = delta[d1 + i + 3];
      for (let j = 0; j < inputs; j++) {
        const p0 = params[w0 + j];
        const p1 = params[w1 + j];
        const p2 = params[w2 + j];
        const p3 = params[w3 + j];
        back[back0 + j] = back[back0 + j] + a0 * p0 + a1 * p1 + a2 * p2 + a3 * p3;
        back[back1 + j] = back[back1 + j] + b0 * p0 + b1 * p1 + b2 * p2 + b3 * p3;
      }
    }
    for (; i < units; i++) {
      const wBase = weightOffset + i * inputs;
      const a = delta[d0 + i];
      const b = delta[d1 + i];
      for (let j = 0; j < inputs; j++) {
        back[back0 + j] += a * params[wBase + j];
        back[back1 + j] += b * params[wBase + j];
      }
    }
  }
  for (; n < rows; n++) {
    const backBase = n * inputs;
    for (let i = 0; i < units; i++) {
      const d = delta[n * units + i];
      const wBase = weightOffset + i * inputs;
      for (let j = 0; j < inputs; j++) back[backBase + j] += d * params[wBase + j];
    }
  }
}

export function jsAccumulateWeightGradient(
  layer: WeightLayout,
  delta: Float64Array,
  input: Float64Array,
  rows: number,
  gradient: Float64Array,
): void {
  const { inputs, units, weightOffset } = layer;
  // Register blocking: four samples × two units per pass over j, so each gradient element is
  // loaded and stored once per four samples. Each element still sums its samples in order.
  let n = 0;
  for (; n + 4 <= rows; n += 4) {
    const x0 = n * inputs;
    const x1 = x0 + inputs;
    const x2 = x1 + inputs;
    const x3 = x2 + inputs;
    let i = 0;
    for (; i + 2 <= units; i += 2) {
      const g0 = weightOffset + i * inputs;
      const g1 = g0 + inputs;
      const a0 = delta[n * units + i];
      const a1 = delta[(n + 1) * units + i];
      const a2 = delta[(n + 2) * units + i];
      const a3 = delta[(n + 3) * units + i];
      const b0 = delta[n * units + i + 1];
      const b1 = delta[(n + 1) * units + i + 1];
      const b2 = delta[(n + 2) * units + i + 1];
      const b3 = delta[(n + 3) * units + i + 1];
      for (let j = 0; j < inputs; j++) {
        const v0 = input[x0 + j];
        const v1 = input[x1 + j];
        const v2 = input[x2 + j];
        const v3 = input[x3 + j];
        gradient[g0 + j] = gradient[g0 + j] + a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
        gradient[g1 + j] = gradient[g1 + j] + b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
      }
    }
    for (; i < units; i++) {
      const g = weightOffset + i * inputs;
      for (let r = n; r < n + 4; r++) {
        const d = delta[r * units + i];
        for (let j = 0; j < inputs; j++) gradient[g + j] += d * input[r * inputs + j];
      }
    }
  }
  for (; n < rows; n++) {
    const inBase = n * inputs;
    for (let i = 0; i < units; i++) {
      const d = delta[n * units + i];
      const gBase = weightOffset + i * inputs;
      for (let j = 0; j < inputs; j++) gradient[gBase + j] += d * input[inBase + j];
    }
  }
}
