import type { AppDefinition } from '../../definition/types';
import type { ApiAccess } from '../../mapping/enrich';
import type { DriftBook } from '../drift/drift-book';
import { SearchIndex } from '../search/search-index';
import { Enrichment, enrichEvent, EventLimits, EventPlan, planEventYielding, QUARANTINE_REASON, routeEvents, writePlan } from './processor';
import type { RoutedEvent } from '../routing';
import type { EventRow, EventStatus, Store } from '../store/store';
import { timeSlicer, yieldToEventLoop } from '../time-slice';

// API requests in flight at once while enriching a batch: enough to hide latency, few enough for rate limits.
const ENRICH_CONCURRENCY = 4;

/** How processing reaches the platform API for modules that fetch their object, and how it retries. */
export interface EnrichmentOptions extends ApiAccess {
  retryScheduleMs: number[];
}

/**
 * The background pass after the acknowledgement: status, routing, drift, search terms, API answers and delivery
 * queueing for pending (and due retrying) events, in batches. None of it is needed to read an event's bundles
 * (they are derived from the raw event), and all of it can be derived again from the raw events, so its
 * transactions do not wait for the disk (see Store.backgroundTransaction): if the machine loses power before
 * a later commit reaches the disk, the events are simply still pending and are processed again, once, since a
 * batch's results and the events' new status commit together. A batch's processing attempt is recorded before
 * it starts, so events a crash interrupted are tried again one at a time, and one interrupted twice is set aside.
 */
export class BatchProcessor {
  /** The events of the batch under way that no crash interrupted before: reading their bundles meanwhile is safe. */
  readonly underWay = new Set<number>();
  private readonly search: SearchIndex;

  constructor(
    private readonly store: Store,
    private readonly app: AppDefinition,
    private readonly enrichment: EnrichmentOptions,
    private readonly limits: EventLimits,
    private readonly drift?: DriftBook,
    /** Told each event's processing outcome once it is written (metrics). */
    private readonly onProcessed?: (event: EventRow, status: EventStatus, error: string | null) => void,
    /** Resolves when intake's writer holds no write lock, so a batch's write never waits for an fsync on this thread. */
    private readonly writeTurn: () => Promise<void> = () => Promise.resolve(),
  ) {
    this.search = new SearchIndex(store);
  }

  /**
   * Processes until no pending or due event is left, as of `now`, in batches of `batchSize()` events, awaiting
   * `between` after each (the engine's way to leave the event loop to intake); resolves to how many were processed.
   */
  async run(now: number, between: () => Promise<void> = yieldToEventLoop, batchSize: () => number = () => 100): Promise<number> {
    let count = 0;
    for (let batch = this.nextBatch(now, batchSize()); batch.length > 0; batch = this.nextBatch(now, batchSize())) {
      await this.writeTurn();
      this.store.backgroundTransaction(() => batch.forEach((event) => this.store.sql.processingStarted.run(event.id)));
      for (const event of batch) if (event.processing_starts === 0) this.underWay.add(event.id);
      let plans: EventPlan[];
      try {
        plans = await this.processBatch(batch, now);
      } finally {
        this.underWay.clear();
      }
      plans.forEach((plan) => this.onProcessed?.(plan.event, plan.status, plan.error));
      count += batch.length;
      await between();
    }
    return count;
  }

  // Routes, enriches and plans a batch, then stores the outcome in one transaction.
  private async processBatch(batch: EventRow[], now: number): Promise<EventPlan[]> {
    const routed = routeEvents(this.store, this.app, batch);
    // API requests and mapping run before any transaction, so the write lock is held only for the writes.
    const enrichments = await this.enrichAll(routed);
    const plans = await this.planAll(routed, enrichments, now);
    await this.writeTurn();
    this.store.backgroundTransaction(() => {
      plans.forEach((plan, index) => {
        writePlan(this.store, plan, enrichments[index], now);
        this.search.indexOne(routed[index]);
      });
      this.drift?.record(routed.map((event, index) => ({ routed: event, conversions: plans[index].conversions })));
    });
    return plans;
  }

  private fetches(moduleName: string): boolean {
    return this.app.modules.find((module) => module.name === moduleName)?.communication !== undefined;
  }

  /**
   * Plans events one by one, yielding to the event loop during long mappings. Only each bundle's place is kept
   * (its delivery is queued by it): its bytes are derived again when read or first sent.
   */
  private async planAll(routed: RoutedEvent[], enrichments: Array<Map<string, Enrichment>>, now: number): Promise<EventPlan[]> {
    const pause = timeSlicer();
    const plans: EventPlan[] = [];
    for (const [index, event] of routed.entries()) {
      const plan = await planEventYielding(this.app, event, enrichments[index], now, { retryScheduleMs: this.enrichment.retryScheduleMs, limits: this.limits, pause });
      plans.push({ ...plan, bundles: plan.bundles.map((bundle) => ({ ...bundle, data: '', errors: '' })) });
    }
    return plans;
  }

  /** Events interrupted by a crash come first and alone (so a second crash blames only its event); then pending and due ones. */
  private nextBatch(now: number, size: number): EventRow[] {
    const { sql } = this.store;
    for (let interrupted = sql.interruptedEvent.get(); interrupted; interrupted = sql.interruptedEvent.get()) {
      if (interrupted.processing_starts < 2) return [interrupted];
      const routing = JSON.stringify({ reason: QUARANTINE_REASON, triggers: [] });
      // Its deliveries are queued only with its status, so a crash never left part of them behind.
      this.store.transaction(() => sql.quarantineEvent.run(routing, QUARANTINE_REASON, now, interrupted.id));
      this.onProcessed?.(interrupted, 'failed', QUARANTINE_REASON);
    }
    const pending = sql.pendingEvents.all(size);
    return pending.length < size ? [...pending, ...sql.dueRetries.all(now, size - pending.length)] : pending;
  }
  private async enrichAll(routed: RoutedEvent[]): Promise<Array<Map<string, Enrichment>>> {
    const results: Array<Map<string, Enrichment>> = routed.map(() => new Map());
    const fetches = (event: RoutedEvent) => !event.outcome && event.triggers.some((trigger) => this.fetches(trigger.module));
    const needing = routed.map((event, index) => ({ event, index })).filter(({ event }) => fetches(event));
    let next = 0;
    const worker = async () => {
      for (let item = needing[next++]; item; item = needing[next++]) results[item.index] = await enrichEvent(this.app, item.event, this.enrichment);
    };
    await Promise.all(Array.from({ length: Math.min(ENRICH_CONCURRENCY, needing.length) }, worker));
    return results;
  }
}
