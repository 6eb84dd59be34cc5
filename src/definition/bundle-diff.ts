import { isRecord } from '../iml/values';

/** One field where a sample's bundles and the mapping's differ: its JSON pointer and both values. */
export interface BundleDifference {
  pointer: string;
  expected: unknown;
  actual: unknown;
}

/** The fields (leaves) where `actual` differs from `expected`, in document order; a missing side is undefined. */
export function bundleDifferences(expected: unknown, actual: unknown, pointer = ''): BundleDifference[] {
  if (isRecord(expected) && isRecord(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    return keys.flatMap((key) => bundleDifferences(expected[key], actual[key], `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const length = Math.max(expected.length, actual.length);
    return Array.from({ length }, (_, index) => bundleDifferences(expected[index], actual[index], `${pointer}/${index}`)).flat();
  }
  return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [{ pointer, expected, actual }];
}

/** `[0].order.status: "paid" → "pending"; …` for the first few differences, and how many more there are. */
export function describeDifferences(differences: BundleDifference[], shown = 5): string {
  const show = (value: unknown): string => (value === undefined ? '(absent)' : truncate(JSON.stringify(value)));
  const lines = differences.slice(0, shown).map((d) => `${d.pointer.replace(/^\/(\d+)/, '[$1]').replace(/\//g, '.')}: ${show(d.expected)} → ${show(d.actual)}`);
  const more = differences.length > shown ? `; and ${differences.length - shown} more` : '';
  return `${lines.join('; ')}${more}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
