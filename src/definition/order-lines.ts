import { templateExpression } from '../iml';
import type { BundleMapping, OrderLines, Parameter } from './types';

/** Shared parameter (connector/parameters.json) that filters events by product. */
export const PRODUCT_FILTER = 'productFilter';
/** Shared parameter that splits an order into one bundle per order line. */
export const BUNDLE_PER_ORDER_LINE = 'bundlePerOrderLine';

/** The one empty item Make iterates over for a bundle of the whole event (the order line then reads nothing). */
export const WHOLE_EVENT = 'add(emptyarray, emptystring)';

/** The order lines of a module.json: an IML string (lines keyed by `id`) or `{ items, productId, single? }`. */
export function orderLinesOf(raw: string | OrderLines | undefined): OrderLines | undefined {
  if (raw === undefined) return undefined;
  return typeof raw === 'string' ? { items: raw, productId: 'id' } : raw;
}

/**
 * "No product chosen", whatever Make passes for an untouched multi-select (absent, null, an empty text or an
 * empty array: its form is not documented). `!` covers the first three, `length` of an array the last; either
 * makes the whole condition true, so an empty filter never drops an event.
 */
function nothingChosen(chosen: string): string {
  return `!${chosen} || length(${chosen}) == 0`;
}

/**
 * The product filter and per-line splitting, written once as Make IML over the module's order lines, so the
 * runtime and the exported webhook run the same expressions. Make always iterates when `iterate` is present, so
 * the container holds the order lines when per-line bundles are on and the event has lines, and otherwise one
 * empty item, `add(emptyarray, emptystring)`: one bundle for the whole event, with no order line. An event whose
 * lines the merchant left out of Plug&Paid's "Select data to include" so still makes its bundle. `add` is Make's
 * documented array function (help.make.com/array-functions); `emptyarray` and `emptystring` are keywords of
 * Make's IML grammar (integromat/vscode-apps-sdk, syntaxes/iml/iml.tmLanguage).
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
  const perLine = referenced.includes(BUNDLE_PER_ORDER_LINE) && !orderLines.single ? shared[BUNDLE_PER_ORDER_LINE] : undefined;
  const result: Pick<BundleMapping, 'condition' | 'iterate'> = {};
  const chosen = filter ? `parameters.${filter.name}` : undefined;
  if (chosen) {
    const matches = orderLines.single
      ? `contains(${chosen}, toString(${/^[\w.]+$/.test(lines) ? lines : `(${lines})`}.${key}))`
      : `length(map(${lines}, '${key}', '${key}', join(${chosen}, ','))) > 0`;
    result.condition = `{{${nothingChosen(chosen)} || ${matches}}}`;
  }
  if (perLine) {
    const enabled = `parameters.${perLine.name}`;
    result.iterate = { container: `{{if(${enabled} && length(ifempty(${lines}, emptyarray)) > 0, ${lines}, ${WHOLE_EVENT})}}` };
    if (chosen) result.iterate.condition = `{{!${enabled} || ${nothingChosen(chosen)} || contains(${chosen}, toString(item.${key}))}}`;
  }
  return result;
}
