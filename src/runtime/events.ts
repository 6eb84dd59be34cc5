import { createHash } from 'node:crypto';
import { boundText, TEXT_LIMITS } from '../mapping/bounded-text';
import type { Store } from './store/store';

/** An event as just stored, with its body still parsed in memory. */
export interface StoredEvent {
  id: number;
  webhookId: string;
  body: Buffer;
  parsed: unknown;
  type: string | null;
  receivedAt: number;
}

/**
 * Processes new events inside the transaction that stores them (so one commit covers both); answers whether
 * any work was left for the background engine (events it could not process here, deliveries to send).
 */
export type ProcessOnStore = (events: StoredEvent[], now: number) => boolean;

/** The outcome of storing one delivery from Plug&Paid. */
export interface Ingested {
  eventId: number;
  duplicate: boolean;
  /** True when the background engine has work from this batch (kick it). */
  background: boolean;
}

interface Pending {
  webhookId: string;
  body: Buffer;
  parsed: unknown;
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
    private readonly processOnStore: ProcessOnStore = () => true,
  ) {}

  /**
   * Resolves once the event is durably stored (or recognised as a duplicate). `parsed` is the body already
   * parsed at intake, handed to processing so the body is parsed once.
   */
  ingest(webhookId: string, body: Buffer, type: string | null, parsed?: unknown): Promise<Ingested> {
    // The type is kept, listed and filtered on outside the body: a sender's megabyte-long one is cut here.
    const kept = type === null ? null : boundText(type, TEXT_LIMITS.type);
    return new Promise((resolve, reject) => {
      this.queue.push({ webhookId, body, parsed, type: kept, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    let results: Ingested[];
    try {
      const now = this.now();
      results = this.store.transaction(() => {
        const stored = batch.map((item) => this.storeOne(item, now));
        const fresh: StoredEvent[] = [];
        stored.forEach(({ eventId, duplicate }, index) => {
          const { webhookId, body, parsed, type } = batch[index];
          if (!duplicate) fresh.push({ id: eventId, webhookId, body, parsed, type, receivedAt: now });
        });
        const background = fresh.length > 0 && this.processOnStore(fresh, now);
        return stored.map((result) => ({ ...result, background }));
      });
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
