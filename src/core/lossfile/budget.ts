// What a file asks of the machine, estimated before anything is allocated: the working
// memory of one model, the dense Hessian, what the engine keeps of every run, point and
// slice, the size of the result file, and the arithmetic. A file that asks for more than
// fits is refused with the numbers, at the key that asks for most, instead of running
// until the process runs out of memory.
import type { SourceLocator } from './locate';
import { formatJsonPath, type JsonPath, type Problem } from '../../protocol/problems';
import type { ResolvedSpec } from '../vocabulary';
import { PLANE_DIRECTION_DEFINITIONS } from '../analysis/planes';

/** Memory the engine allows itself by default (bytes). */
export const DEFAULT_MEMORY_BUDGET = 4 * 1024 ** 3;
/** The largest result file written: JSON text, and V8 strings end at 512 MiB. */
export const RESULT_FILE_BUDGET = 256 * 1024 ** 2;
/** Floating-point operations one file may ask for: days of computing on a laptop. */
export const OPERATION_BUDGET = 1e16;

/** Bytes per number in the result file (17 significant digits, indentation, separators). */
const JSON_BYTES_PER_NUMBER = 28;
/** A loss curve keeps at most about 2·500 + 2 points of (epoch, loss). */
const CURVE_NUMBERS = 2 * 1002;
/** Extreme eigenvalues kept when the spectrum is not computed in full. */
const LANCZOS_EIGENVALUES = 20;
/** Images of the string between two minima, and a typical number of its iterations. */
const PATH_IMAGES = 33;
const PATH_ITERATIONS = 3000;
/** Newton-MR: typical iterations, each up to min(P, 500) Hessian-vector products. */
const REFINE_ITERATIONS = 20;

export interface SizeOfProblem {
  samples: number;
  parameterCount: number;
}

/**
 * One thing the file asks for: `count` items (runs, search starts, …) set at `path`, each
 * keeping `numbersEach` numbers and costing `operationsEach` operations.
 */
interface Demand {
  path: JsonPath;
  count: number;
  /** Singular and plural. */
  noun: [string, string];
  /** What one item keeps, for the message: "its 9 parameters, 9 eigenvalues and a loss curve". */
  keeps: string;
  numbersEach: number;
  operationsEach: number;
}

/** Every budget check: working memory, dense Hessian, what is kept, the result, the work. */
export function checkBudget(
  spec: ResolvedSpec,
  size: SizeOfProblem,
  budget: number,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const before = problems.length;
  checkWorkingMemory(spec, size.samples, budget, locator, problems);
  checkHessianMemory(spec, size.parameterCount, budget, locator, problems);
  if (problems.length > before) return;
  const demands = demandsOf(spec, size);
  const asked = describeSize(spec, size);
  // What is kept must fit in memory (8 bytes a number) and in the result file (as JSON text).
  const numbers = total(demands, (d) => d.numbersEach);
  const numberBudget = Math.min(budget / 8, RESULT_FILE_BUDGET / JSON_BYTES_PER_NUMBER);
  if (numbers > numberBudget) {
    const { demand, fit } = largestAndWhatFits(demands, (d) => d.numbersEach, numberBudget);
    problems.push(
      locator.problemAt(
        demand.path,
        `${formatJsonPath(demand.path)}: ${asked} would keep about ${count(numbers)} numbers: ${bytes(numbers * 8)} in memory and a result file of ${bytes(numbers * JSON_BYTES_PER_NUMBER)}, where this tool allows ${bytes(budget)} and ${bytes(RESULT_FILE_BUDGET)}. Each of the ${counted(demand.count, demand.noun)} keeps ${demand.keeps}; at most ${counted(fit, demand.noun)} fit`,
      ),
    );
  }
  const operations = total(demands, (d) => d.operationsEach);
  if (operations > OPERATION_BUDGET) {
    const { demand, fit } = largestAndWhatFits(demands, (d) => d.operationsEach, OPERATION_BUDGET);
    problems.push(
      locator.problemAt(
        demand.path,
        `${formatJsonPath(demand.path)}: ${asked} is about ${operations.toExponential(1)} floating-point operations, more than the ${OPERATION_BUDGET.toExponential(0)} (days of computing) this tool accepts in one file; at most ${counted(fit, demand.noun)} fit`,
      ),
    );
  }
}

/** What a valid file will keep (numbers) and compute (floating-point operations), roughly. */
export function estimateDemand(
  spec: ResolvedSpec,
  size: SizeOfProblem,
): { numbers: number; operations: number } {
  const demands = demandsOf(spec, size);
  return {
    numbers: total(demands, (d) => d.numbersEach),
    operations: total(demands, (d) => d.operationsEach),
  };
}

