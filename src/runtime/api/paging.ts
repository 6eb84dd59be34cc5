import type { BundleCursor } from '../processing/bundle-reader';
import { RequestError } from '../request-error';

/** The page size when the caller gives none, and the largest it may ask for. */
export const PAGE = 100;
export const MAX_PAGE = 1000;
/**
 * The JSON bytes a page's items may take: a page ends early past them (with `hasMore`), so no list answer grows
 * without end. 1 MiB (about 190 5 KB sale bundles): a page's bundles live until it is sent, and at 4 MiB a pull
 * of the whole store grew the heap past the runtime's 256 MB memory budget, with no faster pull for it.
 */
export const PAGE_BYTES = 1024 * 1024;

/** A page of a list: `next` is where to continue from (always set once a position exists), `hasMore` says whether to go on now. */
export interface Page<T> {
  items: T[];
  next: number | string | null;
  hasMore: boolean;
}

/** `?limit=`: a whole number from 1 to 1000, or the default; anything else is refused rather than ignored. */
export function readLimit(query: Record<string, unknown>): number {
  if (query.limit === undefined) return PAGE;
  const limit = Number(query.limit);
  if (!/^\d+$/.test(String(query.limit)) || limit < 1 || limit > MAX_PAGE) throw new RequestError(400, `limit must be a whole number from 1 to ${MAX_PAGE}, not ${JSON.stringify(query.limit)}`);
  return limit;
}

/** A numeric cursor (`after`, `before`): a whole number ≥ 0 from a previous page's `next`, or undefined when absent. */
export function readCursor(query: Record<string, unknown>, name: string): number | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(String(value))) {
    throw new RequestError(400, `${name} must be a cursor: the "next" of a previous page (a whole number ≥ 0), not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * A bundle cursor (`after`): `<place>:<seq>` from a previous page's `next` (after that bundle), or `<place>` (after
 * that whole event; 0 from the start).
 */
export function readBundleCursor(query: Record<string, unknown>): BundleCursor {
  const value = query.after;
  if (value === undefined) return { place: 0, seq: Infinity };
  const match = /^(\d{1,15})(?::(\d{1,9}))?$/.exec(String(value));
  if (!match) {
    throw new RequestError(400, `after must be a cursor: the "next" of a previous page (such as 412:0, an event's place and a bundle's position in it), not ${JSON.stringify(value)}`);
  }
  return { place: Number(match[1]), seq: match[2] === undefined ? Infinity : Number(match[2]) };
}

/**
 * Cuts `rows` (read with `limit + 1`, so one more row tells whether there is more) to a page of at most
 * PAGE_BYTES of JSON (and at least one item). `next` is the id of the last item returned, or the given cursor
 * when nothing is new, so a caught-up poller keeps its place.
 */
export function pageOf<T extends { id: number | string }>(rows: T[], limit: number, given: number | string | undefined): Page<T> {
  const items: T[] = [];
  let bytes = 0;
  for (const row of rows.slice(0, limit)) {
    bytes += JSON.stringify(row).length;
    if (items.length > 0 && bytes > PAGE_BYTES) break;
    items.push(row);
  }
  return { items, next: items.length > 0 ? items[items.length - 1].id : (given ?? null), hasMore: rows.length > items.length };
}

/** A list that is always returned whole (modules, a webhook's triggers), in the same shape as a page. */
export function wholeList<T>(items: T[]): Page<T> {
  return { items, next: null, hasMore: false };
}
