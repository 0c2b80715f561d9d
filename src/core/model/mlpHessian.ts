// The dense Hessian of an MLP, by the R-operator applied to blocks of unit directions.
//
// Column k of H is H·e_k. For e_k among the parameters of layer m, the R-forward pass is zero
// below layer m, and at layer m it drives one unit only: R{z_m} is a single column (an input
// of the layer for a weight, 1 for a bias), kept as that column. Above it, B directions at
// once turn each thin product into one matrix product over N·B rows (row n·B + b is sample n
// under direction b), done by the same SIMD kernels as training. The R-backward pass stops at
// layer m: the entries of column k in layers below m are the entries of the lower layers'
// columns in layer m (H is symmetric), computed with those layers' blocks. Each entry is thus
// computed once, except within a layer's own block, computed twice and symmetrized later
// (the asymmetry then measures the rounding).
//
// A layer norm mixes its layer's units, so from a normalized layer m up R{a_m} is dense; the
// directions of its gain and shift drive R{a_m} directly (R{γ}·x̂, R{β}), not R{z_m}.
import { accumulateWeightGradient, affine, propagateDown } from '../kernels/registry';
import type { WeightLayout } from '../kernels/wasm';
import type { OutputLoss } from './losses';
import { layerParameterCount, type LayerLayout, type MlpArchitecture } from './architecture';
import { normRBackward, normRForward, type NormState } from './layerNorm';

/** The state of a prepared forward/backward pass at θ (MlpObjective's buffers). */
export interface PreparedPass {
  architecture: MlpArchitecture;
  inputs: Float64Array;
  targets: Float64Array;
  samples: number;
  loss: OutputLoss;
  /**
   * Per layer: pre-activations, outputs, act′ and act″, δ = dL/dz, g = dL/da (δ·W of the layer
   * above, plus its skip), dL/du (u: the output before its norm; g itself without a norm),
   * and the norm's state (null without one).
   */
  layers: {
    z: Float64Array;
    a: Float64Array;
    d1: Float64Array;
    d2: Float64Array;
    delta: Float64Array;
    back: Float64Array;
    du: Float64Array;
    norm: NormState | null;
  }[];
}

/** Doubles per block buffer: N·B·units stays under this (8 MiB). */
const BLOCK_DOUBLES = 1 << 20;

/** A layer's parameters: the unit directions the block Hessian drives at that layer. */
const directionsOf = layerParameterCount;

/**
 * Directions per block: as many as keep each block buffer under BLOCK_DOUBLES, and no more
 * than a layer has, so a small model does not allocate for 10⁵ of them.
 */
export function hessianBlockSize(architecture: MlpArchitecture, samples: number): number {
  const widest = Math.max(...architecture.layers.map((l) => Math.max(l.units, l.inputs)));
  return Math.max(
    1,
    Math.min(
      Math.max(...architecture.layers.map(directionsOf)),
      Math.floor(BLOCK_DOUBLES / (samples * widest)),
    ),
  );
}

/** H(θ), row-major P × P, after the pass at θ was prepared. */
export function blockHessian(pass: PreparedPass, theta: Float64Array): Float64Array {
  const { architecture } = pass;
  const p = architecture.parameterCount;
  const h = new Float64Array(p * p);
  const blockSize = hessianBlockSize(architecture, pass.samples);
  const buffers = new BlockBuffers(pass, blockSize);
  architecture.layers.forEach((layer, m) => {
    const count = directionsOf(layer);
    for (let start = 0; start < count; start += blockSize) {
      const directions = Math.min(blockSize, count - start);
      columnsOfBlock(pass, theta, buffers, m, layer.weightOffset + start, directions, h);
    }
  });
  return h;
}

