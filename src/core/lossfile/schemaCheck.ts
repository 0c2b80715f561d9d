// Validates a parsed .loss.json value against the JSON Schema (the single source of truth)
// with Ajv, and turns Ajv's errors into sentences a person understands.
//
// Ajv reports every failing branch of a `oneOf` (a CSV source is also checked as a
// generator and as inline rows), and inside `$ref`'d branches its schema paths no longer
// say which branch an error came from. So at each `oneOf` we pick the branch the user
// meant — by a `const` discriminator such as a slice's "type", else by which keys are
// present — and validate that value again with the branch's own validator.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../../schemas/loss.schema.json';
import type { SourceLocator } from './locate';
import { formatJsonPath, type JsonPath, type Problem } from '../../protocol/problems';
import { describeChoices, suggest } from './suggest';

type SchemaNode = Record<string, unknown>;

const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
});
// Keywords VS Code understands for completion and hover; Ajv only needs to know they exist.
ajv.addVocabulary([
  'enumDescriptions',
  'defaultSnippets',
  'markdownDescription',
  'deprecationMessage',
]);
/** Compiled on first use: compiling takes a seventh of a second, and `--help` needs none of it. */
let validateSpecSchema: ValidateFunction | undefined;
const branchValidators = new Map<SchemaNode, ValidateFunction>();

