import type { Statement } from 'better-sqlite3';
import type { RoutedEvent } from '../routing';
import type { Store } from '../store/store';
import { searchTerms } from './search-terms';

/** Keeps the event search index (the `event_search` FTS5 table) up to date as events are processed. */
export class SearchIndex {
  private readonly put: Statement;

  constructor(store: Store) {
    // REPLACE: a replayed or retried event is indexed anew, not twice (the table is contentless_delete).
    this.put = store.db.prepare('INSERT OR REPLACE INTO event_search (rowid, terms) VALUES (?, ?)');
  }

  /** Indexes a batch of routed events; run inside the batch's transaction. */
  index(events: RoutedEvent[]): void {
    for (const routed of events) this.indexOne(routed);
  }

  /** Indexes one processed event; `parsed` is its body when intake parsed it already. */
  indexOne(routed: RoutedEvent, parsed?: unknown): void {
    const body = parsed !== undefined ? parsed : routed.outcome ? parsedOrNull(routed.event.body) : routed.body;
    if (body === null) return;
    this.put.run(routed.event.id, searchTerms(body));
  }
}

/** An unrouted event's body (routing keeps only the outcome); null when it is not JSON. */
function parsedOrNull(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