/** Scratch for one block, allocated once for the largest block. */
class BlockBuffers {
  /** R{z}, R{a} and R{δ} per layer, N·B rows. */
  readonly rz: Float64Array[];
  readonly ra: Float64Array[];
  readonly rdelta: Float64Array[];
  /** R{dL/du} per layer, carried down through residual layers' skips. */
  readonly rback: Float64Array[];
  /** R{u} (R{a} itself without a norm), R{x̂} and R{dL/da} (R{δ} without a norm) per layer. */
  readonly ru: Float64Array[];
  readonly rxhat: Float64Array[];
  readonly rg: Float64Array[];
  /** R{γ} then R{β} per direction at layer m (B × 2·units), and the rows of γ and β. */
  readonly rGain: Float64Array;
  readonly gainRows: Float64Array;
  /** R{z_m} and R{a_m} at the one unit each direction drives, N·B values. */
  readonly drive: Float64Array;
  readonly driveActivated: Float64Array;
  /** The top layer's z, a and targets, repeated per direction. */
  readonly top: { z: Float64Array; a: Float64Array; y: Float64Array };
  /** The block size `top` holds. */
  topFor = 0;
  /** Products' outputs: B × units × inputs. */
  readonly weights: Float64Array;
  readonly mixed: Float64Array;
  readonly biases: Float64Array;

  constructor(pass: PreparedPass, blockSize: number) {
    const { samples, architecture } = pass;
    const per = (units: number) => new Float64Array(samples * blockSize * units);
    this.rz = architecture.layers.map((l) => per(l.units));
    this.ra = architecture.layers.map((l) => per(l.units));
    this.rdelta = architecture.layers.map((l) => per(l.units));
    this.rback = architecture.layers.map((l) => per(l.units));
    const normed = (l: LayerLayout, otherwise: Float64Array) =>
      l.normOffset >= 0 ? per(l.units) : otherwise;
    this.ru = architecture.layers.map((l, i) => normed(l, this.ra[i]));
    this.rxhat = architecture.layers.map((l) => normed(l, new Float64Array(0)));
    this.rg = architecture.layers.map((l, i) => normed(l, this.rdelta[i]));
    const widestNorm = Math.max(
      0,
      ...architecture.layers.filter((l) => l.normOffset >= 0).map((l) => l.units),
    );
    this.rGain = new Float64Array(blockSize * 2 * widestNorm);
    this.gainRows = new Float64Array(blockSize * 2 * widestNorm);
    this.drive = per(1);
    this.driveActivated = per(1);
    const outputs = architecture.outputDim;
    this.top = { z: per(outputs), a: per(outputs), y: per(outputs) };
    const largest = Math.max(...architecture.layers.map((l) => l.units * l.inputs));
    const widest = Math.max(...architecture.layers.map((l) => l.units));
    this.weights = new Float64Array(blockSize * largest);
    this.mixed = new Float64Array(blockSize * largest);
    this.biases = new Float64Array(blockSize * widest);
  }
}

/**
 * Columns `first` … `first + B − 1` of H (parameters of layer m), in the rows of layers m and
 * above, mirrored into the rows of those columns for the layers above m.
 */
