// Flat directions a network's symmetries predict at a point: each one makes a Hessian
// eigenvalue exactly zero at a critical point, so a zero eigenvalue that a symmetry explains
// says nothing against a minimum. Counted here, compared with the measured nullity.
import { activate, ACTIVATIONS } from '../model/activations';
import type { LayerLayout, MlpArchitecture } from '../model/architecture';
import { LAYER_NORM_EPSILON, normalizeRows } from '../model/layerNorm';

export interface FlatDirections {
  count: number;
  /** "2 relu rescalings", "GL(2) mixing between layers 1 and 2 (4)", … */
  reasons: string[];
}

const ZERO = 1e-12;

/**
 * Flat directions predicted for an MLP at θ. With weight decay the penalty breaks rescaling
 * and general mixing; only rotations between linear layers (O(k), k(k−1)/2 each) remain.
 * `inputs` (samples × inputDim) are used to recognise relu units that are off on every sample.
 */
export function predictedFlatDirections(
  architecture: MlpArchitecture,
  theta: Float64Array,
  weightDecay: number,
  inputs: Float64Array,
  samples: number,
): FlatDirections {
  const layers = architecture.layers;
  const reasons: string[] = [];
  let count = 0;
  const add = (n: number, reason: string) => {
    if (n <= 0) return;
    count += n;
    reasons.push(reason);
  };

  // Deep linear network: W_{l+1}·W_l is unchanged by W_l → A·W_l, W_{l+1} → W_{l+1}·A⁻¹.
  const plain = layers.every((l) => !l.residual && l.normOffset < 0);
  if (plain && layers.length > 1 && layers.every((l) => ACTIVATIONS[l.activation].identity)) {
    for (let l = 0; l < layers.length - 1; l++) {
      const k = layers[l].units;
      const narrowest = Math.min(architecture.inputDim, ...layers.map((x) => x.units));
      if (k > narrowest) continue; // a bottleneck elsewhere adds directions this count does not model
      if (weightDecay > 0)
        add(
          (k * (k - 1)) / 2,
          `O(${k}) rotation between layers ${l + 1} and ${l + 2} (${(k * (k - 1)) / 2})`,
        );
      else {
        add(k * k, `GL(${k}) mixing between layers ${l + 1} and ${l + 2} (${k * k})`);
        // b_l → b_l + δ with b_{l+1} → b_{l+1} − W_{l+1}·δ leaves the map unchanged.
        if (layers[l].biasOffset >= 0 && layers[l + 1].biasOffset >= 0) {
          add(k, `bias shift between layers ${l + 1} and ${l + 2} (${k})`);
        }
      }
    }
    return { count, reasons };
  }

  const activations = hiddenActivations(architecture, theta, inputs, samples);
  let rescalings = 0;
  let deadOutgoing = 0;
  let deadOnData = 0;
  let duplicates = 0;
  for (let l = 0; l < layers.length - 1; l++) {
    const layer = layers[l];
    const next = layers[l + 1];
    const normed = layer.normOffset >= 0;
    // A unit seen only through the next layer's weights: no norm spreads it over the layer's
    // other units, no skip carries it past them.
    const seenOnlyThroughWeights = !normed && layer.skippedBy.length === 0;
    for (let i = 0; i < layer.units; i++) {
      const incoming = incomingNorm(layer, theta, i);
      const outgoing = outgoingNorm(next, theta, i);
      if (outgoing <= ZERO && seenOnlyThroughWeights) {
        // Nothing downstream sees this unit: its incoming weights and bias are free.
        deadOutgoing += layer.inputs + (layer.biasOffset >= 0 ? 1 : 0);
        continue;
      }
      if (ACTIVATIONS[layer.activation].deadBelowZero && activations[l][i] === 'off') {
        // Off on every sample: small changes of its incoming weights and bias change nothing,
        // and neither do its outgoing weights.
        // Its output is 0 unless a skip or a norm makes it more: only then are its outgoing
        // weights free too.
        const outputZero = !normed && !layer.residual;
        deadOnData +=
          layer.inputs + (layer.biasOffset >= 0 ? 1 : 0) + (outputZero ? next.units : 0);
        continue;
      }
      if (
        ACTIVATIONS[layer.activation].scaleSymmetry &&
        seenOnlyThroughWeights &&
        !layer.residual &&
        incoming > ZERO &&
        weightDecay === 0
      )
        rescalings++;
    }
    if (!normed && !layer.residual) duplicates += duplicatePairs(layer, theta);
    if (normed && weightDecay === 0) normSymmetries(architecture, l, theta, add);
  }
  add(
    rescalings,
    `${rescalings} relu rescaling${rescalings === 1 ? '' : 's'} (one per active relu unit)`,
  );
  add(deadOutgoing, `${deadOutgoing} incoming weights of units with zero outgoing weights`);
  add(deadOnData, `${deadOnData} weights of relu units that are off on every sample`);
  add(
    duplicates,
    `${duplicates} duplicate unit pair${duplicates === 1 ? '' : 's'} (their outgoing weights trade off)`,
  );
  return { count, reasons };
}

