// Strict JSON parsing that reports every syntax problem with its position, plus the
// problems JSON.parse would silently accept (duplicate keys, numbers beyond float64), and
// refuses nesting deeper than any .loss.json needs before a recursive parser sees it.
import {
  createScanner,
  parseTree,
  printParseErrorCode,
  SyntaxKind,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { SourceLocator } from './locate';
import type { JsonPath, Problem } from '../../protocol/problems';

/**
 * The deepest a .loss.json file is nested is 6 levels (points[0].layers[0].weights[0][0]);
 * the parsers recurse once per level, and thousands of levels overflow their stack.
 */
export const MAX_NESTING = 64;

export interface ParsedJson {
  value: unknown;
  root: Node | undefined;
  locator: SourceLocator;
  problems: Problem[];
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidCommentToken: 'comments are not allowed: a .loss.json file is plain JSON',
  PropertyNameExpected:
    'a property name in double quotes is expected here (trailing commas are not allowed)',
  ValueExpected: 'a value is expected here (trailing commas are not allowed)',
  CommaExpected: 'a comma is expected here',
  ColonExpected: 'a colon is expected here',
  CloseBraceExpected: 'a closing } is expected here',
  CloseBracketExpected: 'a closing ] is expected here',
  EndOfFileExpected: 'nothing may follow the top-level object',
  InvalidSymbol:
    'this is not valid JSON (strings need double quotes; NaN and Infinity are not JSON)',
  InvalidNumberFormat: 'this number is not valid JSON',
  UnexpectedEndOfString: 'this string is not closed',
  UnexpectedEndOfComment: 'this comment is not closed (and comments are not allowed)',
  UnexpectedEndOfNumber: 'this number is not complete',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'invalid character in a string',
};

export function parseJson(source: string): ParsedJson {
  // VS Code can save a UTF-8 byte-order mark and JSON lets parsers ignore it; without it,
  // lines and columns are the ones an editor shows.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const tooDeep = findTooDeep(text);
  if (tooDeep) {
    const locator = new SourceLocator(text, undefined);
    const problem = locator.problemAtOffset(
      tooDeep.offset,
      1,
      `nesting deeper than ${MAX_NESTING} levels: a .loss.json file needs at most 6 (points[0].layers[0].weights[0][0])`,
    );
    return {
      value: undefined,
      root: undefined,
      locator,
      problems: [{ ...problem, path: tooDeep.path }],
    };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const locator = new SourceLocator(text, root);
  const problems: Problem[] = [];
  for (const error of errors) {
    // One problem per spot: the parser often reports two codes for one mistake.
    if (problems.some((p) => p.offset === error.offset)) continue;
    const code = printParseErrorCode(error.error);
    problems.push(
      locator.problemAtOffset(
        error.offset,
        Math.max(1, error.length),
        SYNTAX_MESSAGES[code] ?? code,
      ),
    );
  }
  if (!root && problems.length === 0)
    problems.push(locator.problemAtOffset(0, 0, 'the file is empty'));
  if (problems.length > 0) return { value: undefined, root, locator, problems };
  findSilentProblems(root, [], locator, problems);
  return { value: JSON.parse(text), root, locator, problems };
}

/** What JSON.parse accepts without a word: duplicate keys, and numbers beyond float64 (1e400). */
function findSilentProblems(
  node: Node | undefined,
  path: (string | number)[],
  locator: SourceLocator,
  problems: Problem[],
): void {
  if (node?.type === 'number' && !Number.isFinite(node.value)) {
    problems.push({
      ...locator.problemAtOffset(
        node.offset,
        node.length,
        'this number is too large for a 64-bit float',
      ),
      path,
    });
  }
  if (!node?.children) return;
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children) {
      const [keyNode, valueNode] = property.children ?? [];
      const key = keyNode?.value as string;
      if (seen.has(key)) {
        problems.push({
          ...locator.problemAtOffset(
            keyNode.offset,
            keyNode.length,
            `duplicate key '${key}': only one may be given`,
          ),
          path: [...path, key],
        });
      }
      seen.add(key);
      findSilentProblems(valueNode, [...path, key], locator, problems);
    }
  } else if (node.type === 'array') {
    node.children.forEach((child, i) => findSilentProblems(child, [...path, i], locator, problems));
  }
}

/**
 * The first bracket that opens level MAX_NESTING + 1, with the JSON path to it, found by
 * scanning tokens (no recursion). Strings are tokens, so brackets inside them do not count.
 */
function findTooDeep(text: string): { offset: number; path: JsonPath } | undefined {
  const scanner = createScanner(text, false);
  // One frame per open container: its path segment so far.
  const path: JsonPath = [];
  const containers: ('object' | 'array')[] = [];
  let lastString: string | undefined;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    const inside = containers[containers.length - 1];
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (containers.length === MAX_NESTING)
        return { offset: scanner.getTokenOffset(), path: [...path] };
      const object = token === SyntaxKind.OpenBraceToken;
      containers.push(object ? 'object' : 'array');
      path.push(object ? '' : 0);
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      containers.pop();
      path.pop();
    } else if (token === SyntaxKind.StringLiteral) {
      lastString = scanner.getTokenValue();
    } else if (token === SyntaxKind.ColonToken) {
      if (inside === 'object' && lastString !== undefined) path[path.length - 1] = lastString;
    } else if (token === SyntaxKind.CommaToken) {
      if (inside === 'array') path[path.length - 1] = (path[path.length - 1] as number) + 1;
    }
  }
  return undefined;
}
