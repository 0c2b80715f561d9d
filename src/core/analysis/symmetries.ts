// Flat directions a network's symmetries predict at a point: each one makes a Hessian
// eigenvalue exactly zero at a critical point, so a zero eigenvalue that a symmetry explains
// says nothing against a minimum. Counted here, compared with the measured nullity.
import { activate, ACTIVATIONS } from '../model/activations';
import type { LayerLayout, MlpArchitecture } from '../model/architecture';

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
  if (layers.length > 1 && layers.every((l) => ACTIVATIONS[l.activation].identity)) {
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
    for (let i = 0; i < layer.units; i++) {
      const incoming = incomingNorm(layer, theta, i);
      const outgoing = outgoingNorm(next, theta, i);
      if (outgoing <= ZERO) {
        // Nothing downstream sees this unit: its incoming weights and bias are free.
        deadOutgoing += layer.inputs + (layer.biasOffset >= 0 ? 1 : 0);
        continue;
      }
      if (ACTIVATIONS[layer.activation].deadBelowZero && activations[l][i] === 'off') {
        // Off on every sample: small changes of its incoming weights and bias change nothing,
        // and neither do its outgoing weights.
        deadOnData += layer.inputs + (layer.biasOffset >= 0 ? 1 : 0) + next.units;
        continue;
      }
      if (ACTIVATIONS[layer.activation].scaleSymmetry && incoming > ZERO && weightDecay === 0)
        rescalings++;
    }
    duplicates += duplicatePairs(layer, theta);
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
    current = next;
    width = layer.units;
  }
  return states;
}
