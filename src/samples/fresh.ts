import { isRecord } from '../iml/values';
import type { FreshDelivery } from '../definition/types';

/** One value `--fresh` renewed: where, and what it was and became. */
export interface Renewal {
  path: string;
  from: unknown;
  to: unknown;
}

/** The paths of a fresh-delivery rule that a payload carries (with a string or number there). */
export function renewablePaths(rule: FreshDelivery, payload: unknown): string[] {
  return [...(rule.ids ?? []), ...(rule.times ?? [])].filter((path) => {
    const value = valueAt(payload, path);
    return typeof value === 'string' || typeof value === 'number';
  });
}

/**
 * The payload as a new delivery of the same kind of event: the rule's ids renewed (a string gets `-<unique>`, a
 * number a new whole number) and its times set to `now` in the payload's own format; everything else kept.
 */
export function freshPayload(payload: unknown, rule: FreshDelivery, fresh: { now: Date; unique: string }): { payload: unknown; renewed: Renewal[] } {
  const copy = structuredClone(payload);
  const renewed: Renewal[] = [];
  const renew = (path: string, change: (value: string | number) => string | number) => {
    const parts = path.split('.');
    const owner = valueAt(copy, parts.slice(0, -1).join('.'));
    const key = parts[parts.length - 1];
    if (!isRecord(owner)) return;
    const value = owner[key];
    if (typeof value !== 'string' && typeof value !== 'number') return;
    owner[key] = change(value);
    renewed.push({ path, from: value, to: owner[key] });
  };
  (rule.ids ?? []).forEach((path) => renew(path, (value) => (typeof value === 'string' ? `${value}-${fresh.unique}` : Number.parseInt(fresh.unique, 16))));
  (rule.times ?? []).forEach((path) => renew(path, (value) => timeLike(value, fresh.now)));
  return { payload: copy, renewed };
}

function valueAt(container: unknown, path: string): unknown {
  if (path === '') return container;
  return path.split('.').reduce<unknown>((value, key) => (isRecord(value) ? value[key] : undefined), container);
}

// `2026-11-20T09:14:03.000000Z` stays six fraction digits; a number stays seconds or milliseconds since 1970.
function timeLike(sample: string | number, now: Date): string | number {
  if (typeof sample === 'number') return sample < 1e12 ? Math.floor(now.getTime() / 1000) : now.getTime();
  const fraction = /\.(\d+)(?:Z|[+-]\d\d:?\d\d)$/.exec(sample)?.[1].length ?? 0;
  const [seconds, millis] = now.toISOString().replace('Z', '').split('.');
  return `${seconds}${fraction > 0 ? `.${millis.padEnd(fraction, '0').slice(0, fraction)}` : ''}Z`;
}
