import { performance } from 'node:perf_hooks';
import { type Pace, paceFor, pauseAfterBatch } from './background-pace';
import type { BatchProcessor } from './batch-processor';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import { yieldToEventLoop } from '../time-slice';

const IDLE_POLL_MS = 1000;
// The store's upkeep (retention, vacuum) runs on start and then at most this often, and waits this long between
// its transactions while events arrive.
const UPKEEP_EVERY_MS = 5 * 60_000;
const UPKEEP_BUSY_PAUSE_MS = 20;
// The background pass's pause while events arrive is taken in steps this long, each after checking they still do.
const PAUSE_STEP_MS = 10;

/** Background work on the store that is not about any one event (store/retention.ts). */
export interface Upkeep {
  /** Runs once, awaiting `between` after each transaction, until done or `stopped()`. */
  run(now: number, between: () => Promise<void>, stopped: () => boolean): Promise<unknown>;
}

/** What the engine needs of the deliverer (delivery/deliverer.ts), which comes after processing. */
export interface DeliveryPump {
  /** Starts the due deliveries it can. */
  pump(): void;
  /** Starts what is due and waits for it; resolves to how many attempts were made. */
  runDue(): Promise<number>;
  /** When the next delivery falls due, if any. */
  nextDueAt(): number | undefined;
  close(): Promise<void>;
}

/**
 * The work after the acknowledgement: process pending events, then start due deliveries. It runs in the
 * background (kicked on every ingest, woken by a timer) and `drain()` runs it to quiescence for tests.
 * Deliveries run on their own (the deliverer pumps itself as attempts end), so a pass never waits for a
 * destination and a hanging one cannot hold up processing.
 */
export class Engine {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private upkeeping: Promise<void> | undefined;
  private nextUpkeepAt = -Infinity;
  private batchStartedAt = 0;
  // The pace of the batch under way, chosen as it was taken (one look at the backlog a batch).
  private pace: Pace = paceFor(false, 0);

  constructor(
    private readonly store: Store,
    private readonly processing: BatchProcessor,
    private readonly clock: Clock,
    /** Whether intake is busy: background batches then keep to a share of the event loop (background-pace.ts). */
    private readonly intakeBusy: () => boolean,
    readonly deliverer: DeliveryPump,
    private readonly onError: (error: unknown) => void,
    private readonly upkeep?: Upkeep,
  ) {}

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

  /** Runs the store's upkeep now, after the run under way if any (passes start it every UPKEEP_EVERY_MS). */
  async keepUp(): Promise<void> {
    while (this.upkeeping) await this.upkeeping;
    await this.startUpkeep();
  }

  /** Stops timers and waits for the pass and the upkeep in flight (which stops at its next batch). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await this.running;
    while (this.upkeeping) await this.upkeeping;
    await this.deliverer.close();
  }

  private async pass(): Promise<void> {
    try {
      await this.processPending();
      this.deliverer.pump();
    } catch (error) {
      this.onError(error);
    }
    // Beside the passes, not inside one: a long first run after a downtime must not hold up processing.
    if (!this.upkeeping && this.clock.now() >= this.nextUpkeepAt) void this.startUpkeep();
  }

  private startUpkeep(): Promise<void> {
    if (!this.upkeep || this.closed) return Promise.resolve();
    const now = this.clock.now();
    this.nextUpkeepAt = now + UPKEEP_EVERY_MS;
    const run = this.upkeep
      .run(now, () => this.idleTurn(), () => this.closed)
      .then(() => undefined, this.onError)
      .finally(() => {
        if (this.upkeeping === run) this.upkeeping = undefined;
      });
    this.upkeeping = run;
    return run;
  }

  // Between upkeep transactions: a turn of the event loop, or a pause while events arrive (upkeep can wait).
  private idleTurn(): Promise<void> {
    return this.intakeBusy() ? new Promise((resolve) => setTimeout(resolve, UPKEEP_BUSY_PAUSE_MS)) : yieldToEventLoop();
  }

  private processPending(): Promise<number> {
    this.batchStartedAt = performance.now();
    return this.processing.run(this.clock.now(), () => this.between(), () => {
      const busy = this.intakeBusy();
      this.pace = paceFor(busy, busy ? this.backlogAgeMs() : 0);
      return this.pace.batch;
    });
  }

  // After a batch: a turn of the event loop, or while events arrive, the pause that keeps to the pass's share, in
  // steps, cut short once events stop arriving (a burst that ended must not hold its own deliveries back).
  private async between(): Promise<void> {
    let pause = this.intakeBusy() ? pauseAfterBatch(performance.now() - this.batchStartedAt, this.pace) : 0;
    if (pause <= 0) await yieldToEventLoop();
    for (; pause > 0 && this.intakeBusy(); pause -= PAUSE_STEP_MS) await new Promise((resolve) => setTimeout(resolve, Math.min(pause, PAUSE_STEP_MS)));
    this.batchStartedAt = performance.now();
  }

  private backlogAgeMs(): number {
    const oldest = this.store.sql.oldestPendingEvent.get();
    return oldest ? this.clock.now() - oldest.received_at : 0;
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