function columnsOfBlock(
  pass: PreparedPass,
  theta: Float64Array,
  buffers: BlockBuffers,
  m: number,
  first: number,
  B: number,
  h: Float64Array,
): void {
  const { architecture, samples: n, layers } = pass;
  const layout = architecture.layers;
  const top = layout.length - 1;
  const p = architecture.parameterCount;
  const rows = n * B;
  const layerM = layout[m];
  const belowM = m > 0 ? layers[m - 1].a : pass.inputs;

  // Which unit each direction drives, and R{z_m} there: an input of the layer for a weight
  // (unit i, input j), 1 for a bias.
  // A norm's gain or shift drives no unit's z (drive 0): it sets R{γ} or R{β} instead.
  const unitOf = new Int32Array(B);
  const { drive, driveActivated } = buffers;
  const weightCount = layerM.units * layerM.inputs;
  const affineCount = weightCount + (layerM.biasOffset >= 0 ? layerM.units : 0);
  const normAtM = layerM.normOffset >= 0;
  const rGain = normAtM ? buffers.rGain.subarray(0, B * 2 * layerM.units) : null;
  rGain?.fill(0);
  for (let b = 0; b < B; b++) {
    const k = first + b - layerM.weightOffset;
    unitOf[b] = k < weightCount ? Math.floor(k / layerM.inputs) : (k - weightCount) % layerM.units;
    const input = k % layerM.inputs;
    if (k >= affineCount) rGain![b * 2 * layerM.units + k - affineCount] = 1;
    for (let s = 0; s < n; s++)
      drive[s * B + b] =
        k < weightCount ? belowM[s * layerM.inputs + input] : k < affineCount ? 1 : 0;
  }

  // R-forward above m.
  if (m < top) {
    const { d1 } = layers[m];
    const units = layerM.units;
    for (let s = 0; s < n; s++)
      for (let b = 0; b < B; b++)
        driveActivated[s * B + b] = d1[s * units + unitOf[b]] * drive[s * B + b];
    const next = layout[m + 1];
    const rzNext = buffers.rz[m + 1];
    if (normAtM) {
      // R{u_m} has one unit per row; the norm spreads it over the layer (and adds R{γ}, R{β}).
      const ru = buffers.ru[m];
      ru.fill(0, 0, rows * units);
      for (let row = 0; row < rows; row++) ru[row * units + unitOf[row % B]] = driveActivated[row];
      normRForward(
        ru,
        n,
        B,
        theta,
        layerM.normOffset,
        layers[m].norm!,
        rGain,
        buffers.rxhat[m],
        buffers.ra[m],
      );
      affine(theta, withoutBias(next), buffers.ra[m], rows, rzNext);
    } else {
      // One nonzero input per row: R{z_{m+1}}[·, o] = R{a_m}[·, unit]·W[o, unit].
      for (let s = 0; s < n; s++)
        for (let b = 0; b < B; b++) {
          const row = s * B + b;
          const value = driveActivated[row];
          const column = next.weightOffset + unitOf[b];
          for (let o = 0; o < next.units; o++)
            rzNext[row * next.units + o] = value * theta[column + o * next.inputs];
        }
    }
    for (let l = m + 1; l < top; l++) {
      const { d1: dl } = layers[l];
      const units = layout[l].units;
      const rz = buffers.rz[l];
      const ru = buffers.ru[l];
      for (let s = 0; s < n; s++)
        for (let b = 0; b < B; b++) {
          const row = (s * B + b) * units;
          for (let i = 0; i < units; i++) ru[row + i] = dl[s * units + i] * rz[row + i];
        }
      // Through a skip R{u_l} also takes R{a} of the layer it skips from: one unit per row
      // when that is m without a norm (dense with one), nothing when it is below m.
      const from = layout[l].skipFrom;
      if (from === m && !normAtM)
        for (let row = 0; row < rows; row++)
          ru[row * units + unitOf[row % B]] += driveActivated[row];
      else if (from >= m) {
        const skipped = buffers.ra[from];
        for (let k = 0; k < rows * units; k++) ru[k] += skipped[k];
      }
      if (layout[l].normOffset >= 0)
        normRForward(
          ru,
          n,
          B,
          theta,
          layout[l].normOffset,
          layers[l].norm!,
          null,
          buffers.rxhat[l],
          buffers.ra[l],
        );
      affine(theta, withoutBias(layout[l + 1]), buffers.ra[l], rows, buffers.rz[l + 1]);
    }
  } else {
    const rz = buffers.rz[top];
    rz.fill(0, 0, rows * layerM.units);
    for (let row = 0; row < rows; row++) rz[row * layerM.units + unitOf[row % B]] = drive[row];
  }
  // R at the loss: N·B rows, averaged over the N samples.
  const expanded = expandTop(pass, buffers, B);
  pass.loss.hessianVector({ ...expanded, rows }, buffers.rz[top], buffers.rdelta[top], n);

  // R-backward from the top down to layer m.
  for (let l = top; l >= m; l--) {
    const layer = layout[l];
    const below = l > 0 ? layers[l - 1].a : pass.inputs;
    const rdelta = buffers.rdelta[l];
    // R{δ}ᵀ·input for every direction at once: (B·units) × N × inputs.
    const weights = buffers.weights;
    weights.fill(0, 0, B * layer.units * layer.inputs);
    accumulateWeightGradient(
      { inputs: layer.inputs, units: B * layer.units, weightOffset: 0, biasOffset: -1 },
      rdelta,
      below,
      n,
      weights,
    );
    // Plus δᵀ·R{a} of the layer below (zero below m).
    if (l > m) addDeltaTimesLowerR(pass, buffers, l, l - 1 === m && !normAtM, unitOf, B, weights);
    const biases =
      layer.biasOffset >= 0 ? sumOverSamples(rdelta, n, B * layer.units, buffers) : null;
    writeColumns(h, p, layer, l > m, first, B, weights, biases);
    if (l === m) break;
    // R{δ} of the layer below: R{dL/du} ⊙ act′ + dL/du ⊙ act″ ⊙ R{z}, where R{dL/du} is
    // R{g} (g = dL/da) through the norm, and R{g} = R{δ}·W (plus, through a skip, this
    // layer's own R{dL/du}).
    const lowerLayer = layout[l - 1];
    const lower = lowerLayer.units;
    const { d1, d2, du } = layers[l - 1];
    const rdeltaLower = buffers.rdelta[l - 1];
    const rg = buffers.rg[l - 1];
    propagateDown(theta, layer, rdelta, rows, rg);
    // Every layer that skips to l − 1 is above it, so its R{dL/du} is already known.
    for (const s of lowerLayer.skippedBy) {
      const skipped = buffers.rback[s];
      for (let k = 0; k < rows * lower; k++) rg[k] += skipped[k];
    }
    if (lowerLayer.normOffset >= 0) {
      const gainRows = buffers.gainRows.subarray(0, B * 2 * lower);
      gainRows.fill(0);
      normRBackward(
        rg,
        buffers.ru[l - 1],
        buffers.rxhat[l - 1],
        n,
        B,
        theta,
        lowerLayer.normOffset,
        { ...layers[l - 1].norm!, g: layers[l - 1].back, du },
        l - 1 === m ? rGain : null,
        rdeltaLower,
        gainRows,
        0,
      );
      writeGainColumns(h, p, lowerLayer, l - 1 > m, first, B, gainRows);
    }
    // R{dL/du} of the layer below, kept for its own skip, before act′ scales it into R{δ}.
    if (lowerLayer.residual) buffers.rback[l - 1].set(rdeltaLower.subarray(0, rows * lower));
    for (let s = 0; s < n; s++)
      for (let b = 0; b < B; b++) {
        const row = (s * B + b) * lower;
        for (let i = 0; i < lower; i++) rdeltaLower[row + i] *= d1[s * lower + i];
      }
    if (l - 1 === m) {
      // R{z_m} is the drive, at one unit per row.
      for (let s = 0; s < n; s++)
        for (let b = 0; b < B; b++) {
          const at = s * lower + unitOf[b];
          rdeltaLower[(s * B + b) * lower + unitOf[b]] += du[at] * d2[at] * drive[s * B + b];
        }
    } else {
      const rzLower = buffers.rz[l - 1];
      for (let s = 0; s < n; s++)
        for (let b = 0; b < B; b++) {
          const row = (s * B + b) * lower;
          for (let i = 0; i < lower; i++) {
            const at = s * lower + i;
            rdeltaLower[row + i] += du[at] * d2[at] * rzLower[row + i];
          }
        }
    }
  }
}

