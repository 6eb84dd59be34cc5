import type { Statement } from 'better-sqlite3';
import type { Store } from './store';

/**
 * The number of stored events without counting the whole table on every `/health` call: counted once, then
 * only the events after the last id seen (ids only grow), less the ones the retention pruned.
 */
export class EventTally {
  private count: number;
  private lastId: number;
  private readonly since: Statement<[number], { count: number; last: number | null }>;

  constructor(store: Store) {
    this.since = store.db.prepare('SELECT COUNT(*) AS count, MAX(id) AS last FROM events WHERE id > ?');
    const all = this.since.get(0)!;
    this.count = all.count;
    this.lastId = all.last ?? 0;
  }

  /** How many events the store holds. */
  events(): number {
    const added = this.since.get(this.lastId)!;
    this.count += added.count;
    if (added.last !== null) this.lastId = added.last;
    return this.count;
  }

  /**
   * Deletes events with `remove` (which returns how many it deleted) and keeps the count right. Call it inside
   * the deleting transaction, last: the events not counted yet are counted before they go. Returns `remove`'s count.
   */
  removing(remove: () => number): number {
    this.events();
    const removed = remove();
    this.count -= removed;
    return removed;
  }
}