export function checkAgainstSchema(value: unknown, locator: SourceLocator): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  validateSpecSchema ??= ajv.compile(schema);
  collectProblems(validateSpecSchema, value, [], locator, (problem) => {
    const key = `${problem.offset}:${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  });
  return problems;
}

function collectProblems(
  validate: ValidateFunction,
  value: unknown,
  base: JsonPath,
  locator: SourceLocator,
  report: (problem: Problem) => void,
): void {
  if (validate(value)) return;
  const errors = [...(validate.errors ?? [])];
  const unions = errors.filter((e) => e.keyword === 'oneOf');
  unions.sort((a, b) => a.instancePath.length - b.instancePath.length); // outermost first
  const sites: string[] = [];
  for (const union of unions) {
    if (sites.some((site) => isWithin(union.instancePath, site))) continue;
    sites.push(union.instancePath);
    const siteValue = valueAt(value, union.instancePath);
    const branches = union.schema as SchemaNode[];
    const chosen = chooseBranch(siteValue, branches);
    const path = [...base, ...toJsonPath(union.instancePath)];
    if (chosen === null)
      report(locator.problemAt(path, unionMessage(formatJsonPath(path), branches, siteValue)));
    else collectProblems(branchValidator(branches[chosen]), siteValue, path, locator, report);
  }
  for (const error of errors) {
    if (sites.some((site) => isWithin(error.instancePath, site))) continue;
    report(toProblem(error, [...base, ...toJsonPath(error.instancePath)], locator));
  }
}

function branchValidator(branch: SchemaNode): ValidateFunction {
  let validate = branchValidators.get(branch);
  if (!validate) {
    validate =
      typeof branch.$ref === 'string'
        ? ajv.getSchema(`${schema.$id}${branch.$ref}`)
        : ajv.compile({ ...branch, definitions: schema.definitions });
    if (!validate) throw new Error(`schema branch ${JSON.stringify(branch)} cannot be compiled`);
    branchValidators.set(branch, validate);
  }
  return validate;
}

/** Index of the branch the user meant, or null when the value fits none of them clearly. */
function chooseBranch(value: unknown, branches: SchemaNode[]): number | null {
  const resolved = branches.map(resolveRef);
  if (isObject(value)) {
    // A discriminator: a property whose `const` differs between branches ("type": "line").
    for (let i = 0; i < resolved.length; i++) {
      const properties = (resolved[i].properties ?? {}) as Record<string, SchemaNode>;
      for (const [key, property] of Object.entries(properties)) {
        if ('const' in property && value[key] === property.const) return i;
      }
    }
    const kindKeys = resolved.map((branch) => ((branch.required ?? []) as string[])[0]);
    if (!kindKeys.some((key) => key !== undefined && key in value)) return null;
    // Otherwise the branch that declares most of the keys present and misses fewest.
    const scores = resolved.map((branch) => {
      if (!Array.isArray(branch.required) && !branch.properties) return -Infinity;
      const declared = Object.keys((branch.properties ?? {}) as object);
      const required = (branch.required ?? []) as string[];
      const keys = Object.keys(value);
      const known = keys.filter((k) => declared.includes(k)).length;
      const unknown = keys.filter((k) => !declared.includes(k)).length;
      const missing = required.filter((k) => !(k in value)).length;
      return known - unknown - missing;
    });
    const best = Math.max(...scores);
    const winner = scores.indexOf(best);
    if (best === -Infinity || scores.filter((s) => s === best).length > 1) return null;
    // Another branch's kind key (its first required key) that the winner does not declare
    // means two kinds were mixed ("generator" and "csv"): say so instead of guessing.
    const declared = Object.keys((resolved[winner].properties ?? {}) as object);
    const mixed = resolved.some((branch, i) => {
      const kindKey = ((branch.required ?? []) as string[])[0];
      return (
        i !== winner && kindKey !== undefined && kindKey in value && !declared.includes(kindKey)
      );
    });
    return mixed ? null : winner;
  }
  // Primitive or array: the branch whose type matches.
  const index = resolved.findIndex((branch) => {
    if ('const' in branch) return branch.const === value;
    return branch.type !== undefined && jsonTypeMatches(value, branch.type as string);
  });
  return index >= 0 ? index : null;
}

// ---------------------------------------------------------------------------------------
// Messages

function toProblem(error: ErrorObject, path: JsonPath, locator: SourceLocator): Problem {
  const where = formatJsonPath(path);
  const value = error.data;
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties ?? {}) as object).filter(
        (k) => k !== '$schema',
      );
      const hint = suggest(key, allowed);
      const place = path.length === 0 ? 'unknown top-level key' : `${where}: unknown key`;
      const text = `${place} '${key}'${hint ? ` — did you mean '${hint}'?` : ''} (allowed: ${allowed.join(', ')})`;
      return locator.problemAt([...path, key], text, { onKey: true });
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const text =
        path.length === 0 ? `'${missing}' is required` : `${where}: '${missing}' is required`;
      return locator.problemAt(path, text, { onKey: path.length > 0 });
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof value === 'string' ? suggest(value, allowed) : undefined;
      const text = `${where}: ${show(value)} is not one of ${allowed.join(', ')}${hint ? ` — did you mean '${hint}'?` : ''}`;
      return locator.problemAt(path, text);
    }
    case 'const':
      return locator.problemAt(
        path,
        `${where} must be ${show(params.allowedValue)}, got ${show(value)}`,
      );
    case 'type': {
      const expected = String(params.type);
      const wanted = expected === 'integer' ? 'a whole number' : article(expected);
      return locator.problemAt(path, `${where} must be ${wanted}, got ${describeValue(value)}`);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const symbol = { minimum: '≥', maximum: '≤', exclusiveMinimum: '>', exclusiveMaximum: '<' }[
        error.keyword
      ];
      return locator.problemAt(
        path,
        `${where} must be ${symbol} ${params.limit}, got ${show(value)}`,
      );
    }
    case 'minItems':
    case 'maxItems': {
      const limit = Number(params.limit);
      const exact = parent.minItems === parent.maxItems;
      const count = exact
        ? `exactly ${limit}`
        : error.keyword === 'minItems'
          ? `at least ${limit}`
          : `at most ${limit}`;
      return locator.problemAt(
        path,
        `${where} needs ${count} item${limit === 1 ? '' : 's'}, got ${(value as unknown[]).length}`,
      );
    }
    case 'minLength':
      return locator.problemAt(path, `${where} must not be empty`);
    case 'uniqueItems':
      return locator.problemAt(
        [...path, Number(params.i)],
        `${where}: items ${params.j} and ${params.i} are the same (${show((value as unknown[])[Number(params.i)])})`,
      );
    case 'pattern':
      return locator.problemAt(path, patternMessage(where, parent, value));
    default:
      return locator.problemAt(path, `${where} ${error.message ?? 'is not valid'}`);
  }
}

function patternMessage(where: string, parent: SchemaNode, value: unknown): string {
  const definitions = schema.definitions as unknown as Record<string, SchemaNode>;
  if (parent === definitions.pointId) {
    return `${where}: ${show(value)} names no run or point; write "run-0", "run-1", …, "point:NAME" or "saddle-0", …`;
  }
  if (
    parent ===
    (definitions.expressionModel.properties as Record<string, SchemaNode>).parameters.items
  ) {
    return `${where}: ${show(value)} is not a valid parameter name (letters, digits and _, not starting with a digit)`;
  }
  if (parent === (definitions.point.properties as Record<string, SchemaNode>).name) {
    return `${where}: ${show(value)} is not a valid point name (no spaces and no ':')`;
  }
  return `${where}: ${show(value)} does not have the expected form`;
}

function unionMessage(where: string, unresolved: SchemaNode[], value: unknown): string {
  const branches = unresolved.map(resolveRef);
  if (isObject(value)) {
    // Which kind keys (the first required key of each branch) are present?
    const kindKeys = branches.map((b) => ((b.required ?? []) as string[])[0]).filter(Boolean);
    const present = kindKeys.filter((k) => k in value);
    if (present.length === 0)
      return `${where} needs one of ${describeChoices(kindKeys.map((k) => `'${k}'`))}`;
    if (present.length > 1) {
      return `${where} has ${describeChoices(
        present.map((k) => `'${k}'`),
        'and',
      )}: give exactly one of them`;
    }
    return `${where} does not match the form of a '${present[0]}' entry`;
  }
  const kinds = branches.map(describeSchema);
  return `${where} must be ${describeChoices(kinds)}, got ${describeValue(value)}`;
}

function describeSchema(branch: SchemaNode): string {
  if ('const' in branch) return show(branch.const);
  if (branch.type === 'integer' && typeof branch.minimum === 'number')
    return `a whole number ≥ ${branch.minimum}`;
  if (branch.type === 'array') return 'a list';
  return article(String(branch.type ?? 'value'));
}

// ---------------------------------------------------------------------------------------
// Helpers

function schemaAt(schemaPath: string): unknown {
  let node: unknown = schema;
  for (const part of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (part === '') continue;
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function resolveRef(node: SchemaNode): SchemaNode {
  return typeof node.$ref === 'string' ? ((schemaAt(node.$ref) as SchemaNode) ?? node) : node;
}

function toJsonPath(instancePath: string): JsonPath {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node = root;
  for (const part of toJsonPath(instancePath)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

function isWithin(instancePath: string, ancestor: string): boolean {
  return instancePath === ancestor || instancePath.startsWith(`${ancestor}/`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonTypeMatches(value: unknown, type: string): boolean {
  switch (type) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'integer':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function article(type: string): string {
  const words: Record<string, string> = {
    array: 'a list',
    object: 'an object',
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    null: 'null',
  };
  return words[type] ?? `a ${type}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isInteger(value)) return `${value}`;
  return show(value);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  return JSON.stringify(value);
}
