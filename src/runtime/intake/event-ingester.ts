import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { boundText, TEXT_LIMITS } from '../../mapping/bounded-text';
import type { Store } from '../store/store';

/** The outcome of storing one delivery from Plug&Paid. */
export interface Ingested {
  eventId: number;
  duplicate: boolean;
}

// Intake counts as busy for this long after its last commit.
const BUSY_MS = 20;

interface Pending {
  webhookId: string;
  body: Buffer;
  type: string | null;
  resolve: (result: Ingested) => void;
  reject: (error: unknown) => void;
}

/**
 * Commits received events: the raw body, its dedupe key, its type and the webhook, nothing else (everything
 * else is derived from them after the acknowledgement). Requests that arrive in the same event-loop turn share
 * one transaction (one fsync), and each is answered only after that commit. A duplicate (same webhook, same body within the
 * window) is recognised by a primary key checked in the same transaction, so concurrent copies are safe.
 */
export class EventIngester {
  private queue: Pending[] = [];
  private lastFlush = -Infinity;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly windowMs: number,
  ) {}

  /** Resolves once the event is durably stored (or recognised as a duplicate). */
  ingest(webhookId: string, body: Buffer, type: string | null): Promise<Ingested> {
    // The type is kept, listed and filtered on outside the body: a sender's megabyte-long one is cut here.
    const kept = type === null ? null : boundText(type, TEXT_LIMITS.type);
    return new Promise((resolve, reject) => {
      this.queue.push({ webhookId, body, type: kept, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Whether events arrived in the last few milliseconds: background work then leaves the event loop to intake. */
  busy(): boolean {
    return performance.now() - this.lastFlush < BUSY_MS;
  }

  private flush(): void {
    this.lastFlush = performance.now();
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

  // One read and three writes: the whole batch is one transaction on the only writer, so the read cannot race.
  private storeOne(item: Pending, now: number): { eventId: number; duplicate: boolean } {
    const { sql } = this.store;
    const hash = createHash('sha256').update(item.body).digest('hex');
    const seen = sql.seenEvent.get(item.webhookId, hash);
    if (seen && seen.expires_at > now) return { eventId: seen.event_id, duplicate: true };
    const eventId = Number(sql.insertEvent.run(item.webhookId, hash, item.type, now).lastInsertRowid);
    sql.insertBody.run(eventId, item.body);
    sql.markSeen.run(item.webhookId, hash, eventId, now + this.windowMs);
    return { eventId, duplicate: false };
  }
}
