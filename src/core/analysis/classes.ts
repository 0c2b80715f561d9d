// Groups analyzed runs and points into classes of the same network. For now the relation
// is "identical" (the same parameters within the distance the evidence allows); symmetry
// relations (permutations, signs, rescaling) join here in the equivalence analysis.
import type { Equivalence, ResultClass, VerdictKind } from '../../protocol/result';

export interface Analyzed {
  id: string;
  parameters: Float64Array;
  loss: number;
  gradientNorm: number;
  verdict: VerdictKind;
  /** Smallest |λ| of a nondegenerate spectrum, to bound the distance to the critical point. */
  smallestCurvature: number | null;
}

/** Relative distance below which two points are the same whatever the evidence. */
const SAME_POINT_RELATIVE = 1e-6;

export function groupIdentical(points: Analyzed[]): {
  classes: ResultClass[];
  equivalences: Map<string, Equivalence>;
} {
  const parent = points.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const distances = new Map<string, number>();
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const distance = euclidean(points[i].parameters, points[j].parameters);
      if (distance <= sameTolerance(points[i], points[j])) {
        parent[find(j)] = find(i);
        distances.set(`${i}:${j}`, distance);
      }
    }
  }
  const groups = new Map<number, number[]>();
  points.forEach((_, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  const classes: ResultClass[] = [];
  const equivalences = new Map<string, Equivalence>();
  for (const members of groups.values()) {
    const representative = members[0];
    classes.push({
      representative: points[representative].id,
      members: members.map((m) => points[m].id),
      verdict: points[representative].verdict,
      loss: points[representative].loss,
    });
    for (const member of members.slice(1)) {
      equivalences.set(points[member].id, {
        id: points[representative].id,
        relation: 'identical',
        distance: euclidean(points[member].parameters, points[representative].parameters),
      });
    }
  }
  return { classes, equivalences };
}

/**
 * Two points are the same when they are closer than a tiny relative distance, or than the
 * sum of their Newton-step bounds ‖∇L‖/|λ|min to the critical point they approximate.
 */
function sameTolerance(a: Analyzed, b: Analyzed): number {
  const scale = Math.max(
    1,
    Math.sqrt(dot(a.parameters, a.parameters)),
    Math.sqrt(dot(b.parameters, b.parameters)),
  );
  const radius = (x: Analyzed) =>
    x.smallestCurvature && x.verdict !== 'not-critical' ? x.gradientNorm / x.smallestCurvature : 0;
  return SAME_POINT_RELATIVE * scale + 2 * (radius(a) + radius(b));
}

function euclidean(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
