// Is network B network A with its hidden units (or a convolution's channels) permuted — and,
// where the activation allows, negated (odd activations: tanh, linear) or rescaled (relu)? We
// align B onto A layer by layer with a linear-assignment solver (weight matching, as in Ainsworth et al.'s Git
// Re-Basin), then confirm twice: the aligned parameters must be A's, and the two networks'
// outputs must agree on the data and on random inputs. Equivalence the outputs contradict is
// never reported.
import { munkres } from 'munkres';
import { MlpArchitecture } from '../model/architecture';
import { mlpUnits, weightIndex, type UnitLayer, type UnitNetwork } from '../model/units';
export interface Alignment {
  /** B's parameters mapped onto A's unit order (and signs, and scales). */
  aligned: Float64Array;
  /** Per hidden layer: unit i of B corresponds to unit permutation[l][i] of A. */
  permutation: number[][];
  /** Per hidden layer: the sign applied to B's unit i (all 1 unless negation is allowed). */
  signs: number[][];
  /**
   * Per hidden layer: c such that B's unit i has c times the incoming weights and bias of its
   * partner in A, and 1/c times its outgoing weights; all 1 unless relu rescaling is used.
   */
  scales: number[][];
}

const MAX_SWEEPS = 50;

/** A declared MLP's units, or the units given. */
function unitsOf(network: MlpArchitecture | UnitNetwork): UnitNetwork {
  return network instanceof MlpArchitecture ? mlpUnits(network) : network;
}

/** Aligns B onto A. Returns null for networks without hidden layers. */
export function alignNetworks(
  network: MlpArchitecture | UnitNetwork,
  a: Float64Array,
  b: Float64Array,
): Alignment | null {
  const layers = unitsOf(network).layers;
  const hidden = layers.length - 1;
  if (hidden === 0) return null;
  const rescale = layers.slice(0, hidden).some((l) => l.rescale);
  const canonicalA = rescale ? canonicalize(layers, a) : null;
  const canonicalB = rescale ? canonicalize(layers, b) : null;
  const targetA = canonicalA?.theta ?? a;
  const sourceB = canonicalB?.theta ?? b;

  // unitOf[l][i]: the unit of B placed at A's position i; sign[l][i]: its sign.
  const unitOf = layers.slice(0, hidden).map((l) => Array.from({ length: l.units }, (_, i) => i));
  const sign = layers.slice(0, hidden).map((l) => new Array<number>(l.units).fill(1));
  // Sweep 0 matches on incoming weights only, from the input upward: each layer then sees
  // its inputs already in A's order, which for an exact twin gives the right answer at once.
  // Later sweeps also use the outgoing weights (coordinate ascent over layers).
  // Layers tied to one below (a residual stream) share its assignment: one per group, in the
  // order of the groups' first layers.
  const rootOf = (l: number): number => {
    const to = layers[l].tiedTo ?? -1;
    return to >= 0 ? rootOf(to) : l;
  };
  const byRoot = new Map<number, number[]>();
  for (let l = 0; l < hidden; l++) {
    const root = rootOf(l);
    byRoot.set(root, [...(byRoot.get(root) ?? []), l]);
  }
  const groups = [...byRoot.values()];
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let changed = false;
    for (const group of groups) {
      // Sweep 0: the group's first layer alone, whose inputs are already in A's order.
      const scored = sweep === 0 ? group.slice(0, 1) : group;
      const score = scored
        .map((l) => scoreLayer(layers, l, targetA, sourceB, unitOf, sign, sweep > 0))
        .reduce((sum, s) => sum.map((row, i) => row.map((v, j) => v + s[i][j])));
      const { assignment, signs } = assign(
        score,
        group.every((l) => layers[l].sign),
      );
      for (const l of group) {
        if (assignment.some((j, i) => j !== unitOf[l][i]) || signs.some((s, i) => s !== sign[l][i]))
          changed = true;
        unitOf[l] = assignment;
        sign[l] = signs;
      }
    }
    if (!changed && sweep > 0) break;
  }
  const aligned = permuted(layers, sourceB, unitOf, sign);
  // Report as "unit i of B ↔ unit permutation[i] of A", and B's own signs.
  const permutation = unitOf.map((units) => {
    const inverse = new Array<number>(units.length);
    units.forEach((j, i) => (inverse[j] = i));
    return inverse;
  });
  const signs = unitOf.map((units, l) => {
    const ofB = new Array<number>(units.length);
    units.forEach((j, i) => (ofB[j] = sign[l][i]));
    return ofB;
  });
  // Unit j of B sits at A's position i: their canonical forms agree, so B's unit is A's times
  // the ratio of their canonical scales (layer by layer, each in the coordinates the layer
  // below left).
  const scales = unitOf.map((units, l) => {
    const ofB = new Array<number>(units.length).fill(1);
    if (canonicalA && canonicalB)
      units.forEach((j, i) => (ofB[j] = canonicalB.scales[l][j] / canonicalA.scales[l][i]));
    return ofB;
  });
  return {
    aligned: canonicalA ? uncanonicalize(layers, aligned, canonicalA.scales) : aligned,
    permutation,
    signs,
    scales,
  };
}

