import type { AppDefinition } from '../definition/types';
import type { ApiAccess } from '../mapping/enrich';
import type { DriftBook } from './drift/drift-book';
import { Enrichment, enrichEvent, planEvent, RoutedEvent, routeEvents, writePlan } from './processor';
import type { StoredEvent } from './events';
import { SearchIndex } from './search/search-index';
import type { EventRow, Store } from './store/store';

const BATCH = 100;
// Events up to this size are processed in the transaction that stores them. Larger ones (rare: orders with
// hundreds of lines) go to the background, where processing yields and a crash is quarantined.
const ON_STORE_MAX_BYTES = 64 * 1024;
// API requests in flight at once while enriching a batch: enough to hide latency, few enough for rate limits.
const ENRICH_CONCURRENCY = 4;

/** How processing reaches the platform API for modules that fetch their object, and how it retries. */
export interface EnrichmentOptions extends ApiAccess {
  retryScheduleMs: number[];
}

/** Processes pending (and due retrying) events in batches of one transaction each. */
export class BatchProcessor {
  private readonly search: SearchIndex;

  constructor(
    private readonly store: Store,
    private readonly app: AppDefinition,
    private readonly enrichment: EnrichmentOptions,
    private readonly drift?: DriftBook,
  ) {
    this.search = new SearchIndex(store);
  }

  /** Processes until no pending or due event is left, as of `now`; resolves to how many were processed. */
  async run(now: number): Promise<number> {
    let count = 0;
    for (let batch = this.nextBatch(now); batch.length > 0; batch = this.nextBatch(now)) {
      const routed = routeEvents(this.store, this.app, batch);
      // API requests and mapping run before the transaction, so the write lock is held only for the writes.
      const enrichments = await this.enrichAll(routed);
      const plans = routed.map((event, index) => planEvent(this.app, event, enrichments[index], now, this.enrichment.retryScheduleMs));
      // One transaction (one fsync) per batch.
      this.store.transaction(() => {
        plans.forEach((plan) => writePlan(this.store, plan, now));
        this.search.index(routed);
        this.drift?.record(routed.map((event) => ({ routed: event })));
      });
      count += batch.length;
    }
    return count;
  }

  /**
   * Processes just-stored events inside their storing transaction, from the body parsed at intake, so one commit
   * covers the event and its bundles and the body is neither read back nor parsed again. Events that are large,
   * whose triggers fetch from the API, or whose planning throws stay pending for \`run\`. Answers whether the
   * background engine has work (such events, or deliveries to send).
   */
  processOnStore(events: StoredEvent[], now: number): boolean {
    const eligible = events.filter((event) => event.parsed !== undefined && event.body.length <= ON_STORE_MAX_BYTES);
    const rows = eligible.map((event): EventRow => ({
      id: event.id, webhook_id: event.webhookId, body_hash: '', body: event.body, type: event.type, status: 'pending',
      routing: null, error: null, received_at: event.receivedAt, processed_at: null, attempts: 0, retry_at: null,
    }));
    let background = eligible.length < events.length;
    const processed: Array<{ routed: RoutedEvent; parsed: unknown }> = [];
    routeEvents(this.store, this.app, rows, eligible.map((event) => event.parsed)).forEach((routed, index) => {
      if (!routed.outcome && routed.triggers.some((trigger) => this.fetches(trigger.module))) {
        background = true;
        return;
      }
      let plan;
      try {
        plan = planEvent(this.app, routed, new Map(), now, this.enrichment.retryScheduleMs);
      } catch {
        background = true;
        return;
      }
      writePlan(this.store, plan, now);
      this.search.indexOne(routed, eligible[index].parsed);
      processed.push({ routed, parsed: eligible[index].parsed });
      if (plan.bundles.some((bundle) => bundle.trigger.destination_url)) background = true;
    });
    this.drift?.record(processed);
    return background;
  }

  private fetches(moduleName: string): boolean {
    return this.app.modules.find((module) => module.name === moduleName)?.communication !== undefined;
  }

  private nextBatch(now: number): EventRow[] {
    const pending = this.store.sql.pendingEvents.all(BATCH);
    return pending.length < BATCH ? [...pending, ...this.store.sql.dueRetries.all(now, BATCH - pending.length)] : pending;
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
