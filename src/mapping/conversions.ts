import type { ConversionFailure, ImlContext } from '../iml/context';
import type { CompiledDirective } from '../iml/directive';
import { directivePaths, PathBindings } from '../iml/read-paths';
import { isRecord } from '../iml/values';

/** A value an output field's mapping could not convert. */
export interface FieldConversion extends ConversionFailure {
  /** The bundle field, as a JSON pointer (`/order/amountTotal`). */
  field: string;
  /** Where the payload carries the value, array indexes collapsed (`/data/order/products/*\/price`), when found. */
  payloadPointer?: string;
}

/**
 * Which fields of an output failed to convert a value, evaluating each template of the output on its own. Only
 * called for a bundle whose evaluation reported a failure, so mapping a good payload costs nothing more.
 */
export function fieldConversions(output: CompiledDirective, context: ImlContext, paths: PathBindings, pointer = ''): FieldConversion[] {
  if (output.kind === 'object') return output.entries.flatMap(([key, entry]) => fieldConversions(entry, context, paths, `${pointer}/${key}`));
  if (output.kind !== 'template') return [];
  const failures: ConversionFailure[] = [];
  output.run({ ...context, conversionFailed: (failure) => failures.push(failure) });
  if (failures.length === 0) return [];
  const read = [...directivePaths(output, paths)];
  return failures.map((failure) => {
    const found = read.find((path) => carries(context.variables.body, path.split('.'), failure.value));
    return { ...failure, field: pointer, ...(found ? { payloadPointer: `/${found.replace(/\[\]/g, '.*').split('.').join('/')}` } : {}) };
  });
}

// Whether the value at a path (`products[]` meaning any element) is `value`.
function carries(node: unknown, segments: string[], value: unknown): boolean {
  if (segments.length === 0 || (segments.length === 1 && segments[0] === '')) return node === value;
  const [head, ...rest] = segments;
  const array = head.endsWith('[]');
  const key = array ? head.slice(0, -2) : head;
  const child = key === '' ? node : isRecord(node) ? node[key] : undefined;
  if (!array) return carries(child, rest, value);
  return Array.isArray(child) && child.some((element) => carries(element, rest, value));
}

/** The bundle error a conversion failure is: the field, the raw value and what was expected. */
export function conversionMessage(conversion: FieldConversion): string {
  const source = conversion.payloadPointer ? ` (payload ${conversion.payloadPointer})` : '';
  return `could not convert ${JSON.stringify(conversion.value)}${source}: ${conversion.function} expected ${conversion.expected}`;
}
