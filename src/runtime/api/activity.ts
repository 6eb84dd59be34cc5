import type { Statement } from 'better-sqlite3';
import type { Store } from '../store/store';

const HOUR_MS = 3600_000;
const HOURS = 24;
/**
 * The series the chart shows, in stacking order: the event statuses (pending events are about to become one of
 * the others), with `deliveryFailed` the processed events that have a dead delivery (not counted as processed).
 */
export const ACTIVITY_STATUSES = ['processed', 'deliveryFailed', 'unrouted', 'retrying', 'failed', 'pending'] as const;
type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** Events received in one hour, by their status now. */
export type ActivityHour = { start: string } & Record<ActivityStatus, number>;

/**
 * Events per hour over the last 24 hours, counted in SQL. Event ids grow with reception time, so the newest
 * event older than the window bounds the scan to the window's events without an index on `received_at`
 * (which every ingest would have to update).
 */
export class Activity {
  private readonly boundary: Statement<[number], { id: number }>;
  private readonly counts: Statement<[number, number, number, string, string], { slot: number; status: string; count: number }>;
  private readonly deliveryFailed: Statement<[number, number, number, string, string], { slot: number; count: number }>;

  constructor(store: Store) {
    this.boundary = store.db.prepare('SELECT id FROM events WHERE received_at < ? ORDER BY id DESC LIMIT 1');
    this.counts = store.db.prepare(
      `SELECT CAST((received_at - ?) / ${HOUR_MS} AS INTEGER) AS slot, status, COUNT(*) AS count FROM events
       WHERE id > ? AND received_at >= ? AND (? = '' OR webhook_id = ?) GROUP BY slot, status`,
    );
    // Driven by the dead deliveries (few, and indexed by status), not by the window's events (many).
    this.deliveryFailed = store.db.prepare(
      `SELECT CAST((e.received_at - ?) / ${HOUR_MS} AS INTEGER) AS slot, COUNT(DISTINCT e.id) AS count
       FROM deliveries d JOIN events e ON e.id = d.event_id
       WHERE d.status = 'dead' AND e.id > ? AND e.received_at >= ? AND e.status = 'processed' AND (? = '' OR e.webhook_id = ?) GROUP BY slot`,
    );
  }

  /** The 24 hours ending with the current one, oldest first; `webhookId` '' counts every webhook. */
  lastDay(now: number, webhookId: string): ActivityHour[] {
    const since = Math.floor(now / HOUR_MS) * HOUR_MS - (HOURS - 1) * HOUR_MS;
    const hours: ActivityHour[] = Array.from({ length: HOURS }, (_, slot) => ({
      start: new Date(since + slot * HOUR_MS).toISOString(),
      ...(Object.fromEntries(ACTIVITY_STATUSES.map((status) => [status, 0])) as Record<ActivityStatus, number>),
    }));
    const floor = this.boundary.get(since)?.id ?? 0;
    for (const { slot, status, count } of this.counts.all(since, floor, since, webhookId, webhookId)) {
      const hour = hours[slot];
      if (hour && status in hour) hour[status as ActivityStatus] += count;
    }
    for (const { slot, count } of this.deliveryFailed.all(since, floor, since, webhookId, webhookId)) {
      const hour = hours[slot];
      if (!hour) continue;
      hour.deliveryFailed += count;
      hour.processed -= count;
    }
    return hours;
  }
}
