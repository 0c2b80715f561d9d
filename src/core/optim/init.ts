// Random initializations (FORMAT.md §1.4), drawn in θ order from the run's generator.
import type { MlpArchitecture } from '../model/architecture';
import type { Random } from '../rng';
import type { InitName } from '../vocabulary';

export function initialParameters(
  init: InitName,
  scale: number,
  parameterCount: number,
  architecture: MlpArchitecture | null,
  random: Random,
): Float64Array {
  const theta = new Float64Array(parameterCount);
  // A PyTorch module's own initialization comes from its worker (the run's start), not from here.
  if (init === 'module') return theta;
  if (init === 'normal' || init === 'uniform' || !architecture) {
    for (let i = 0; i < parameterCount; i++)
      theta[i] = init === 'normal' ? scale * random.normal() : random.uniform(-scale, scale);
    return theta;
  }
  for (const layer of architecture.layers) {
    const count = layer.units * layer.inputs;
    if (init === 'xavier') {
      // Glorot uniform, as torch.nn.init.xavier_uniform_
      const limit = Math.sqrt(6 / (layer.inputs + layer.units));
      for (let i = 0; i < count; i++) theta[layer.weightOffset + i] = random.uniform(-limit, limit);
    } else {
      // He (Kaiming) normal for relu-like units, as torch.nn.init.kaiming_normal_
      const std = Math.sqrt(2 / layer.inputs);
      for (let i = 0; i < count; i++) theta[layer.weightOffset + i] = std * random.normal();
    }
    // Biases stay 0; a norm's gain starts at 1 and its shift at 0, as PyTorch's LayerNorm.
    if (layer.normOffset >= 0) theta.fill(1, layer.normOffset, layer.normOffset + layer.units);
  }
  return theta;
}
