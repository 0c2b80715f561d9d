// Checks that every id a file uses names something (runs, points, saddles of paths) and that
// the parameters slices name exist, with the curvature asked only where a dense Hessian fits.
import { MlpArchitecture } from '../model/architecture';
import type { ResolvedSpec } from '../vocabulary';
import { parseId } from '../../protocol/ids';
import { formatJsonPath, type JsonPath, type Problem } from '../../protocol/problems';
import { plural } from '../../protocol/wording';
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
          `${path.join('.')}: '${id}' does not exist: the file trains ${spec.training.runs} run${spec.training.runs === 1 ? '' : 's'} (run-0 … run-${spec.training.runs - 1})`,
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
    if (slice.type === 'axis') return;
    if (slice.directions !== 'parameters' && (slice.axes || slice.range)) {
      problems.push(
        locator.problemAt(
          [...base, slice.axes ? 'axes' : 'range'],
          `analysis.slices[${i}]: "${slice.axes ? 'axes' : 'range'}" is only used with directions "parameters"`,
          { severity: 'warning' },
        ),
      );
    }
    slice.through?.forEach((id, k) => check(id, [...base, 'through', k]));
    if (slice.directions === 'points' && !slice.through) {
      problems.push(
        locator.problemAt(
          base,
          `analysis.slices[${i}]: directions "points" needs "through": two or three runs or points`,
        ),
      );
    }
    if (slice.directions !== 'points' && slice.through) {
      problems.push(
        locator.problemAt(
          [...base, 'through'],
          `analysis.slices[${i}]: "through" is only used with directions "points"`,
          { severity: 'warning' },
        ),
      );
    }
    if (
      slice.directions === 'trajectory' &&
      slice.center &&
      parseId(slice.center)?.kind === 'point'
    ) {
      problems.push(
        locator.problemAt(
          [...base, 'center'],
          `analysis.slices[${i}]: a trajectory plane needs a trained run as center (named points have no optimizer path)`,
        ),
      );
    }
    if (
      slice.directions !== 'points' &&
      slice.center === null &&
      spec.training.runs === 0 &&
      spec.points.length === 0
    ) {
      problems.push(
        locator.problemAt(
          base,
          `analysis.slices[${i}]: the plane needs a "center", and there is no run or point to default to`,
        ),
      );
    }
  });
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
  spec.analysis.slices.forEach((slice, i) => {
    const base = ['analysis', 'slices', i];
    const named: [string, JsonPath][] =
      slice.type === 'axis' && slice.parameter !== null
        ? [[slice.parameter, [...base, 'parameter']]]
        : slice.type === 'plane' && slice.directions === 'parameters' && slice.axes
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
    if (slice.type === 'plane' && slice.directions === 'parameters') {
      if (lookup.count < 2)
        problems.push(
          locator.problemAt(
            base,
            `analysis.slices[${i}]: a parameter plane needs two parameters, and the model has one: use {"type": "axis"}`,
          ),
        );
      else if (slice.axes && slice.axes[0] === slice.axes[1])
        problems.push(
          locator.problemAt(
            [...base, 'axes'],
            `analysis.slices[${i}].axes: the two axes are the same parameter, '${slice.axes[0]}'`,
          ),
        );
    }
  });
}

export function pointList(spec: ResolvedSpec): string {
  return spec.points.length > 0
    ? ` (points: ${spec.points.map((p) => p.name).join(', ')})`
    : ' (the file defines no points)';
}
