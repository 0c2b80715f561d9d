// Groups analyzed runs and points into classes of the same network: identical parameters,
// the same network with hidden units permuted (and negated or rescaled where the activation
// allows), or — for deep linear networks — the same end-to-end map. Every claim is confirmed
// by the networks' outputs on the data and on random inputs.
import type {
  Equivalence,
  EquivalenceRelation,
  ResultClass,
  VerdictKind,
} from '../../protocol/result';
import { ACTIVATIONS } from '../model/activations';
import type { MlpArchitecture } from '../model/architecture';
import { mlpUnits, type UnitNetwork } from '../model/units';
import { alignNetworks } from './equivalence';
import { distance, norm } from '../linalg/vector';

export interface Analyzed {
  id: string;
  parameters: Float64Array;
  loss: number;
  gradientNorm: number;
  verdict: VerdictKind;
  /** Smallest |λ| of a nondegenerate spectrum, to bound the distance to the critical point. */
  smallestCurvature: number | null;
}

export interface EquivalenceContext {
  /** The declared MLP (or the MLP-shaped module), for deep linear networks' maps; else null. */
  architecture: MlpArchitecture | null;
  /**
   * Where the permutable units sit; by default the architecture's. Null (and no architecture):
   * only identical points can be matched.
   */
  units?: UnitNetwork | null;
  /** Look for symmetries (analysis.equivalence); identical points are always grouped. */
  symmetries: boolean;
  /** The model's outputs at θ on the data and on random probe inputs. */
  outputs(theta: Float64Array): Float64Array;
}

/** Relative distance below which two points are the same whatever the evidence. */
const SAME_POINT_RELATIVE = 1e-6;

export function groupEquivalent(
  points: Analyzed[],
  context: EquivalenceContext,
): { classes: ResultClass[]; equivalences: Map<string, Equivalence> } {
  const representatives: { point: Analyzed; outputs: Float64Array; members: string[] }[] = [];
  const equivalences = new Map<string, Equivalence>();
  for (const point of points) {
    const outputs = context.outputs(point.parameters);
    let joined = false;
    for (const representative of representatives) {
      const relation = compare(
        point,
        outputs,
        representative.point,
        representative.outputs,
        context,
      );
      if (relation) {
        representative.members.push(point.id);
        equivalences.set(point.id, { id: representative.point.id, ...relation });
        joined = true;
        break;
      }
    }
    if (!joined) representatives.push({ point, outputs, members: [point.id] });
  }
  const classes = representatives.map(({ point, members }) => ({
    representative: point.id,
    members,
    verdict: point.verdict,
    loss: point.loss,
  }));
  return { classes, equivalences };
}

/** How `point` relates to `representative`, or null when it is a different network. */
function compare(
  point: Analyzed,
  outputs: Float64Array,
  representative: Analyzed,
  representativeOutputs: Float64Array,
  context: EquivalenceContext,
): Omit<Equivalence, 'id'> | null {
  const tolerance = sameTolerance(point, representative);
  const direct = distance(point.parameters, representative.parameters);
  const confirm = (distance: number) =>
    outputsAgree(outputs, representativeOutputs, distance, representative.parameters, context);
  if (direct <= tolerance)
    return confirm(direct) ? { relation: 'identical', distance: direct } : null;
  const architecture = context.architecture;
  const units = unitsOf(context);
  if (!context.symmetries || !units) return null;

  const alignment = alignNetworks(units, representative.parameters, point.parameters);
  if (alignment) {
    const aligned = distance(alignment.aligned, representative.parameters);
    if (aligned <= tolerance && confirm(aligned)) {
      const permuted = alignment.permutation.some((layer) => layer.some((j, i) => j !== i));
      const signed = alignment.signs.some((layer) => layer.some((s) => s < 0));
      const rescaled = alignment.scales.some((layer) =>
        layer.some((c) => Math.abs(c - 1) > SAME_POINT_RELATIVE),
      );
      return {
        relation: relationOf(permuted, signed, rescaled),
        permutation: alignment.permutation,
        ...(signed ? { signs: alignment.signs } : {}),
        ...(rescaled ? { scales: alignment.scales } : {}),
        distance: aligned,
      };
    }
  }
  if (
    architecture &&
    architecture.layers.length > 1 &&
    architecture.layers.every((l) => ACTIVATIONS[l.activation].identity)
  ) {
    // A deep linear network is one affine map; mixing between layers (GL(k)) changes the
    // weights, not the map. Agreement on the data and random inputs decides it exactly.
    if (confirm(0)) return { relation: 'function', distance: direct };
  }
  return null;
}

function unitsOf(context: EquivalenceContext): UnitNetwork | null {
  if (context.units !== undefined) return context.units;
  return context.architecture ? mlpUnits(context.architecture) : null;
}

/** Named by what the mapping took: "permutation", "sign", "rescaling", or their joins. */
function relationOf(permuted: boolean, signed: boolean, rescaled: boolean): EquivalenceRelation {
  const parts = [
    ...(permuted ? ['permutation'] : []),
    ...(signed ? ['sign'] : []),
    ...(rescaled ? ['rescaling'] : []),
  ];
  // Within tolerance with nothing moved: the same point.
  return (parts.length > 0 ? parts.join('+') : 'identical') as EquivalenceRelation;
}

/**
 * Outputs agree when they differ by no more than the parameter distance can explain
 * (10·layers·relative distance) plus rounding, relative to the outputs' size.
 */
function outputsAgree(
  a: Float64Array,
  b: Float64Array,
  distance: number,
  theta: Float64Array,
  context: EquivalenceContext,
): boolean {
  const depth = unitsOf(context)?.layers.length ?? 1;
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  const allowed = (1e-9 + (10 * depth * distance) / Math.max(1, norm(theta))) * scale;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= allowed)) return false;
  return true;
}

/**
 * Two points are the same when they are closer than a tiny relative distance, or than the
 * sum of their Newton-step bounds ‖∇L‖/|λ|min to the critical point they approximate.
 */
function sameTolerance(a: Analyzed, b: Analyzed): number {
  const scale = Math.max(1, norm(a.parameters), norm(b.parameters));
  const radius = (x: Analyzed) =>
    x.smallestCurvature && x.verdict !== 'not-critical' ? x.gradientNorm / x.smallestCurvature : 0;
  return SAME_POINT_RELATIVE * scale + 2 * (radius(a) + radius(b));
}
