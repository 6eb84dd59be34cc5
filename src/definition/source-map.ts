import { Node, parseTree } from 'jsonc-parser';

/** A 1-based position in a text file, as editors and compilers print it. */
export interface Position {
  line: number;
  column: number;
}

/** The text of one JSON file, so a JSON pointer (and a character inside a string) can be turned into line:column. */
export class JsonSource {
  private tree: Node | undefined | null = null;
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** 1-based line and column of a character offset in the text. */
  positionOfOffset(offset: number): Position {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  }

  /**
   * Where the value at `pointer` is written: the start of its property key (or of an array item). A pointer that
   * goes further than the file is cut back to its deepest existing part, so a report never names a place the
   * file does not have. `index` is a character of the string value found there (e.g. of an IML template).
   */
  locate(pointer: string, index?: number): { pointer: string; position: Position } {
    if (this.tree === null) this.tree = parseTree(this.text, [], { disallowComments: true });
    if (!this.tree) return { pointer: '', position: { line: 1, column: 1 } };
    const segments = pointerSegments(pointer);
    const found = deepestNode(this.tree, segments);
    const existing = segments.slice(0, found.depth).map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    if (index !== undefined && found.node.type === 'string') {
      return { pointer: existing, position: this.positionOfOffset(rawOffset(this.text, found.node.offset, index)) };
    }
    const shown = found.node.parent?.type === 'property' ? found.node.parent : found.node;
    return { pointer: existing, position: this.positionOfOffset(shown.offset) };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** The segments of a JSON pointer, unescaped ('/a~1b/0' → ['a/b', '0']). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function deepestNode(root: Node, segments: string[]): { node: Node; depth: number } {
  let node = root;
  for (let depth = 0; depth < segments.length; depth += 1) {
    const next = childOf(node, segments[depth]);
    if (!next) return { node, depth };
    node = next;
  }
  return { node, depth: segments.length };
}

function childOf(node: Node, segment: string): Node | undefined {
  if (node.type === 'object') {
    const property = node.children?.find((child) => child.children?.[0]?.value === segment);
    return property?.children?.[1];
  }
  if (node.type === 'array' && /^\d+$/.test(segment)) return node.children?.[Number(segment)];
  return undefined;
}

// The offset in the file of the `index`-th character of the JSON string starting at `start` (its quote),
// stepping over escapes so a template's character lines up with what the editor shows.
function rawOffset(text: string, start: number, index: number): number {
  let raw = start + 1;
  for (let decoded = 0; decoded < index && raw < text.length && text[raw] !== '"'; decoded += 1) {
    raw += text[raw] === '\\' ? (text[raw + 1] === 'u' ? 6 : 2) : 1;
  }
  return raw;
}