function total(demands: Demand[], each: (d: Demand) => number): number {
  return demands.reduce((sum, d) => sum + d.count * each(d), 0);
}

/** The demand that asks for most, and how many of its items fit beside all the others. */
function largestAndWhatFits(
  demands: Demand[],
  each: (d: Demand) => number,
  budget: number,
): { demand: Demand; fit: number } {
  const demand = demands.reduce((a, b) => (b.count * each(b) > a.count * each(a) ? b : a));
  const others = total(demands, each) - demand.count * each(demand);
  const fit = Math.max(0, Math.floor((budget - others) / each(demand)));
  return { demand, fit: Math.min(fit, demand.count) };
}

function describeSize(spec: ResolvedSpec, { samples, parameterCount }: SizeOfProblem): string {
  const { runs, epochs } = spec.training;
  return [
    [runs, 'run'],
    [epochs, 'epoch'],
    [samples, 'sample'],
    [parameterCount, 'parameter'],
  ]
    .map(([n, noun]) => counted(n as number, [noun as string, `${noun as string}s`]))
    .join(' × ');
}

/** What each part of the file keeps (numbers) and computes (operations). */
function demandsOf(spec: ResolvedSpec, { samples, parameterCount: p }: SizeOfProblem): Demand[] {
  const { training, analysis } = spec;
  const gradient = 6 * samples * p + 10 * p; // forward, backward, optimizer step
  const hvp = 2 * gradient;
  const dense =
    analysis.hessian === 'exact' || (analysis.hessian === 'auto' && p <= analysis.exactLimit);
  const eigenvalues = analysis.hessian === 'off' ? 0 : dense ? p : Math.min(p, LANCZOS_EIGENVALUES);
  // A verdict: the Hessian (P products and an O(P³) eigensolver) or about a hundred products.
  const verdict = analysis.hessian === 'off' ? gradient : dense ? p * hvp + 4 * p ** 3 : 100 * hvp;
  const refine = REFINE_ITERATIONS * Math.min(p, 500) * hvp;
  // The spectral density: probes × steps products, each step reorthogonalized against the rest.
  const steps = analysis.density ? Math.min(p, analysis.density.iterations) : 0;
  const density = analysis.density ? analysis.density.probes * steps * (hvp + 4 * steps * p) : 0;
  const point = `its ${count(p)} parameters${eigenvalues ? ` and ${count(eigenvalues)} eigenvalues` : ''}`;
  const path = {
    keeps: `${point} of its saddle and the losses of ${PATH_IMAGES} images`,
    numbers: p + eigenvalues + PATH_IMAGES,
    operations: PATH_IMAGES * PATH_ITERATIONS * gradient + refine + verdict,
  };
  // Twins are joined within classes: at most one path per two runs, charged to the runs.
  const twinPaths = analysis.paths === 'twins' ? 0.5 : 0;
  // Continuation's smoothed stages take a gradient at each of its perturbations: Gauss–Hermite
  // nodes (20, or 400 for two parameters) or 16 random ones.
  const continuation = training.continuation;
  const perturbations = continuation ? (p === 1 ? 20 : p === 2 ? 400 : 16) : 1;
  const smoothedShare = continuation ? continuation.steps / (continuation.steps + 1) : 0;
  const gradientsPerEpoch = 1 + smoothedShare * perturbations;
  const trainingEach = training.epochs * gradient * gradientsPerEpoch;
  const judgingEach =
    verdict + density + (analysis.refine ? refine : 0) + twinPaths * path.operations;
  const demands: Demand[] = [];
  // Training is charged to the epochs when it costs more than judging the run.
  const epochsDominate = trainingEach > judgingEach && training.runs > 0;
  if (epochsDominate)
    demands.push({
      path: ['training', 'epochs'],
      count: training.epochs,
      noun: ['epoch', 'epochs'],
      keeps: 'nothing',
      numbersEach: 0,
      operationsEach: training.runs * gradient * gradientsPerEpoch,
    });
  demands.push(
    {
      path: ['training', 'runs'],
      count: training.runs,
      noun: ['run', 'runs'],
      keeps: `${eigenvalues ? point.replace(' and', ',') : point} and a loss curve of up to ${count(CURVE_NUMBERS / 2)} points`,
      numbersEach: p + eigenvalues + CURVE_NUMBERS + twinPaths * path.numbers,
      operationsEach: judgingEach + (epochsDominate ? 0 : trainingEach),
    },
    {
      path: ['points'],
      count: spec.points.length,
      noun: ['point', 'points'],
      keeps: point,
      numbersEach: p + eigenvalues,
      operationsEach: verdict + density,
    },
    {
      path: ['analysis', 'search', 'starts'],
      count: analysis.search.starts,
      noun: ['search start', 'search starts'],
      keeps: point,
      numbersEach: p + eigenvalues,
      operationsEach: refine + verdict,
    },
    {
      path: ['analysis', 'paths'],
      count: Array.isArray(analysis.paths) ? analysis.paths.length : 0,
      noun: ['path', 'paths'],
      keeps: path.keeps,
      numbersEach: path.numbers,
      operationsEach: path.operations,
    },
  );
  analysis.slices.forEach((slice, i) => {
    const cells = slice.type === 'plane' ? slice.resolution ** 2 : slice.steps;
    // A plane may keep snapshots of θ along its centre's training (a trajectory's path).
    const snapshots =
      slice.type === 'plane' ? PLANE_DIRECTION_DEFINITIONS[slice.directions].centerSnapshots : 0;
    demands.push({
      path: ['analysis', 'slices', i],
      count: cells,
      noun: [`grid point of slice ${i}`, `grid points of slice ${i}`],
      keeps: 'its loss',
      numbersEach: 1 + ((3 + snapshots) * p) / cells + 2 * (slice.smoothing?.length ?? 0),
      operationsEach:
        2 * samples * p +
        2 * p +
        (slice.type === 'plane' ? verdict / cells : 0) +
        // λmin at every grid point: a dense Hessian and its eigenvalues.
        (slice.curvature ? 6 * samples * p * p + (4 * p * p * p) / 3 : 0) +
        // Each σ of a smoothing: 128 losses (Monte Carlo), or for one or two parameters the
        // quadrature's nodes (24² with their derivatives along a line, 20² + 24² on a plane).
        (slice.smoothing
          ? slice.smoothing.length *
            (p > 2
              ? 128 * 2 * samples * p
              : slice.type === 'plane'
                ? 976 * 2 * samples * p
                : 24 * 24 * 6 * samples)
          : 0) +
        // A Monte Carlo plane's search for critical points, over the whole plane: about 20
        // starts of 10 steps of 128 gradients, and 128 gradients and 2 Hessian-vector
        // products at each point found.
        (slice.type === 'plane' && slice.smoothing && p > 2
          ? (slice.smoothing.length * 20 * (10 + 5) * 128 * 6 * samples * p) / cells
          : 0),
    });
  });
  return demands;
}