/**
 * Adds Σₙ δ_l[n, i]·R{a_{l−1}}[n, b, c] to weights[(b·units + i)·inputs + c]: a single column
 * when R{a_{l−1}} has one unit per row (`sparse`: l − 1 = m without a norm), else one product
 * over all directions.
 */
function addDeltaTimesLowerR(
  pass: PreparedPass,
  buffers: BlockBuffers,
  l: number,
  sparse: boolean,
  unitOf: Int32Array,
  B: number,
  weights: Float64Array,
): void {
  const n = pass.samples;
  const { units, inputs } = pass.architecture.layers[l];
  const delta = pass.layers[l].delta;
  if (sparse) {
    const activated = buffers.driveActivated;
    for (let b = 0; b < B; b++)
      for (let i = 0; i < units; i++) {
        let sum = 0;
        for (let s = 0; s < n; s++) sum += delta[s * units + i] * activated[s * B + b];
        weights[(b * units + i) * inputs + unitOf[b]] += sum;
      }
    return;
  }
  const mixed = buffers.mixed;
  mixed.fill(0, 0, units * B * inputs);
  accumulateWeightGradient(
    { inputs: B * inputs, units, weightOffset: 0, biasOffset: -1 },
    delta,
    buffers.ra[l - 1],
    n,
    mixed,
  );
  for (let b = 0; b < B; b++)
    for (let i = 0; i < units; i++) {
      const to = (b * units + i) * inputs;
      const from = i * B * inputs + b * inputs;
      for (let c = 0; c < inputs; c++) weights[to + c] += mixed[from + c];
    }
}

