import type { DeliveryStatus } from '../store/rows';
import type { Store } from '../store/store';

/** Every delivery status, in the order a person reads them. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead', 'stopped'] as const satisfies readonly DeliveryStatus[];

/** How many of an event's (or a trigger's) deliveries are in each status. */
export type DeliveryCounts = Record<DeliveryStatus, number>;

const none = (): DeliveryCounts => ({ pending: 0, delivered: 0, dead: 0, stopped: 0 });

/** The delivery counts of each of these events (one query; events without deliveries count zero). */
export function deliveryCountsOf(store: Store, eventIds: number[]): Map<number, DeliveryCounts> {
  const counts = new Map(eventIds.map((id) => [id, none()]));
  if (eventIds.length === 0) return counts;
  for (const row of store.sql.deliveryCountsOfEvents.all(JSON.stringify(eventIds))) counts.get(row.event_id)![row.status] += row.count;
  return counts;
}

/** `1 delivery`, `2 deliveries`: a count with its noun. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const WORDS: Record<DeliveryStatus, string> = { pending: 'pending', delivered: 'delivered', dead: 'dead', stopped: 'paused' };

/**
 * An event's status with what became of its deliveries when any is not delivered: `processed · 1 delivery dead`,
 * `processed · 2 deliveries pending`. All delivered (or none to make) says the status alone.
 */
export function eventState(status: string, counts: DeliveryCounts): string {
  const open = (['dead', 'stopped', 'pending'] as const).filter((key) => counts[key] > 0).map((key) => `${counted(counts[key], 'delivery', 'deliveries')} ${WORDS[key]}`);
  return [status, ...open].join(' · ');
}
