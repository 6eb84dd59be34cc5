import type { Statement } from 'better-sqlite3';
import type { EventTally } from './event-tally';
import type { Store } from './store';

// Events deleted per transaction: each transaction is short, so intake's next commit never waits long.
const BATCH = 500;
// Pages handed back to the file system per incremental_vacuum step (4 MB at SQLite's default page size).
const VACUUM_PAGES = 1000;

/** What one retention run removed. */
export interface Pruned {
  events: number;
  dedupeKeys: number;
  pagesFreed: number;
}

/**
 * Keeps the store bounded: deletes the events received more than the retention ago with everything derived
 * from them (bodies, API answers, deliveries and their attempts, search terms), the expired dedupe keys, then
 * hands the freed pages back to the file system. An event still waiting for anything (pending or retrying
 * processing, a pending or stopped delivery) is kept until that is over. Drift counters stay: they are counts,
 * and an example event that was pruned reads as gone.
 */
export class Retention {
  private readonly sql: {
    eventsAfter: Statement<[number, number], { id: number; received_at: number; status: string }>;
    waitingDeliveries: Statement<[string], { event_id: number }>;
    deletes: Statement<[string]>[];
    deleteEvents: Statement<[string]>;
    seenAfter: Statement<[number, number], { rowid: number; expires_at: number }>;
    deleteSeen: Statement<[string]>;
  };

  constructor(
    private readonly store: Store,
    private readonly tally: EventTally,
    private readonly retentionMs: number,
  ) {
    const { db } = store;
    const ids = 'SELECT value FROM json_each(?)';
    this.sql = {
      eventsAfter: db.prepare('SELECT id, received_at, status FROM events WHERE id > ? ORDER BY id LIMIT ?'),
      waitingDeliveries: db.prepare(`SELECT DISTINCT event_id FROM deliveries WHERE event_id IN (${ids}) AND status IN ('pending', 'stopped')`),
      // Children first: delivery_attempts references deliveries, and bodies and API answers reference events.
      deletes: [
        db.prepare(`DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IN (${ids}))`),
        db.prepare(`DELETE FROM deliveries WHERE event_id IN (${ids})`),
        db.prepare(`DELETE FROM event_fetches WHERE event_id IN (${ids})`),
        db.prepare(`DELETE FROM event_bodies WHERE event_id IN (${ids})`),
        // The search index is contentless (contentless_delete=1): its rows go by rowid, the event's id.
        db.prepare(`DELETE FROM event_search WHERE rowid IN (${ids})`),
      ],
      deleteEvents: db.prepare(`DELETE FROM events WHERE id IN (${ids})`),
      seenAfter: db.prepare('SELECT rowid, expires_at FROM deliveries_seen WHERE rowid > ? ORDER BY rowid LIMIT ?'),
      deleteSeen: db.prepare(`DELETE FROM deliveries_seen WHERE rowid IN (${ids})`),
    };
  }

  /**
   * One run, as of `now`: prunes in batches (a transaction each), awaiting `between` after each so intake goes
   * first, until nothing is left to do or `stopped()` says the runtime is closing.
   */
  async run(now: number, between: () => Promise<void>, stopped: () => boolean): Promise<Pruned> {
    const cutoff = now - this.retentionMs;
    const events = await this.inBatches((after) => this.pruneEventsAfter(after, cutoff), between, stopped);
    const dedupeKeys = await this.inBatches((after) => this.pruneSeenAfter(after, now), between, stopped);
    let pagesFreed = 0;
    for (let freed = this.vacuumStep(); freed > 0 && !stopped(); freed = this.vacuumStep()) {
      pagesFreed += freed;
      await between();
    }
    return { events, dedupeKeys, pagesFreed };
  }

  /** Runs `step` from the start of a table, one transaction each, until it says it is done; how many rows it removed. */
  private async inBatches(step: (after: number) => { pruned: number; next: number }, between: () => Promise<void>, stopped: () => boolean): Promise<number> {
    let total = 0;
    for (let after = 0; !stopped(); ) {
      const batch = this.store.backgroundTransaction(() => step(after));
      total += batch.pruned;
      if (batch.next < 0) break;
      after = batch.next;
      await between();
    }
    return total;
  }

  /**
   * Prunes the old events among the next BATCH after id `after`; `next` is where to go on, or -1 once an event
   * young enough to keep was reached (ids grow with the time of arrival, so the rest are younger still).
   */
  private pruneEventsAfter(after: number, cutoff: number): { pruned: number; next: number } {
    const rows = this.sql.eventsAfter.all(after, BATCH);
    const young = rows.findIndex((row) => row.received_at >= cutoff);
    const old = young < 0 ? rows : rows.slice(0, young);
    if (old.length === 0) return { pruned: 0, next: -1 };
    const settled = old.filter((row) => row.status !== 'pending' && row.status !== 'retrying').map((row) => row.id);
    const waiting = new Set(this.sql.waitingDeliveries.all(JSON.stringify(settled)).map((row) => row.event_id));
    const ids = JSON.stringify(settled.filter((id) => !waiting.has(id)));
    this.sql.deletes.forEach((statement) => statement.run(ids));
    const pruned = this.tally.removing(() => this.sql.deleteEvents.run(ids).changes);
    return { pruned, next: young >= 0 || rows.length < BATCH ? -1 : old[old.length - 1].id };
  }

  /** Deletes the expired dedupe keys among the next BATCH after `after` (rowids follow the time they were set, as expiry does). */
  private pruneSeenAfter(after: number, now: number): { pruned: number; next: number } {
    const rows = this.sql.seenAfter.all(after, BATCH);
    const expired = rows.filter((row) => row.expires_at < now).map((row) => row.rowid);
    const pruned = expired.length === 0 ? 0 : this.sql.deleteSeen.run(JSON.stringify(expired)).changes;
    const done = rows.length < BATCH || expired.length < rows.length;
    return { pruned, next: done ? -1 : rows[rows.length - 1].rowid };
  }

  /** Hands up to VACUUM_PAGES free pages back to the file system, in a transaction of its own; how many it freed. */
  private vacuumStep(): number {
    return this.store.backgroundTransaction(() => this.vacuumPages());
  }

  private vacuumPages(): number {
    const free = () => this.store.db.pragma('freelist_count', { simple: true }) as number;
    const before = free();
    if (before === 0) return 0;
    // Every row of the pragma's answer is one page moved: it must be stepped to the end (`pragma()` reads all).
    this.store.db.pragma(`incremental_vacuum(${VACUUM_PAGES})`);
    return before - free();
  }
}
