// Mutations of valid .loss.json files, as fast-check arbitraries: a case is a base file and
// a few mutations, each choosing its target by a fraction of the candidates so that
// fast-check can shrink a failing case to the smallest list of edits.
import fc from 'fast-check';
import { BASE_SPECS, HOSTILE_PATHS } from './corpus';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Replacement values for any node: every JSON type, and numbers at the edges of float64. */
const ODD_VALUES: Json[] = [
  null,
  true,
  false,
  '',
  'x',
  [],
  {},
  [[]],
  0,
  -1,
  0.5,
  -0.5,
  1.5,
  2,
  3,
  7,
  1e-320,
  5e-324,
  1e6,
  1e9,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  1e20,
  1e300,
  -1e300,
  1.7976931348623157e308,
];

/** Number tokens JSON.parse would not give back: beyond float64, or not JSON at all. */
const ODD_NUMBER_TEXTS = [
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e-400',
  '01',
  '1.',
  '.5',
  '0x10',
];

/** Strings a hostile file might hold where a name, id, path or formula belongs. */
const ODD_STRINGS: string[] = [
  ...HOSTILE_PATHS,
  'run-0',
  'run-99999999999',
  'run--1',
  'point:',
  'point:nope',
  '__proto__',
  'constructor',
  'toString',
  '\u0000',
  '\ud800',
  'é',
  '\u202e',
  'w',
  'w^w^w^w^w^w^w^w^w^w^w^w',
  `${'('.repeat(2000)}w${')'.repeat(2000)}`,
  `${'-'.repeat(5000)}w`,
  Array.from({ length: 400 }, () => 'w').join('+'),
  Array.from({ length: 30 }, () => 'sin(w)').join('*'),
  'exp(exp(exp(exp(w))))',
  'w^1e308',
  'log(0*w)',
  'sqrt(-1)+w',
  '1/0+w',
  'x1*w',
  'import("fs")',
  'w = 3',
  'w ? 1 : 2',
  '[w]',
];

export type Mutation =
  | { kind: 'delete'; pick: number }
  | { kind: 'replace'; pick: number; value: number }
  | { kind: 'number'; pick: number; value: number }
  | { kind: 'string'; pick: number; value: number }
  | { kind: 'odd-number'; pick: number; value: number }
  | { kind: 'duplicate-element'; pick: number }
  | { kind: 'duplicate-key'; pick: number }
  | { kind: 'nest'; pick: number; depth: number; asObjects: boolean }
  | { kind: 'rename'; pick: number; value: number }
  | { kind: 'truncate'; pick: number }
  | { kind: 'insert-char'; pick: number; char: number }
  | { kind: 'encoding'; style: 'bom' | 'crlf' | 'cr' | 'tabs' };

const pick = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const index = fc.nat();

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  // Numbers replaced by numbers keep most files valid: they reach the engine's numerics.
  { arbitrary: fc.record({ kind: fc.constant('number' as const), pick, value: index }), weight: 6 },
  fc.record({ kind: fc.constant('delete' as const), pick }),
  fc.record({ kind: fc.constant('replace' as const), pick, value: index }),
  fc.record({ kind: fc.constant('string' as const), pick, value: index }),
  fc.record({ kind: fc.constant('odd-number' as const), pick, value: index }),
  fc.record({ kind: fc.constant('duplicate-element' as const), pick }),
  fc.record({ kind: fc.constant('duplicate-key' as const), pick }),
  fc.record({
    kind: fc.constant('nest' as const),
    pick,
    depth: fc.constantFrom(2, 10, 63, 64, 65, 1000, 100000),
    asObjects: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('rename' as const), pick, value: index }),
  fc.record({ kind: fc.constant('truncate' as const), pick }),
  fc.record({ kind: fc.constant('insert-char' as const), pick, char: fc.nat({ max: 0xffff }) }),
  fc.record({
    kind: fc.constant('encoding' as const),
    style: fc.constantFrom('bom' as const, 'crlf' as const, 'cr' as const, 'tabs' as const),
  }),
);

export interface FuzzCase {
  base: string;
  mutations: Mutation[];
}

export const caseArbitrary: fc.Arbitrary<FuzzCase> = fc.record({
  base: fc.constantFrom(...Object.keys(BASE_SPECS)),
  mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }),
});

/** The text of a case: structural edits on the value, then edits of the text. */
export function caseText(fuzzCase: FuzzCase): string {
  let value = structuredClone(BASE_SPECS[fuzzCase.base]) as Json;
  const textEdits: ((text: string) => string)[] = [];
  for (const mutation of fuzzCase.mutations) {
    const applied = applyMutation(value, mutation);
    value = applied.value;
    if (applied.textEdit) textEdits.push(applied.textEdit);
  }
  let text = JSON.stringify(value, null, 2);
  for (const edit of textEdits) text = edit(text);
  return text;
}

