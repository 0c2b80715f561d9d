// Turns JSON paths and character offsets into the line/column ranges that problems carry.
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { JsonPath, Problem } from '../../protocol/problems';

export class SourceLocator {
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly root: Node | undefined,
  ) {
    // Lines end at LF, CRLF or a lone CR, as editors count them.
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char === 10 || (char === 13 && text.charCodeAt(i + 1) !== 10))
        this.lineStarts.push(i + 1);
    }
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  /** The value node at `path`, or its nearest existing ancestor. */
  node(path: JsonPath): Node | undefined {
    if (!this.root) return undefined;
    for (let depth = path.length; depth >= 0; depth--) {
      const node = findNodeAtLocation(this.root, path.slice(0, depth));
      if (node) return node;
    }
    return this.root;
  }

  /** The key node of the property at `path` (for "unknown key" problems). */
  keyNode(path: JsonPath): Node | undefined {
    const value = this.root && findNodeAtLocation(this.root, path);
    const property = value?.parent;
    return property?.type === 'property' ? property.children?.[0] : value;
  }

  problemAt(
    path: JsonPath,
    message: string,
    options: {
      severity?: Problem['severity'];
      onKey?: boolean;
      offsetInValue?: number;
      length?: number;
    } = {},
  ): Problem {
    const node = options.onKey ? this.keyNode(path) : this.node(path);
    let offset = node?.offset ?? 0;
    let length = node?.length ?? Math.min(1, this.text.length);
    if (options.offsetInValue !== undefined && node?.type === 'string') {
      // +1 skips the opening quote; good enough for strings without escapes before the spot.
      offset = node.offset + 1 + options.offsetInValue;
      length = options.length ?? 1;
    }
    return {
      severity: options.severity ?? 'error',
      message,
      path,
      ...this.position(offset),
      offset,
      length,
    };
  }

  problemAtOffset(offset: number, length: number, message: string): Problem {
    return { severity: 'error', message, path: [], ...this.position(offset), offset, length };
  }
}