/**
 * The agreement of A's unit i with B's unit j at hidden layer l: their incoming weights, bias
 * and per-unit tensors, and their outgoing weights, with the other layers' assignments fixed.
 */
function scoreLayer(
  layers: UnitLayer[],
  l: number,
  a: Float64Array,
  b: Float64Array,
  unitOf: number[][],
  sign: number[][],
  withOutgoing: boolean,
): number[][] {
  const layer = layers[l];
  const next = layers[l + 1];
  const n = layer.units;
  const score: number[][] = [];
  for (let i = 0; i < n; i++) {
    score.push([]);
    for (let j = 0; j < n; j++) {
      let s = 0;
      // incoming: A's row i against B's row j with B's inputs put in A's order
      for (let c = 0; c < layer.inputs; c++) {
        const [column, columnSign] = l > 0 ? [unitOf[l - 1][c], sign[l - 1][c]] : [c, 1];
        for (let k = 0; k < layer.block; k++)
          s += a[weightIndex(layer, i, c, k)] * columnSign * b[weightIndex(layer, j, column, k)];
      }
      if (layer.biasOffset >= 0) s += a[layer.biasOffset + i] * b[layer.biasOffset + j];
      for (const offset of layer.perUnitOffsets) s += a[offset + i] * b[offset + j];
      // outgoing: A's column block i against B's column block j, B's next units in A's order
      for (let r = 0; withOutgoing && r < next.units; r++) {
        const [row, rowSign] =
          l + 1 < layers.length - 1 ? [unitOf[l + 1][r], sign[l + 1][r]] : [r, 1];
        for (let k = 0; k < next.block; k++)
          s += a[weightIndex(next, r, i, k)] * rowSign * b[weightIndex(next, row, j, k)];
      }
      score[i].push(s);
    }
  }
  return score;
}

/** The assignment of B's units to A's that maximizes the agreement (absolute, with signs). */
function assign(score: number[][], allowSign: boolean): { assignment: number[]; signs: number[] } {
  const n = score.length;
  // munkres minimizes a cost: negate the (absolute, when signs are free) agreement.
  const cost = score.map((row) => row.map((s) => -(allowSign ? Math.abs(s) : s)));
  const assignment = new Array<number>(n);
  for (const [i, j] of munkres(cost)) assignment[i] = j;
  const signs = assignment.map((j, i) => (allowSign && score[i][j] < 0 ? -1 : 1));
  return { assignment, signs };
}

/**
 * B with unit unitOf[l][i] moved to position i and multiplied by sign[l][i]; what no unit owns
 * (the layers after the output layer, normalization of the input) stays as it is.
 */