/**
 * The flat directions a layer norm makes. Before it: the norm removes the mean of u, so with
 * an identity activation, adding the same amount to every unit (through the bias, or the
 * same vector added to every row of W) changes nothing; and it removes u's scale, so with a
 * positively homogeneous activation and no skip, scaling W and b together changes nothing
 * but the ε in √(var + ε) (a curvature of order (ε/var)², inside the zero band). After it,
 * when only the next layer's weights see it: a unit's gain and shift scaled by c with its
 * outgoing weights by 1/c, and β + δ with the next bias − W·δ.
 */
function normSymmetries(
  architecture: MlpArchitecture,
  l: number,
  theta: Float64Array,
  add: (n: number, reason: string) => void,
): void {
  const layer = architecture.layers[l];
  const next = architecture.layers[l + 1];
  const name = `layer ${l + 1}'s norm`;
  const activation = ACTIVATIONS[layer.activation];
  if (activation.identity)
    add(
      layer.inputs + (layer.biasOffset >= 0 ? 1 : 0),
      `${layer.inputs + (layer.biasOffset >= 0 ? 1 : 0)} shifts of every unit of layer ${l + 1} at once, which ${name} subtracts`,
    );
  // With an identity activation and no skip, u − mean u is a linear map of the input into the
  // k − 1 dimensions of zero mean, and the norm divides by its length: a rotation there is
  // undone by the layer above's weights (when they see it alone, with every gain nonzero).
  const k = layer.units;
  if (
    activation.identity &&
    !layer.residual &&
    layer.skippedBy.length === 0 &&
    k > 2 &&
    allGainsNonzero(layer, theta)
  )
    add(
      ((k - 1) * (k - 2)) / 2,
      `O(${k - 1}) rotations within ${name}'s zero-mean space (${((k - 1) * (k - 2)) / 2})`,
    );
  if ((activation.identity || activation.scaleSymmetry) && !layer.residual)
    add(
      1,
      `1 scaling of layer ${l + 1}'s weights, which ${name} divides out (up to its ε = ${LAYER_NORM_EPSILON})`,
    );
  if (layer.skippedBy.length > 0) return;
  let gains = 0;
  for (let i = 0; i < layer.units; i++) {
    const gain = Math.hypot(theta[layer.normOffset + i], theta[layer.normOffset + layer.units + i]);
    if (gain > ZERO && outgoingNorm(next, theta, i) > ZERO) gains++;
  }
  add(
    gains,
    `${gains} rescaling${gains === 1 ? '' : 's'} of ${name}'s gain and shift against layer ${l + 2}'s weights`,
  );
  if (next.biasOffset < 0) return;
  add(layer.units, `${layer.units} shifts of ${name}'s β against layer ${l + 2}'s bias`);
  // x̂ sums to zero over the units, so a row of layer l + 2's weights can add c/γᵢ to its
  // weight from unit i (its bias taking back c·Σβᵢ/γᵢ): one direction per unit of that layer.
  if (allGainsNonzero(layer, theta))
    add(
      next.units,
      `${next.units} shift${next.units === 1 ? '' : 's'} of layer ${l + 2}'s weights along ${name}'s zero mean`,
    );
}

