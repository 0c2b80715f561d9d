// A dataset in the layout every kernel uses: row-major Float64Arrays, one row per sample.

export interface Dataset {
  samples: number;
  inputDim: number;
  targetDim: number;
  /** samples × inputDim */
  inputs: Float64Array;
  /** samples × targetDim */
  targets: Float64Array;
  inputNames: string[];
  targetNames: string[];
  standardization?: { mean: number[]; std: number[] };
}

export function datasetFromRows(
  inputs: number[][],
  targets: number[][],
  inputNames?: string[],
  targetNames?: string[],
): Dataset {
  const samples = inputs.length;
  const inputDim = inputs[0]?.length ?? 0;
  const targetDim = targets[0]?.length ?? 0;
  const flatInputs = new Float64Array(samples * inputDim);
  const flatTargets = new Float64Array(samples * targetDim);
  for (let n = 0; n < samples; n++) {
    flatInputs.set(inputs[n], n * inputDim);
    flatTargets.set(targets[n], n * targetDim);
  }
  return {
    samples,
    inputDim,
    targetDim,
    inputs: flatInputs,
    targets: flatTargets,
    inputNames: inputNames ?? defaultNames('x', inputDim),
    targetNames: targetNames ?? defaultNames('y', targetDim),
  };
}

export function defaultNames(prefix: string, count: number): string[] {
  return count === 1 ? [prefix] : Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
}

/** Standardizes input columns in place (zero mean, unit variance); constant columns are only centred. */
export function standardizeInputs(dataset: Dataset): void {
  const { samples, inputDim, inputs } = dataset;
  const mean = new Array<number>(inputDim).fill(0);
  const std = new Array<number>(inputDim).fill(0);
  for (let j = 0; j < inputDim; j++) {
    let sum = 0;
    for (let n = 0; n < samples; n++) sum += inputs[n * inputDim + j];
    mean[j] = sum / samples;
    let squares = 0;
    for (let n = 0; n < samples; n++) squares += (inputs[n * inputDim + j] - mean[j]) ** 2;
    std[j] = Math.sqrt(squares / samples);
    const scale = std[j] > 0 ? 1 / std[j] : 1;
    for (let n = 0; n < samples; n++)
      inputs[n * inputDim + j] = (inputs[n * inputDim + j] - mean[j]) * scale;
  }
  dataset.standardization = { mean, std };
}
