// Checks of `training` beyond the schema: the batch the optimizer takes, settings of another
// optimizer, initializations an expression model cannot use, and the points runs start from.
import { HYPERPARAMETERS, OPTIMIZERS, type HyperparameterName } from '../optim/optimizers';
import { OPTIMIZER_NAMES, type ResolvedSpec } from '../vocabulary';
import type { Problem } from '../../protocol/problems';
import { orList, plural } from '../../protocol/wording';
import { pointList } from './checkReferences';
import type { SourceLocator } from './locate';

export function checkTraining(
  spec: ResolvedSpec,
  given: object,
  samples: number,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const { training, model } = spec;
  const optimizer = OPTIMIZERS[training.optimizer];
  const continuation = training.continuation;
  if (continuation && training.epochs < continuation.steps + 1)
    problems.push(
      locator.problemAt(
        ['training', 'continuation', 'steps'],
        `training.continuation.steps: ${continuation.steps} smoothed stages and the plain one need at least ${continuation.steps + 1} epochs, and training.epochs is ${training.epochs}`,
      ),
    );
  if (!optimizer.minibatches && training.batchSize !== null) {
    const batched = OPTIMIZER_NAMES.filter((name) => OPTIMIZERS[name].minibatches);
    problems.push(
      locator.problemAt(
        ['training', 'batchSize'],
        `training.batchSize: ${training.optimizer} always uses the full batch; choose ${orList(batched.map((name) => `"${name}"`))} for minibatches`,
      ),
    );
  }
  // A setting of another optimizer is most likely meant for it: say it does nothing here.
  for (const key of Object.keys(HYPERPARAMETERS) as HyperparameterName[]) {
    if (!(key in given) || key in optimizer.defaults) continue;
    const users = OPTIMIZER_NAMES.filter((name) => key in OPTIMIZERS[name].defaults);
    problems.push(
      locator.problemAt(
        ['training', key],
        `training.${key} is a setting of ${orList(users)}: optimizer ${training.optimizer} does not use it`,
        { severity: 'warning' },
      ),
    );
  }
  if (training.batchSize !== null && training.batchSize >= samples) {
    problems.push(
      locator.problemAt(
        ['training', 'batchSize'],
        `training.batchSize ${training.batchSize} is not smaller than the data (${plural(samples, 'sample')}): every step uses the full batch`,
        { severity: 'warning' },
      ),
    );
  }
  if (model.kind !== 'pytorch' && training.init === 'module') {
    problems.push(
      locator.problemAt(
        ['training', 'init'],
        `training.init: "module" is a PyTorch module's own initialization; a declared model starts from "xavier", "he", "normal" or "uniform"`,
      ),
    );
  }
  const byLayers = training.init === 'xavier' || training.init === 'he';
  if (model.kind === 'pytorch' && byLayers && model.module && !model.module.sequential) {
    problems.push(
      locator.problemAt(
        ['training', 'init'],
        `training.init: '${training.init}' is defined by the layer sizes of an MLP, and this module is not one (${model.module.notSequential}); use "module" (its own initialization), "normal" or "uniform"`,
      ),
    );
  }
  if (model.kind === 'expression' && byLayers) {
    problems.push(
      locator.problemAt(
        ['training', 'init'],
        `training.init: '${training.init}' is defined by layer sizes; expression models use "normal" or "uniform"`,
      ),
    );
  }
  const names = new Set(spec.points.map((p) => p.name));
  training.from.forEach((name, i) => {
    if (!names.has(name))
      problems.push(
        locator.problemAt(
          ['training', 'from', i],
          `training.from[${i}]: there is no point named '${name}'${pointList(spec)}`,
        ),
      );
  });
  if (training.from.length > training.runs) {
    problems.push(
      locator.problemAt(
        ['training', 'from'],
        `training.from names ${plural(training.from.length, 'point')} but only ${plural(training.runs, 'run')} ${training.runs === 1 ? 'is' : 'are'} trained; run i starts from from[i]`,
        { severity: 'warning' },
      ),
    );
  }
}