/** Also checked on its own before a generated dataset is generated (its size is known). */
export function checkWorkingMemory(
  spec: Pick<ResolvedSpec, 'model' | 'data'>,
  samples: number,
  budget: number,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const layers = spec.model.kind === 'mlp' ? spec.model.layers : [];
  const units = layers.reduce((s, l) => s + l.units, 0) || 1;
  // Nine per-layer buffers of samples × units (values, derivatives, backprop, R-pass), one
  // more per layer when some layer has a skip or a norm (R{dL/da} kept apart), one more for a
  // residual layer's act(z), six more for a norm's u, x̂, dL/du and their R's; plus the data
  // itself (at most a few columns more than the widest layer).
  const apart = layers.some((l) => l.residual || l.norm) ? units : 0;
  const extra = layers.reduce((s, l) => s + l.units * ((l.residual ? 1 : 0) + (l.norm ? 6 : 0)), 0);
  const working = 8 * samples * (9 * units + apart + extra + 4);
  if (working > budget) {
    problems.push(
      locator.problemAt(
        spec.data.kind === 'generator' ? ['data', 'samples'] : ['data'],
        `the network's working memory for ${count(samples)} samples × ${count(units)} units is ${bytes(working)}, more than the ${bytes(budget)} this tool allows: use fewer samples or smaller layers`,
      ),
    );
  }
}

function checkHessianMemory(
  spec: ResolvedSpec,
  parameterCount: number,
  budget: number,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const mode = spec.analysis.hessian;
  const dense = mode === 'exact' || (mode === 'auto' && parameterCount <= spec.analysis.exactLimit);
  // The Hessian, its symmetric copy and the eigenvectors: three P × P matrices.
  const hessian = 8 * 3 * parameterCount * parameterCount;
  if (dense && hessian > budget) {
    problems.push(
      locator.problemAt(
        ['analysis', 'hessian'],
        `analysis.hessian: the dense Hessian of ${count(parameterCount)} parameters needs ${bytes(hessian)}, more than the ${bytes(budget)} this tool allows: use "lanczos" (extreme eigenvalues) or "off"`,
      ),
    );
  }
}

/** "1 run", "4,682 runs", "4.1e+12 epochs". */
function counted(n: number, [singular, plural]: [string, string]): string {
  return `${count(n)} ${n === 1 ? singular : plural}`;
}

function count(n: number): string {
  return n < 1e12 ? n.toLocaleString('en-US') : n.toExponential(1);
}

function bytes(n: number): string {
  if (n >= 1024 ** 4) return `${(n / 1024 ** 4).toPrecision(3)} TiB`;
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
