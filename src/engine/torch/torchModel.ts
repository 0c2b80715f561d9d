// A file's PyTorch model in the engine: the interpreter found, one worker process loaded with
// the module and the data (the loader's DescribeModule), and the same worker behind every
// job of the analysis (jobs run in-process for such a model: PyTorch uses the cores itself).
import { dirname, resolve } from 'node:path';
import type { Dataset } from '../../core/data/dataset';
import type { DescribeModule, ModuleFailed } from '../../core/model/module';
import { LOSSES } from '../../core/model/losses';
import { mlpArchitectureOf } from '../../core/model/module';
import { withWeightDecay } from '../../core/model/objective';
import type { ModelContext } from '../../core/model/build';
import type { DataSpec, ModuleShape, ResolvedSpec } from '../../core/vocabulary';
import { TorchError } from './bridge';
import {
  atLeast,
  findInterpreter,
  InterpreterError,
  locateInterpreter,
  type InterpreterSources,
} from './interpreter';
import { TorchObjective, type TorchData } from './torchObjective';

/** Where the analysis finds Python, and how many threads PyTorch may use. */
export interface TorchOptions extends InterpreterSources {
  threads?: number;
}

/** The worker loaded for each spec file this process analyzes, by the spec's path … */
const open = new Map<string, TorchObjective>();
/** … and by the module it described, which the resolved spec carries to the jobs. */
const byModule = new WeakMap<ModuleShape, TorchObjective>();

/**
 * The loader's DescribeModule for the spec at `specPath`: finds the interpreter, starts a
 * worker and loads the module on the data into it. The worker stays open for the jobs.
 */
export function moduleDescriber(
  specPath: string,
  options: TorchOptions,
  /** Reads a file the worker will run or read, so that the result's hash covers it. */
  hashFile: (relativePath: string) => unknown = () => undefined,
): DescribeModule {
  const folder = dirname(specPath);
  return ({ model, data, dataset, loss, lossFunction }) => {
    closeTorchModel(specPath);
    hashFile(model.file);
    if (lossFunction && lossFunction.file !== model.file) hashFile(lossFunction.file);
    if (data.kind === 'npz') hashFile(data.npz);
    if (data.kind === 'pytorch') hashFile(data.file);
    let python: string;
    try {
      python = locateInterpreter(options).python;
    } catch (error) {
      if (error instanceof InterpreterError)
        return { ok: false, about: 'worker', message: error.message };
      throw error;
    }
    // torch is imported once, by the worker; only when the worker cannot start (or its torch
    // is too old) does the interpreter's probe run, to say why and what to do.
    try {
      const objective = TorchObjective.open(python, {
        file: resolve(folder, model.file),
        build: model.build,
        args: model.args,
        loss,
        ...(lossFunction
          ? { lossFile: resolve(folder, lossFunction.file), lossFunction: lossFunction.name }
          : {}),
        data: torchData(data, dataset, folder),
        threads: options.threads,
        dtype: model.dtype,
        device: model.device,
      });
      if (!atLeast(objective.torchVersion, [1, 13])) {
        objective.close();
        return interpreterProblem(options) ?? failure(new TorchError('torch is older than 1.13'));
      }
      open.set(specPath, objective);
      const { module } = objective.description;
      byModule.set(module, objective);
      return { ok: true, module, dataset: datasetSeenByModule(dataset, objective) };
    } catch (error) {
      if (!(error instanceof TorchError)) throw error;
      return (error.about === 'worker' && interpreterProblem(options)) || failure(error);
    }
  };
}

/** Why the interpreter cannot run a worker, in the probe's words; null when it can. */
function interpreterProblem(options: TorchOptions): ModuleFailed | null {
  try {
    findInterpreter(options);
    return null;
  } catch (error) {
    if (error instanceof InterpreterError)
      return { ok: false, about: 'worker', message: error.message };
    throw error;
  }
}

function failure(error: TorchError): ModuleFailed {
  const message =
    error.about === 'worker'
      ? `the PyTorch worker stopped: ${error.message}`
      : error.about === 'memory'
        ? `${error.message}: use a smaller model or dataset, or fewer rows per chunk`
        : error.message;
  return {
    ok: false,
    about: error.about,
    message,
    ...(error.detail ? { detail: error.detail } : {}),
  };
}

/** The data as the worker gets it: the engine's rows, or the source only the worker reads. */
function torchData(data: DataSpec, dataset: Dataset | null, folder: string): TorchData {
  if (data.kind === 'npz')
    return { npz: resolve(folder, data.npz), inputs: data.inputs, targets: data.targets };
  if (data.kind === 'pytorch') return { file: resolve(folder, data.file), load: data.load };
  if (!dataset) throw new Error('the engine reads this data itself');
  return {
    inputs: dataset.inputs,
    inputShape: [dataset.samples, dataset.inputDim],
    targets: dataset.targets,
    targetShape: [dataset.samples, dataset.targetDim],
  };
}

/** The dataset with the targets the module's loss reads (class indices made one-hot). */
function datasetSeenByModule(dataset: Dataset | null, objective: TorchObjective): Dataset {
  const { module, samples, targetDim, targets, inputs } = objective.description;
  const inputDim = module.inputShape.reduce((n, size) => n * size, 1);
  const names = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  return {
    ...(dataset ?? {
      inputs: inputs ?? new Float64Array(samples * inputDim),
      inputNames: names('x', inputDim),
    }),
    samples,
    inputDim,
    targetDim,
    targets,
    targetNames: dataset?.targetDim === targetDim ? dataset.targetNames : names('y', targetDim),
  };
}

/** The model context of a PyTorch spec, on the worker its load opened. */
export function torchModelContext(spec: ResolvedSpec, dataset: Dataset): ModelContext {
  const objective = torchObjectiveOf(spec);
  // A Python loss: no known least value; its unit is its value for all-zero outputs, as the
  // engine's losses' units are.
  const loss = spec.loss === 'pytorch' ? null : LOSSES[spec.loss];
  return {
    objective: withWeightDecay(objective, spec.weightDecay),
    architecture: mlpArchitectureOf(spec.model, dataset.inputDim),
    lossLowerBound: spec.weightDecay === 0 && loss ? loss.lowerBound : null,
    lossScale: loss ? loss.unit(dataset) : (objective.description.lossUnit ?? 1),
    weightDecay: spec.weightDecay,
    dataset,
    precision: spec.model.kind === 'pytorch' ? spec.model.dtype : undefined,
  };
}

/** The worker that loaded this spec's module. */
export function torchObjectiveOf(spec: ResolvedSpec): TorchObjective {
  const module = spec.model.kind === 'pytorch' ? spec.model.module : null;
  const objective = module ? byModule.get(module) : undefined;
  if (!objective) throw new Error('no PyTorch worker is open for this spec');
  return objective;
}

/** Ends the worker of this spec, if one is open. */
export function closeTorchModel(specPath: string): void {
  open.get(specPath)?.close();
  open.delete(specPath);
}