/** Σₙ of an N × width array, row by row (contiguous), into buffers.biases. */
function sumOverSamples(
  values: Float64Array,
  n: number,
  width: number,
  buffers: BlockBuffers,
): Float64Array {
  const sums = buffers.biases;
  sums.fill(0, 0, width);
  for (let s = 0; s < n; s++) {
    const row = s * width;
    for (let j = 0; j < width; j++) sums[j] += values[row + j];
  }
  return sums;
}

/**
 * Writes the block's columns as rows of H (H is symmetric; rows are contiguous), for the
 * parameters of this layer: weights from `weights` (B × units × inputs), biases from `biases`
 * (B × units). For a layer above the block's own, mirrors them into the columns as well.
 */
function writeColumns(
  h: Float64Array,
  p: number,
  layer: LayerLayout,
  mirror: boolean,
  first: number,
  B: number,
  weights: Float64Array,
  biases: Float64Array | null,
): void {
  const { units, inputs, weightOffset, biasOffset } = layer;
  writeRows(h, p, weightOffset, units * inputs, mirror, first, B, weights);
  if (biases) writeRows(h, p, biasOffset, units, mirror, first, B, biases);
}

/**
 * Writes the rows of a norm's γ and β (gainRows: B × 2·units) into the block's rows of H,
 * mirrored into its columns for a layer above the block's own.
 */
function writeGainColumns(
  h: Float64Array,
  p: number,
  layer: LayerLayout,
  mirror: boolean,
  first: number,
  B: number,
  gainRows: Float64Array,
): void {
  writeRows(h, p, layer.normOffset, 2 * layer.units, mirror, first, B, gainRows);
}

/**
 * Row first + b of H gets values[b·width …] at columns offset …; mirrored, column first + b
 * gets them at those rows too (H is symmetric, and the other block never computes them).
 */
function writeRows(
  h: Float64Array,
  p: number,
  offset: number,
  width: number,
  mirror: boolean,
  first: number,
  B: number,
  values: Float64Array,
): void {
  for (let b = 0; b < B; b++) {
    const row = values.subarray(b * width, (b + 1) * width);
    h.set(row, (first + b) * p + offset);
    if (mirror) for (let r = 0; r < width; r++) h[(offset + r) * p + first + b] = row[r];
  }
}

/** The top layer's z, a and targets repeated for each direction: row n·B + b is sample n. */
function expandTop(
  pass: PreparedPass,
  buffers: BlockBuffers,
  B: number,
): { z: Float64Array; a: Float64Array; y: Float64Array } {
  if (buffers.topFor === B) return buffers.top;
  const outputs = pass.architecture.outputDim;
  const source = pass.layers[pass.layers.length - 1];
  const { z, a, y } = buffers.top;
  for (let s = 0; s < pass.samples; s++)
    for (let b = 0; b < B; b++)
      for (let k = 0; k < outputs; k++) {
        const from = s * outputs + k;
        const to = (s * B + b) * outputs + k;
        z[to] = source.z[from];
        a[to] = source.a[from];
        y[to] = pass.targets[from];
      }
  buffers.topFor = B;
  return buffers.top;
}

function withoutBias(layer: LayerLayout): WeightLayout {
  return {
    inputs: layer.inputs,
    units: layer.units,
    weightOffset: layer.weightOffset,
    biasOffset: -1,
  };
}
