import { templateExpression } from '../iml';
import type { BundleMapping, OrderLines, Parameter } from './types';

/** Shared parameter (connector/parameters.json) that filters events by product. */
export const PRODUCT_FILTER = 'productFilter';
/** Shared parameter that splits an order into one bundle per order line. */
export const BUNDLE_PER_ORDER_LINE = 'bundlePerOrderLine';

/** The order lines of a module.json: an IML string (lines keyed by `id`) or `{ items, productId }`. */
export function orderLinesOf(raw: string | OrderLines | undefined): OrderLines | undefined {
  if (raw === undefined) return undefined;
  return typeof raw === 'string' ? { items: raw, productId: 'id' } : raw;
}

/**
 * The product filter and per-line splitting, written once as Make IML over the module's order lines, so the
 * runtime and the exported webhook run the same expressions.
 */
export function orderLineMapping(
  orderLines: OrderLines | undefined,
  shared: Record<string, Parameter>,
  referenced: string[],
): Pick<BundleMapping, 'condition' | 'iterate'> {
  if (!orderLines) return {};
  const lines = templateExpression(orderLines.items);
  const key = orderLines.productId;
  const filter = referenced.includes(PRODUCT_FILTER) ? shared[PRODUCT_FILTER] : undefined;
  const perLine = referenced.includes(BUNDLE_PER_ORDER_LINE) ? shared[BUNDLE_PER_ORDER_LINE] : undefined;
  const result: Pick<BundleMapping, 'condition' | 'iterate'> = {};
  if (filter) {
    const chosen = `parameters.${filter.name}`;
    result.condition = `{{length(${chosen}) == 0 || length(map(${lines}, '${key}', '${key}', join(${chosen}, ','))) > 0}}`;
  }
  if (perLine) {
    result.iterate = { container: `{{${lines}}}`, enabledBy: perLine.name };
    if (filter) {
      const chosen = `parameters.${filter.name}`;
      result.iterate.condition = `{{length(${chosen}) == 0 || contains(${chosen}, toString(item.${key}))}}`;
    }
  }
  return result;
}
