import { createHash } from 'node:crypto';
import type { Store } from './store/store';

/** The outcome of storing one delivery from Plug&Paid. */
export interface Ingested {
  eventId: number;
  duplicate: boolean;
}

interface Pending {
  webhookId: string;
  body: Buffer;
  type: string | null;
  resolve: (result: Ingested) => void;
  reject: (error: unknown) => void;
}

/**
 * Commits received events. Requests that arrive in the same event-loop turn share one transaction (one
 * fsync), and each is answered only after that commit. A duplicate (same webhook, same body within the
 * window) is recognised by a primary key checked in the same transaction, so concurrent copies are safe.
 */
export class EventIngester {
  private queue: Pending[] = [];

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly windowMs: number,
  ) {}

  /** Resolves once the event is durably stored (or recognised as a duplicate). */
  ingest(webhookId: string, body: Buffer, type: string | null): Promise<Ingested> {
    return new Promise((resolve, reject) => {
      this.queue.push({ webhookId, body, type, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    let results: Ingested[];
    try {
      const now = this.now();
      results = this.store.transaction(() => batch.map((item) => this.storeOne(item, now)));
    } catch (error) {
      batch.forEach((item) => item.reject(error));
      return;
    }
    batch.forEach((item, index) => item.resolve(results[index]));
  }

  private storeOne(item: Pending, now: number): Ingested {
    const { sql } = this.store;
    const hash = createHash('sha256').update(item.body).digest('hex');
    sql.forgetExpiredSeen.run(item.webhookId, hash, now);
    if (sql.markSeen.run(item.webhookId, hash, now + this.windowMs).changes === 0) {
      return { eventId: sql.seenEvent.get(item.webhookId, hash)!.event_id, duplicate: true };
    }
    const eventId = Number(sql.insertEvent.run(item.webhookId, hash, item.type, now).lastInsertRowid);
    sql.insertBody.run(eventId, item.body);
    sql.linkSeen.run(eventId, item.webhookId, hash);
    return { eventId, duplicate: false };
  }
}
