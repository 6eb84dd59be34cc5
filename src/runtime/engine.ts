import type { AppDefinition } from '../definition/types';
import type { ApiAccess } from '../mapping/enrich';
import type { Clock } from './clock';
import { Deliverer, DeliveryOptions } from './deliverer';
import { Enrichment, enrichEvent, planEvent, RoutedEvent, routeEvents, writePlan } from './processor';
import type { EventRow, Store } from './store/store';

const IDLE_POLL_MS = 1000;
const BATCH = 100;
// API requests in flight at once while enriching a batch: enough to hide latency, few enough for rate limits.
const ENRICH_CONCURRENCY = 4;

/** How the engine reaches the platform API for modules that fetch their object, and how it retries. */
export interface EnrichmentOptions extends ApiAccess {
  retryScheduleMs: number[];
}

/**
 * The work after the acknowledgement: process pending events, then forward due deliveries. It runs in the
 * background (kicked on every ingest, woken by a timer) and `drain()` runs it to quiescence for tests.
 */
export class Engine {
  readonly deliverer: Deliverer;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly app: AppDefinition,
    private readonly clock: Clock,
    delivery: DeliveryOptions,
    private readonly onError: (error: unknown) => void,
    private readonly enrichment: EnrichmentOptions = { retryScheduleMs: delivery.schedule },
  ) {
    this.deliverer = new Deliverer(store, clock, delivery);
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
  }

  private async pass(): Promise<void> {
    try {
      await this.processPending();
      await this.deliverer.runDue();
    } catch (error) {
      this.onError(error);
    }
  }

  private async processPending(): Promise<number> {
    let count = 0;
    for (let batch = this.nextBatch(); batch.length > 0; batch = this.nextBatch()) {
      const routed = routeEvents(this.store, this.app, batch);
      // API requests and mapping run before the transaction, so the write lock is held only for the writes.
      const enrichments = await this.enrichAll(routed);
      const now = this.clock.now();
      const plans = routed.map((event, index) => planEvent(this.app, event, enrichments[index], now, this.enrichment.retryScheduleMs));
      // One transaction (one fsync) per batch.
      this.store.transaction(() => plans.forEach((plan) => writePlan(this.store, plan, now)));
      count += batch.length;
    }
    return count;
  }

  private nextBatch(): EventRow[] {
    const pending = this.store.sql.pendingEvents.all(BATCH);
    return pending.length < BATCH ? [...pending, ...this.store.sql.dueRetries.all(this.clock.now(), BATCH - pending.length)] : pending;
  }

  private async enrichAll(routed: RoutedEvent[]): Promise<Array<Map<string, Enrichment>>> {
    const results: Array<Map<string, Enrichment>> = routed.map(() => new Map());
    const needing = routed.map((event, index) => ({ event, index })).filter(({ event }) => !event.outcome && event.triggers.some((t) => this.app.modules.find((m) => m.name === t.module)?.communication));
    let next = 0;
    const worker = async () => {
      for (let item = needing[next++]; item; item = needing[next++]) results[item.index] = await enrichEvent(this.app, item.event, this.enrichment);
    };
    await Promise.all(Array.from({ length: Math.min(ENRICH_CONCURRENCY, needing.length) }, worker));
    return results;
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
