// A PyTorch model in the loader: the engine's worker loads the module on the data and says
// what it is (or why it could not), and its failures become problems at the key they are
// about, with the user's traceback as their detail.
import type { Dataset } from '../data/dataset';
import type { DescribeModule, ModuleFailed } from '../model/module';
import type { DataSpec, ModuleShape, PytorchModelSpec, ResolvedSpec } from '../vocabulary';
import type { Problem } from '../../protocol/problems';
import type { SourceLocator } from './locate';

export function describeModuleFor(
  resolved: Pick<ResolvedSpec, 'data' | 'loss' | 'lossFunction'> & { model: PytorchModelSpec },
  dataset: Dataset | null,
  describe: DescribeModule,
  locator: SourceLocator,
): { ok: true; module: ModuleShape; dataset: Dataset } | { ok: false; problem: Problem } {
  const described = describe({
    model: resolved.model,
    data: resolved.data,
    dataset,
    loss: resolved.loss,
    lossFunction: resolved.lossFunction,
  });
  if (described.ok) return described;
  const { path, what } = blamed(described.about, resolved);
  const problem = locator.problemAt(path, `${what}: ${described.message}`);
  return {
    ok: false,
    problem: described.detail ? { ...problem, detail: described.detail } : problem,
  };
}

/** The key a worker's failure is about, and how the message names it. */
function blamed(
  about: ModuleFailed['about'],
  resolved: Pick<ResolvedSpec, 'data' | 'lossFunction'> & { model: PytorchModelSpec },
): { path: string[]; what: string } {
  const { model, lossFunction } = resolved;
  switch (about) {
    case 'data':
      return { path: ['data', ...workerDataKey(resolved.data)], what: 'data' };
    case 'model':
      return {
        path: ['model', 'pytorch'],
        what: `model.pytorch (${model.file}, ${model.build}())`,
      };
    case 'loss':
      return lossFunction
        ? {
            path: ['loss', 'pytorch'],
            what: `loss.pytorch (${lossFunction.file}, ${lossFunction.name}())`,
          }
        : { path: ['loss'], what: 'loss' };
    case 'memory':
    case 'worker':
      return { path: ['model'], what: 'model.pytorch' };
  }
}

/** The key of a data source the worker reads, to point at. */
function workerDataKey(data: DataSpec): string[] {
  return data.kind === 'npz' ? ['npz'] : data.kind === 'pytorch' ? ['pytorch'] : [];
}

export function workerDataNeedsModule(kind: 'npz' | 'pytorch', locator: SourceLocator): Problem {
  const source = kind === 'npz' ? 'an .npz archive' : 'a Python data function';
  return locator.problemAt(
    ['data', kind],
    `data.${kind}: ${source} is read by PyTorch, so it needs a PyTorch model ("model": {"pytorch": {"file": …, "build": …}}); give a declared model its data as "csv", inline rows or a generator`,
  );
}
