// Checks that every id a file uses names something (runs, points, saddles of paths), that
// the parameters slices name exist, with the curvature asked only where a dense Hessian fits,
// and each plane entry as its kind reads it.
import { PLANE_DIRECTION_DEFINITIONS, type PlaneCheckContext } from '../analysis/planes';
import { MlpArchitecture } from '../model/architecture';
import type { PlaneSpec, ResolvedSpec } from '../vocabulary';
import { PLANE_DIRECTIONS } from '../../protocol/result';
import { parseId } from '../../protocol/ids';
import { formatJsonPath, type JsonPath, type Problem } from '../../protocol/problems';
import { orList, plural } from '../../protocol/wording';
import type { SourceLocator } from './locate';
export function checkReferences(
  spec: ResolvedSpec,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const names = new Set(spec.points.map((p) => p.name));
  const check = (id: string | null, path: (string | number)[]) => {
    if (id === null) return;
    const ref = parseId(id);
    if (ref?.kind === 'run' && ref.index >= spec.training.runs) {
      problems.push(
        locator.problemAt(
          path,
          `${path.join('.')}: '${id}' does not exist: ${trainedRuns(spec.training.runs)}`,
        ),
      );
    }
    if (ref?.kind === 'point' && !names.has(ref.name)) {
      problems.push(
        locator.problemAt(
          path,
          `${path.join('.')}: there is no point named '${ref.name}'${pointList(spec)}`,
        ),
      );
    }
  };
  if (Array.isArray(spec.analysis.paths)) {
    spec.analysis.paths.forEach((pair, i) => {
      check(pair.from, ['analysis', 'paths', i, 'from']);
      check(pair.to, ['analysis', 'paths', i, 'to']);
    });
  }
  spec.analysis.slices.forEach((slice, i) => {
    const base = ['analysis', 'slices', i];
    if (slice.type === 'line') {
      check(slice.from, [...base, 'from']);
      check(slice.to, [...base, 'to']);
      return;
    }
    check(slice.center, [...base, 'center']);
    if (slice.type === 'plane')
      slice.through?.forEach((id, k) => check(id, [...base, 'through', k]));
  });
}

/**
 * A plane entry as its kind reads it: the keys of other kinds are a warning (they do
 * nothing), then the kind's own checks (PLANE_DIRECTION_DEFINITIONS).
 */
function checkPlane(
  slice: PlaneSpec,
  index: number,
  file: PlaneCheckContext,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const base = ['analysis', 'slices', index];
  const kind = PLANE_DIRECTION_DEFINITIONS[slice.directions];
  for (const key of ['through', 'axes', 'range'] as const) {
    if (slice[key] === null || kind.keys.includes(key)) continue;
    const users = PLANE_DIRECTIONS.filter((name) =>
      PLANE_DIRECTION_DEFINITIONS[name].keys.includes(key),
    );
    problems.push(
      locator.problemAt(
        [...base, key],
        `analysis.slices[${index}]: "${key}" is only used with directions ${orList(users.map((name) => `"${name}"`))}`,
        { severity: 'warning' },
      ),
    );
  }
  for (const problem of kind.check(slice, file))
    problems.push(
      locator.problemAt(
        [...base, ...problem.path],
        `analysis.slices[${index}]: ${problem.message}`,
      ),
    );
}

interface ParameterLookup {
  count: number;
  has(name: string): boolean;
  /** A few names, for messages. */
  some: string;
}

/** Whether the model has a parameter of a given name, without listing millions of names. */
export function parameterLookup(spec: ResolvedSpec, inputDim: number): ParameterLookup {
  if (spec.model.kind === 'expression') {
    const names = spec.model.parameters;
    return { count: names.length, has: (name) => names.includes(name), some: names.join(', ') };
  }
  if (spec.model.kind === 'pytorch') {
    const names = spec.model.module?.parameterNames ?? [];
    const index = new Set(names);
    return {
      count: names.length,
      has: (name) => index.has(name),
      some: [...names.slice(0, 2), ...(names.length > 2 ? ['…'] : [])].join(', '),
    };
  }
  const architecture = new MlpArchitecture(inputDim, spec.model.layers);
  const first = architecture.layers[0];
  const some = [
    'layer1.weight[0][0]',
    ...(first.inputs > 1 ? ['layer1.weight[0][1]'] : []),
    '…',
    ...(first.biasOffset >= 0 ? ['layer1.bias[0]', '…'] : []),
  ].join(', ');
  return {
    count: architecture.parameterCount,
    has: (name) => architecture.parameterIndex(name) >= 0,
    some,
  };
}

/**
 * The parameters axis slices and parameter planes name exist, a plane names two, and a slice
 * that asks for its curvature has a model small enough for dense Hessians.
 */
export function checkSliceParameters(
  spec: ResolvedSpec,
  lookup: ParameterLookup,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const listed = lookup.some;
  const file: PlaneCheckContext = {
    runs: spec.training.runs,
    points: spec.points.length,
    isPoint: (id) => parseId(id)?.kind === 'point',
    parameters: lookup.count,
  };
  spec.analysis.slices.forEach((slice, i) => {
    const base = ['analysis', 'slices', i];
    const named: [string, JsonPath][] =
      slice.type === 'axis' && slice.parameter !== null
        ? [[slice.parameter, [...base, 'parameter']]]
        : slice.type === 'plane' &&
            PLANE_DIRECTION_DEFINITIONS[slice.directions].keys.includes('axes') &&
            slice.axes
          ? slice.axes.map((name, k): [string, JsonPath] => [name, [...base, 'axes', k]])
          : [];
    for (const [name, path] of named)
      if (!lookup.has(name))
        problems.push(
          locator.problemAt(
            path,
            `${formatJsonPath(path)}: the model has no parameter '${name}' (it has ${listed})`,
          ),
        );
    if (slice.curvature && lookup.count > spec.analysis.exactLimit)
      problems.push(
        locator.problemAt(
          [...base, 'curvature'],
          `analysis.slices[${i}].curvature needs the dense Hessian at every grid point, and the model has ${plural(lookup.count, 'parameter')}, more than analysis.exactLimit (${spec.analysis.exactLimit}): leave it out, or raise the limit`,
        ),
      );
    if (slice.type === 'plane') checkPlane(slice, i, file, locator, problems);
  });
}

export function pointList(spec: ResolvedSpec): string {
  return spec.points.length > 0
    ? ` (points: ${spec.points.map((p) => p.name).join(', ')})`
    : ' (the file defines no points)';
}

/** "the file trains 3 runs (run-0 … run-2)", or no runs at all. */
function trainedRuns(runs: number): string {
  if (runs === 0) return 'the file trains no runs ("training.runs": 0)';
  if (runs === 1) return 'the file trains 1 run (run-0)';
  return `the file trains ${runs} runs (run-0 … run-${runs - 1})`;
}
