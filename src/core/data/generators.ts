// Built-in datasets. Deterministic for a seed on every machine (see rng.ts).
import { Random } from '../rng';
import type { GeneratorName } from '../vocabulary';
import { defaultNames, type Dataset } from './dataset';

export interface GeneratorOptions {
  generator: GeneratorName;
  samples?: number;
  noise?: number;
  seed?: number;
  slope?: number;
  intercept?: number;
}

export const DEFAULT_SAMPLES = 200;
export const DEFAULT_NOISE = 0.1;

/** Samples, input and target columns a generator will produce (known before generating). */
export function generatorShape(options: GeneratorOptions): {
  samples: number;
  inputDim: number;
  targetDim: number;
} {
  const samples = options.samples ?? (options.generator === 'xor' ? 4 : DEFAULT_SAMPLES);
  const oneDimensional = options.generator === 'sine' || options.generator === 'linear';
  return { samples, inputDim: oneDimensional ? 1 : 2, targetDim: 1 };
}

export function generate(options: GeneratorOptions): Dataset {
  const random = new Random(options.seed ?? 0);
  const { samples, inputDim } = generatorShape(options);
  const noise = options.noise ?? (options.generator === 'xor' ? 0 : DEFAULT_NOISE);
  const inputs = new Float64Array(samples * inputDim);
  const targets = new Float64Array(samples);
  let row = 0;
  const jitter = () => (noise > 0 ? noise * random.normal() : 0);
  const add2d = (x: number, y: number, label: number) => {
    inputs[2 * row] = x + jitter();
    inputs[2 * row + 1] = y + jitter();
    targets[row++] = label;
  };
  const add1d = (x: number, y: number) => {
    inputs[row] = x;
    targets[row++] = y;
  };

  switch (options.generator) {
    case 'xor': {
      const corners: [number, number, number][] = [
        [0, 0, 0],
        [0, 1, 1],
        [1, 0, 1],
        [1, 1, 0],
      ];
      for (let n = 0; n < samples; n++) add2d(...corners[n % 4]);
      break;
    }
    case 'circles':
      for (let n = 0; n < samples; n++) {
        const inner = n % 2;
        const radius = inner ? 0.5 : 1;
        const angle = random.uniform(0, 2 * Math.PI);
        add2d(radius * Math.cos(angle), radius * Math.sin(angle), inner);
      }
      break;
    case 'moons':
      for (let n = 0; n < samples; n++) {
        const lower = n % 2;
        const t = random.uniform(0, Math.PI);
        if (lower) add2d(1 - Math.cos(t), 0.5 - Math.sin(t), 1);
        else add2d(Math.cos(t), Math.sin(t), 0);
      }
      break;
    case 'spirals':
      for (let n = 0; n < samples; n++) {
        const arm = n % 2;
        const t = random.uniform(0.25, 1) * 3 * Math.PI;
        const radius = t / (3 * Math.PI);
        const angle = t + arm * Math.PI;
        add2d(radius * Math.cos(angle), radius * Math.sin(angle), arm);
      }
      break;
    case 'gaussians':
      for (let n = 0; n < samples; n++) {
        const label = n % 2;
        const centre = label ? 1 : -1;
        add2d(centre, centre, label);
      }
      break;
    case 'sine':
      for (let n = 0; n < samples; n++) {
        const x = random.uniform(-Math.PI, Math.PI);
        add1d(x, Math.sin(x) + jitter());
      }
      break;
    case 'linear': {
      const slope = options.slope ?? 2;
      const intercept = options.intercept ?? -1;
      for (let n = 0; n < samples; n++) {
        const x = random.uniform(-1, 1);
        add1d(x, slope * x + intercept + jitter());
      }
      break;
    }
  }
  return {
    samples,
    inputDim,
    targetDim: 1,
    inputs,
    targets,
    inputNames: defaultNames('x', inputDim),
    targetNames: ['y'],
  };
}
