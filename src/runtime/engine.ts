import type { BatchProcessor } from './batch-processor';
import type { Clock } from './clock';
import { Deliverer, DeliveryOptions } from './deliverer';
import type { Store } from './store/store';

const IDLE_POLL_MS = 1000;

/**
 * The work after the acknowledgement: process pending events, then start due deliveries. It runs in the
 * background (kicked on every ingest, woken by a timer) and `drain()` runs it to quiescence for tests.
 * Deliveries run on their own (the deliverer pumps itself as attempts end), so a pass never waits for a
 * destination and a hanging one cannot hold up processing.
 */
export class Engine {
  readonly deliverer: Deliverer;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly processing: BatchProcessor,
    private readonly clock: Clock,
    delivery: DeliveryOptions,
    private readonly onError: (error: unknown) => void,
  ) {
    this.deliverer = new Deliverer(store, clock, { onError, ...delivery });
  }

  /** Asks for a pass soon; several kicks during a pass fold into one more pass. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.schedule();
      }
    });
  }

  /** Processes and delivers until nothing more is due now (deliveries due later stay pending). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    // Held as the pass in flight: a timer's kick meanwhile waits for it, as during a pass, instead of processing
    // beside it and taking its events (marked as being processed) for ones a crash interrupted.
    const draining = this.drainNow();
    this.running = draining;
    try {
      await draining;
    } finally {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    }
  }

  private async drainNow(): Promise<void> {
    for (;;) {
      const processed = await this.processPending();
      const delivered = await this.deliverer.runDue();
      if (processed === 0 && delivered === 0) return;
    }
  }

  /** Stops timers and waits for the pass in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await this.running;
    await this.deliverer.close();
  }

  private async pass(): Promise<void> {
    try {
      await this.processPending();
      this.deliverer.pump();
    } catch (error) {
      this.onError(error);
    }
  }

  private processPending(): Promise<number> {
    return this.processing.run(this.clock.now());
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    const retryAt = this.store.sql.nextRetryAt.get()?.at ?? undefined;
    const deliveryAt = this.deliverer.nextDueAt();
    const next = retryAt === undefined ? deliveryAt : deliveryAt === undefined ? retryAt : Math.min(retryAt, deliveryAt);
    const wait = next === undefined ? IDLE_POLL_MS : Math.min(IDLE_POLL_MS, Math.max(0, next - this.clock.now()));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }
}