function applyMutation(
  value: Json,
  mutation: Mutation,
): { value: Json; textEdit?: (text: string) => string } {
  const nodes = nodePaths(value);
  const at = <T>(list: T[], fraction: number): T | undefined =>
    list[Math.floor(fraction * list.length)];
  switch (mutation.kind) {
    case 'delete': {
      const path = at(
        nodes.filter((p) => p.length > 0),
        mutation.pick,
      );
      if (path) removeAt(value, path);
      return { value };
    }
    case 'replace': {
      const path = at(nodes, mutation.pick)!;
      return { value: setAt(value, path, ODD_VALUES[mutation.value % ODD_VALUES.length]) };
    }
    case 'number': {
      const numbers = nodes.filter((p) => typeof getAt(value, p) === 'number');
      const path = at(numbers, mutation.pick);
      const replacements = ODD_VALUES.filter((v) => typeof v === 'number');
      return path
        ? { value: setAt(value, path, replacements[mutation.value % replacements.length]) }
        : { value };
    }
    case 'string': {
      const path = at(nodes, mutation.pick)!;
      return { value: setAt(value, path, ODD_STRINGS[mutation.value % ODD_STRINGS.length]) };
    }
    case 'odd-number': {
      // A marker number replaced in the text, since JSON.stringify cannot write these.
      const numbers = nodes.filter((p) => typeof getAt(value, p) === 'number');
      const path = at(numbers, mutation.pick);
      if (!path) return { value };
      const marker = 987654321.123;
      const token = ODD_NUMBER_TEXTS[mutation.value % ODD_NUMBER_TEXTS.length];
      return {
        value: setAt(value, path, marker),
        textEdit: (text) => text.replace(String(marker), token),
      };
    }
    case 'duplicate-element': {
      const arrays = nodes.filter((p) => {
        const node = getAt(value, p);
        return Array.isArray(node) && node.length > 0;
      });
      const path = at(arrays, mutation.pick);
      if (path) {
        const array = getAt(value, path) as Json[];
        array.push(structuredClone(array[Math.floor(mutation.pick * array.length)]));
      }
      return { value };
    }
    case 'duplicate-key':
      // The same key twice in one object: JSON.parse would keep the last silently.
      return {
        value,
        textEdit: (text) => {
          const keys = [...text.matchAll(/"([^"\\]+)": /g)];
          const key = at(keys, mutation.pick);
          if (!key) return text;
          return `${text.slice(0, key.index)}"${key[1]}": null, ${text.slice(key.index)}`;
        },
      };
    case 'nest': {
      const path = at(nodes, mutation.pick)!;
      const marker = '__nested__';
      const inner = JSON.stringify(getAt(value, path) ?? null);
      const open = mutation.asObjects ? '{"a":' : '[';
      const close = mutation.asObjects ? '}' : ']';
      return {
        value: setAt(value, path, marker),
        textEdit: (text) =>
          text.replace(
            `"${marker}"`,
            `${open.repeat(mutation.depth)}${inner}${close.repeat(mutation.depth)}`,
          ),
      };
    }
    case 'rename': {
      const keyed = nodes.filter((p) => typeof p[p.length - 1] === 'string');
      const path = at(keyed, mutation.pick);
      if (!path) return { value };
      const parent = getAt(value, path.slice(0, -1)) as Record<string, Json>;
      const key = path[path.length - 1] as string;
      const names = [
        `${key}s`,
        key.slice(0, -1),
        key.toUpperCase(),
        '',
        '__proto__',
        'constructor',
        '$schema',
      ];
      const renamed = names[mutation.value % names.length];
      const moved = parent[key];
      delete parent[key];
      Object.defineProperty(parent, renamed, {
        value: moved,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return { value };
    }
    case 'truncate':
      return { value, textEdit: (text) => text.slice(0, Math.floor(mutation.pick * text.length)) };
    case 'insert-char':
      return {
        value,
        textEdit: (text) => {
          const at = Math.floor(mutation.pick * (text.length + 1));
          return text.slice(0, at) + String.fromCharCode(mutation.char) + text.slice(at);
        },
      };
    case 'encoding':
      return {
        value,
        textEdit: (text) => {
          switch (mutation.style) {
            case 'bom':
              return `\ufeff${text}`;
            case 'crlf':
              return text.replace(/\n/g, '\r\n');
            case 'cr':
              return text.replace(/\n/g, '\r');
            case 'tabs':
              return text.replace(/ {2}/g, '\t');
          }
        },
      };
  }
}

/** Every node's path, the root first. */
function nodePaths(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((child, i) => nodePaths(child, [...path, i], out));
  else if (value && typeof value === 'object')
    for (const key of Object.keys(value)) nodePaths(value[key], [...path, key], out);
  return out;
}

function getAt(value: Json, path: Path): Json | undefined {
  let node: Json | undefined = value;
  for (const part of path) node = (node as Record<string | number, Json> | undefined)?.[part];
  return node;
}

function setAt(value: Json, path: Path, replacement: Json): Json {
  if (path.length === 0) return replacement;
  const parent = getAt(value, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1]] = replacement;
  return value;
}

function removeAt(value: Json, path: Path): void {
  const parent = getAt(value, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else if (parent && typeof parent === 'object') delete parent[key as string];
}
