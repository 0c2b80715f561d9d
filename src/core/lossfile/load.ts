// From the text of a .loss.json file to a runnable spec and dataset, or to the list of
// problems that stop it: syntax, schema, then checks the schema cannot express (shapes,
// CSV columns, targets that fit the loss, names that refer to something, sizes that fit
// in memory). Pure: files are read through the callback the caller provides.
import { generatorShape } from '../data/generators';
import type { Dataset } from '../data/dataset';
import type { ResolvedSpec } from '../vocabulary';
import type { Problem } from '../../protocol/problems';
import { checkBudget, checkWorkingMemory, DEFAULT_MEMORY_BUDGET } from './budget';
import { checkModel } from './checkModel';
import { checkReferences, checkSliceParameters, parameterLookup } from './checkReferences';
import { checkTraining } from './checkTraining';
import { buildDataset, type ReadBinary, type ReadFile } from './loadData';
import { parseJson } from './parseJson';
import { resolvePoints } from './points';
import { resolveSpec } from './resolve';
import { checkAgainstSchema } from './schemaCheck';
import { describeModuleFor, workerDataNeedsModule } from './checkModule';
import type { DescribeModule } from '../model/module';

export interface LoadOptions {
  /** File name for messages and the default title. */
  fileName: string;
  readFile?: ReadFile;
  /** Reads weight files (points' "weights"); without it, such points are an error. */
  readBinary?: ReadBinary;
  /**
   * Loads a PyTorch module and says what it is (the engine's worker). Without it (the editor,
   * validating as the user types, runs no Python), a PyTorch file is checked up to its module.
   */
  describeModule?: DescribeModule;
  /** Memory this tool allows itself, in bytes (default 4 GiB). */
  memoryBudget?: number;
  /** Exact-Hessian limit when the file sets none (the editor's setting; default 1000). */
  exactLimit?: number;
  /**
   * Only the problems are wanted (the editor, on every edit): a generated dataset is built
   * from its first VALIDATION_SAMPLES samples, enough to check its targets (two-class sets
   * alternate their labels), while its size checks use the full count.
   */
  validateOnly?: boolean;
}

/** Samples of a generated dataset built when only validating. */
export const VALIDATION_SAMPLES = 256;

export interface LoadedSpec {
  spec?: ResolvedSpec;
  dataset?: Dataset;
  problems: Problem[];
}

export function loadSpec(text: string, options: LoadOptions): LoadedSpec {
  const parsed = parseJson(text);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const { value, locator } = parsed;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problems: [
        locator.problemAt(
          [],
          'a .loss.json file must be a JSON object with at least "data" and "model"',
        ),
      ],
    };
  }
  const schemaProblems = checkAgainstSchema(value, locator);
  if (schemaProblems.length > 0) return { problems: schemaProblems };

  const problems: Problem[] = [];
  const { rawPoints, ...resolved } = resolveSpec(value, options.fileName, options.exactLimit);
  const budget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
  let dataSpec = resolved.data;
  if (dataSpec.kind === 'generator') {
    // Refuse before allocating: a generator's size is known up front.
    const shape = generatorShape(dataSpec);
    checkWorkingMemory(resolved, shape.samples, budget, locator, problems);
    if (problems.length > 0) return { problems };
    if (options.validateOnly && shape.samples > VALIDATION_SAMPLES)
      dataSpec = { ...dataSpec, samples: VALIDATION_SAMPLES };
  }
  const built = buildDataset(dataSpec, locator, options.readFile, problems);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  let dataset = built;
  const model = resolved.model;
  if (model.kind === 'pytorch') {
    // The worker loads the module (and the data only it reads) and says what they are.
    if (!options.describeModule) return { problems };
    const request = { ...resolved, model };
    const described = describeModuleFor(request, built ?? null, options.describeModule, locator);
    if (!described.ok) return { problems: [...problems, described.problem] };
    resolved.model = { ...model, module: described.module };
    dataset = described.dataset;
  } else if (resolved.data.kind === 'npz' || resolved.data.kind === 'pytorch') {
    problems.push(workerDataNeedsModule(resolved.data.kind, locator));
    return { problems };
  }
  if (!dataset) return { problems };
  const samples =
    resolved.data.kind === 'generator' ? generatorShape(resolved.data).samples : dataset.samples;

  const parameterCount = checkModel(resolved.model, resolved.loss, dataset, locator, problems);
  if (parameterCount === undefined) return { problems };
  const points = resolvePoints(
    options.readBinary,
    rawPoints,
    resolved.model,
    dataset.inputDim,
    parameterCount,
    locator,
    problems,
  );
  const spec: ResolvedSpec = { ...resolved, points };
  if (spec.training.runs === 0 && spec.points.length === 0 && spec.analysis.search.starts === 0) {
    problems.push(
      locator.problemAt(
        [],
        'the file trains no runs ("training.runs": 0), names no points and searches nothing: there is nothing to analyze',
        {
          severity: 'warning',
        },
      ),
    );
  }
  checkTraining(spec, (value as { training?: object }).training ?? {}, samples, locator, problems);
  checkReferences(spec, locator, problems);
  checkSliceParameters(spec, parameterLookup(spec, dataset.inputDim), locator, problems);
  checkBudget(spec, { samples, parameterCount }, budget, locator, problems);
  if (options.validateOnly || problems.some((p) => p.severity === 'error')) return { problems };
  return { spec, dataset, problems };
}

/**
 * The files a spec reads besides itself (relative to it), in the order loadSpec reads them:
 * what its hash covers. Tolerant of any JSON: only what would be read is listed.
 */
export function filesNamedBy(value: unknown): Array<{ path: string; binary: boolean }> {
  const spec = value as {
    data?: { csv?: unknown; npz?: unknown; pytorch?: { file?: unknown } };
    model?: { pytorch?: { file?: unknown } };
    loss?: { file?: unknown };
    points?: unknown;
  } | null;
  const csv = spec?.data?.csv;
  const points = Array.isArray(spec?.points) ? spec.points : [];
  // A PyTorch model's files, in the order the engine's worker reads them (after the CSV).
  const modelFile = spec?.model?.pytorch?.file;
  const lossFile = spec?.loss?.file !== modelFile ? spec?.loss?.file : undefined;
  const python = [modelFile, lossFile, spec?.data?.npz, spec?.data?.pytorch?.file];
  const pythonFiles = spec?.model?.pytorch ? python.filter((f) => typeof f === 'string') : [];
  return [
    ...(typeof csv === 'string' ? [{ path: csv, binary: false }] : []),
    ...pythonFiles.map((path) => ({ path: path as string, binary: true })),
    ...points.flatMap((point: { weights?: unknown } | null) =>
      typeof point?.weights === 'string' ? [{ path: point.weights, binary: true }] : [],
    ),
  ];
}
