import { performance } from 'node:perf_hooks';
import { boundText, TEXT_LIMITS } from '../../mapping/bounded-text';
import type { IntakeWriter } from './intake-writer';
import type { IntakeItem, Ingested } from './writer-messages';

export type { Ingested } from './writer-messages';

// Intake counts as busy for this long after its last commit.
const BUSY_MS = 20;

interface Pending {
  item: IntakeItem;
  resolve: (result: Ingested) => void;
  reject: (error: unknown) => void;
}

/**
 * Commits received events: the raw body, its dedupe key, its type and the webhook, nothing else (everything
 * else is derived from them after the acknowledgement). Each event-loop turn's requests go to the intake writer
 * thread as one batch (intake-writer.ts) at once; the batches that arrive there while a commit waits for the disk
 * share the next transaction (one fsync), and each request is answered only after its commit. A duplicate (same
 * webhook, same body within the window) is recognised by a primary key checked in the same transaction, so
 * concurrent copies are safe.
 */
export class EventIngester {
  private queue: Pending[] = [];
  private inFlight = 0;
  // The last batch sent: the writer answers in order, so once it is answered every earlier one is.
  private latest: Promise<void> | undefined;
  private readonly waiting: Array<() => void> = [];
  private lastFlush = -Infinity;

  constructor(
    private readonly writer: IntakeWriter,
    private readonly now: () => number,
    private readonly windowMs: number,
  ) {}

  /** Resolves once the event is durably stored (or recognised as a duplicate). */
  ingest(webhookId: string, body: Buffer, type: string | null): Promise<Ingested> {
    // The type is kept, listed and filtered on outside the body: a sender's megabyte-long one is cut here.
    const kept = type === null ? null : boundText(type, TEXT_LIMITS.type);
    return new Promise((resolve, reject) => {
      this.queue.push({ item: { webhookId, body, type: kept }, resolve, reject });
      if (this.queue.length === 1 && this.waiting.length === 0) setImmediate(() => this.flush());
    });
  }

  /** Whether events arrived in the last few milliseconds: background work then leaves the event loop to intake. */
  busy(): boolean {
    return performance.now() - this.lastFlush < BUSY_MS;
  }

  /**
   * Resolves when no intake commit holds or waits for the store's write lock, for a write on this thread to start
   * without waiting for it: batches are held back from then until the writes woken here ran (see answered).
   */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Waits for the events received so far to be committed (closing). */
  async settle(): Promise<void> {
    while (this.inFlight > 0 || this.queue.length > 0) await (this.inFlight > 0 ? this.latest : new Promise((resolve) => setImmediate(resolve)));
  }

  private flush(): void {
    if (this.waiting.length > 0 || this.queue.length === 0) return;
    this.lastFlush = performance.now();
    const batch = this.queue;
    this.queue = [];
    this.inFlight += 1;
    this.latest = this.writer.commit(batch.map((pending) => pending.item), this.now(), this.windowMs).then(
      (results) => this.answered(batch, (pending, index) => pending.resolve(results[index])),
      (error: unknown) => this.answered(batch, (pending) => pending.reject(error)),
    );
  }

  // Once no batch is in flight, writes waiting in idle() run, and the batch held back meanwhile goes a turn later.
  private answered(batch: Pending[], answer: (pending: Pending, index: number) => void): void {
    this.inFlight -= 1;
    this.lastFlush = performance.now();
    if (this.inFlight === 0 && this.waiting.length > 0) {
      this.waiting.splice(0).forEach((resolve) => resolve());
      setImmediate(() => this.flush());
    }
    batch.forEach(answer);
  }
}
