// Valid .loss.json files the fuzzer starts from: small (each analyzes in well under a second)
// and together touching every part of the format: generators, inline rows and CSV; MLPs of
// every activation and expression models; every loss and optimizer; points as layers,
// vectors and values; line and plane slices of every kind; paths and the search.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BASE_SPECS: Record<string, unknown> = {
  'xor-twins': {
    name: 'XOR with twins, slices and a search',
    data: { generator: 'xor' },
    model: {
      layers: [
        { units: 2, activation: 'tanh' },
        { units: 1, activation: 'linear' },
      ],
    },
    weightDecay: 0.001,
    training: { runs: 2, seed: 3, init: 'normal', learningRate: 0.2, epochs: 200 },
    analysis: {
      paths: 'twins',
      search: { starts: 2, seed: 1, scale: 1 },
      slices: [
        { type: 'line', from: 'run-0', to: 'run-1', steps: 11, margin: 0.25, align: true },
        { type: 'plane', directions: 'random', center: 'run-0', resolution: 5, span: 1 },
        { type: 'plane', directions: 'hessian', center: 'run-1', resolution: 5 },
      ],
    },
  },
  'two-minima': {
    data: { inputs: [[1]], targets: [[1]] },
    model: { expression: 'w^2', parameters: ['w'] },
    training: { runs: 3, init: 'uniform', initScale: 1.5, learningRate: 0.05, epochs: 300 },
    points: [
      { name: 'left', values: { w: -1 } },
      { name: 'top', values: { w: 0 } },
    ],
    analysis: {
      paths: [{ from: 'point:left', to: 'run-0' }],
      slices: [{ type: 'line', from: 'point:left', to: 'point:top' }],
    },
  },
  'csv-relu-bce': {
    data: { csv: 'data.csv', inputs: ['x1', 'x2'], targets: ['y'], normalize: 'standardize' },
    model: {
      layers: [
        { units: 3, activation: 'relu' },
        { units: 1, activation: 'sigmoid' },
      ],
    },
    loss: 'bce',
    training: { runs: 2, optimizer: 'adam', batchSize: 2, epochs: 40, from: ['p'] },
    points: [
      {
        name: 'p',
        layers: [
          {
            weights: [
              [1, 0],
              [0, 1],
              [1, 1],
            ],
            bias: [0, 0, 0],
          },
          { weights: [[1, -1, 0.5]], bias: [0] },
        ],
      },
    ],
    analysis: {
      slices: [
        {
          type: 'plane',
          directions: 'points',
          through: ['run-0', 'run-1', 'point:p'],
          resolution: 5,
        },
        { type: 'plane', directions: 'trajectory', center: 'run-1', resolution: 5 },
      ],
    },
  },
  'softmax-lanczos': {
    data: {
      inputs: [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
        [0.5, 0.5],
        [0.2, 0.9],
      ],
      targets: [[0], [1], [2], [1], [0], [2]],
    },
    model: {
      layers: [
        { units: 3, activation: 'softplus' },
        { units: 3, activation: 'linear' },
      ],
      bias: false,
    },
    loss: 'cross-entropy',
    training: { runs: 2, optimizer: 'momentum', learningRate: 0.1, momentum: 0.9, epochs: 100 },
    points: [{ name: 'zero', vector: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }],
    analysis: { hessian: 'lanczos', refine: false, exactLimit: 1 },
  },
  'deep-linear': {
    data: { generator: 'linear', samples: 12, noise: 0.1, seed: 2 },
    model: {
      layers: [
        { units: 2, activation: 'linear' },
        { units: 1, activation: 'linear' },
      ],
    },
    training: {
      runs: 2,
      optimizer: 'sgd',
      batchSize: 4,
      learningRate: 0.05,
      epochs: 60,
      stopAt: { gradientNorm: 1e-9 },
    },
    analysis: { tolerance: { gradient: 1e-6, eigenvalue: 1e-6 }, equivalence: true },
  },
};

/** Files next to the specs: data, and the kinds of path a hostile file may name. */
export const DATA_FILES = {
  'data.csv': 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.5,0.5,1\n',
  'empty.csv': '',
  'header-only.csv': 'x1,x2,y\n',
  'text.csv': 'x1,x2,y\na,b,c\n',
  'quoted.csv': 'x1,x2,y\n"1,"2",3\n',
};

/** Names a mutated `csv` or other string may take: real files, folders, devices, loops. */
export const HOSTILE_PATHS = [
  'data.csv',
  'empty.csv',
  'header-only.csv',
  'text.csv',
  'quoted.csv',
  'folder',
  'fifo',
  'loop',
  'binary.csv',
  'utf16.csv',
  'missing.csv',
  '/dev/zero',
  '/dev/null',
  '.',
  '',
  '../../../../../../etc/passwd',
  'a'.repeat(5000),
];

/** Writes the data files and the hostile paths into `folder`. */
export function writeDataFiles(folder: string): void {
  for (const [name, text] of Object.entries(DATA_FILES)) writeFileSync(join(folder, name), text);
  mkdirSync(join(folder, 'folder'));
  execFileSync('mkfifo', [join(folder, 'fifo')]);
  symlinkSync('loop', join(folder, 'loop'));
  const binary = Buffer.alloc(4096);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
  writeFileSync(join(folder, 'binary.csv'), binary);
  writeFileSync(
    join(folder, 'utf16.csv'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(DATA_FILES['data.csv'], 'utf16le')]),
  );
}