function allGainsNonzero(layer: LayerLayout, theta: Float64Array): boolean {
  for (let i = 0; i < layer.units; i++)
    if (Math.abs(theta[layer.normOffset + i]) <= ZERO) return false;
  return true;
}

function incomingNorm(layer: LayerLayout, theta: Float64Array, unit: number): number {
  let squares = 0;
  for (let c = 0; c < layer.inputs; c++)
    squares += theta[layer.weightOffset + unit * layer.inputs + c] ** 2;
  if (layer.biasOffset >= 0) squares += theta[layer.biasOffset + unit] ** 2;
  return Math.sqrt(squares);
}

function outgoingNorm(next: LayerLayout, theta: Float64Array, unit: number): number {
  let squares = 0;
  for (let k = 0; k < next.units; k++)
    squares += theta[next.weightOffset + k * next.inputs + unit] ** 2;
  return Math.sqrt(squares);
}

/** Pairs of units in a layer with the same incoming weights and bias (to rounding). */
function duplicatePairs(layer: LayerLayout, theta: Float64Array): number {
  let pairs = 0;
  for (let i = 0; i < layer.units; i++) {
    for (let j = i + 1; j < layer.units; j++) {
      let difference = 0;
      for (let c = 0; c < layer.inputs; c++) {
        difference = Math.max(
          difference,
          Math.abs(
            theta[layer.weightOffset + i * layer.inputs + c] -
              theta[layer.weightOffset + j * layer.inputs + c],
          ),
        );
      }
      if (layer.biasOffset >= 0)
        difference = Math.max(
          difference,
          Math.abs(theta[layer.biasOffset + i] - theta[layer.biasOffset + j]),
        );
      if (difference <= 1e-9 * Math.max(1, incomingNorm(layer, theta, i))) pairs++;
    }
  }
  return pairs;
}

/** Per hidden layer and unit: "off" when a relu unit's pre-activation is ≤ 0 on every sample. */
function hiddenActivations(
  architecture: MlpArchitecture,
  theta: Float64Array,
  inputs: Float64Array,
  samples: number,
): ('on' | 'off')[][] {
  const layers = architecture.layers;
  const states: ('on' | 'off')[][] = [];
  const outputs: Float64Array[] = [];
  let current = inputs;
  let width = architecture.inputDim;
  for (let l = 0; l < layers.length - 1; l++) {
    const layer = layers[l];
    const z = new Float64Array(samples * layer.units);
    const on = new Array<boolean>(layer.units).fill(false);
    for (let n = 0; n < samples; n++) {
      for (let i = 0; i < layer.units; i++) {
        let sum = layer.biasOffset >= 0 ? theta[layer.biasOffset + i] : 0;
        for (let c = 0; c < width; c++)
          sum += current[n * width + c] * theta[layer.weightOffset + i * width + c];
        z[n * layer.units + i] = sum;
        if (sum > 0) on[i] = true;
      }
    }
    const canDie = ACTIVATIONS[layer.activation].deadBelowZero;
    states.push(on.map((o) => (canDie && !o ? 'off' : 'on')));
    const next = new Float64Array(z.length);
    activate(layer.activation, z, next, z.length);
    if (layer.residual) {
      const skipped = outputs[layer.skipFrom];
      for (let k = 0; k < next.length; k++) next[k] += skipped[k];
    }
    if (layer.normOffset >= 0) {
      const state = {
        units: layer.units,
        xhat: new Float64Array(z.length),
        inverseStd: new Float64Array(samples),
      };
      normalizeRows(next, samples, theta, layer.normOffset, state, next);
    }
    outputs.push(next);
    current = next;
    width = layer.units;
  }
  return states;
}