function permuted(
  layers: UnitLayer[],
  b: Float64Array,
  unitOf: number[][],
  sign: number[][],
): Float64Array {
  const out = Float64Array.from(b);
  const hidden = layers.length - 1;
  layers.forEach((layer, l) => {
    for (let i = 0; i < layer.units; i++) {
      const [source, rowSign] = l < hidden ? [unitOf[l][i], sign[l][i]] : [i, 1];
      for (let c = 0; c < layer.inputs; c++) {
        const [column, columnSign] = l > 0 ? [unitOf[l - 1][c], sign[l - 1][c]] : [c, 1];
        for (let k = 0; k < layer.block; k++)
          out[weightIndex(layer, i, c, k)] =
            rowSign * columnSign * b[weightIndex(layer, source, column, k)];
      }
      if (layer.biasOffset >= 0) out[layer.biasOffset + i] = rowSign * b[layer.biasOffset + source];
      // Per-unit tensors only occur where signs are not allowed (after a BatchNorm).
      for (const offset of layer.perUnitOffsets) out[offset + i] = b[offset + source];
    }
  });
  return out;
}

/**
 * Relu units are unchanged as functions when their incoming weights and bias are scaled by
 * c > 0 and their outgoing weights by 1/c. The canonical form gives every hidden relu unit
 * an incoming vector of norm 1 (zero units stay as they are), layer by layer from the input.
 */
export function canonicalScale(
  network: MlpArchitecture | UnitNetwork,
  theta: Float64Array,
): Float64Array {
  return canonicalize(unitsOf(network).layers, theta).theta;
}

/** The canonical form and the scale each unit was divided by (1 where nothing changed). */
function canonicalize(
  layers: UnitLayer[],
  theta: Float64Array,
): { theta: Float64Array; scales: number[][] } {
  const out = Float64Array.from(theta);
  const scales: number[][] = [];
  for (let l = 0; l < layers.length - 1; l++) {
    const layer = layers[l];
    const layerScales = Array.from({ length: layer.units }, (_, i) => {
      if (!layer.rescale) return 1;
      let squares = 0;
      for (let c = 0; c < layer.inputs * layer.block; c++)
        squares += out[weightIndex(layer, i, 0, c)] ** 2;
      if (layer.biasOffset >= 0) squares += out[layer.biasOffset + i] ** 2;
      return Math.sqrt(squares) || 1;
    });
    scaleUnits(layers, l, out, layerScales, -1);
    scales.push(layerScales);
  }
  return { theta: out, scales };
}

/**
 * Unit i of hidden layer l: incoming weights and bias times scale^power, outgoing weights
 * times scale^−power (in place).
 */
function scaleUnits(
  layers: UnitLayer[],
  l: number,
  theta: Float64Array,
  scales: number[],
  power: 1 | -1,
): void {
  const layer = layers[l];
  const next = layers[l + 1];
  scales.forEach((scale, i) => {
    if (scale === 1) return;
    const factor = power === 1 ? scale : 1 / scale;
    for (let c = 0; c < layer.inputs * layer.block; c++)
      theta[weightIndex(layer, i, 0, c)] *= factor;
    if (layer.biasOffset >= 0) theta[layer.biasOffset + i] *= factor;
    for (let r = 0; r < next.units; r++)
      for (let k = 0; k < next.block; k++) theta[weightIndex(next, r, i, k)] /= factor;
  });
}

/**
 * B aligned in A's canonical form, taken back to A's own scales: A's canonicalization undone,
 * last layer first, so the result can be compared with A's raw parameters.
 */
function uncanonicalize(
  layers: UnitLayer[],
  canonicalB: Float64Array,
  scales: number[][],
): Float64Array {
  const out = Float64Array.from(canonicalB);
  for (let l = scales.length - 1; l >= 0; l--) scaleUnits(layers, l, out, scales[l], 1);
  return out;
}
