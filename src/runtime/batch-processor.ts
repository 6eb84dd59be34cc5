import type { Statement } from 'better-sqlite3';
import type { AppDefinition } from '../definition/types';
import type { SchemaViolation } from '../mapping/bundle-validator';
import type { ApiAccess } from '../mapping/enrich';
import type { DriftBook } from './drift/drift-book';
import type { StoredEvent } from './events';
import { SearchIndex } from './search/search-index';
import { Enrichment, enrichEvent, EventLimits, finishPlan, planEvent, planEventYielding, RoutedEvent, routeEvents, writeBundle, writePlan } from './processor';
import type { EventRow, EventStatus, Store } from './store/store';
import { timeSlicer, yieldToEventLoop } from './time-slice';

const BATCH = 100;
// Events up to this size are processed in the transaction that stores them. Larger ones (rare: orders with
// hundreds of lines) go to the background, where processing yields and a crash is quarantined.
const ON_STORE_MAX_BYTES = 64 * 1024;
// What processing on store may make: a few milliseconds of mapping. An event that would make more (one bundle
// per line of a long order) is left to the background, which yields and applies the configured limits.
const ON_STORE_LIMITS: EventLimits = { maxBundles: 100, maxBytes: 256 * 1024 };
// API requests in flight at once while enriching a batch: enough to hide latency, few enough for rate limits.
const ENRICH_CONCURRENCY = 4;
// Bundle bytes per write transaction: small events share one transaction (one fsync) per batch, a large one is
// written in several, with the event loop free between them.
const WRITE_CHUNK_BYTES = 1024 * 1024;
/** The reason an event is set aside with after it was being processed during two crashes (its partial bundles removed). */
export const QUARANTINE_REASON = 'processing did not finish twice; replay to try again';

/** How processing reaches the platform API for modules that fetch their object, and how it retries. */
export interface EnrichmentOptions extends ApiAccess {
  retryScheduleMs: number[];
}

/**
 * Processes pending (and due retrying) events in batches. Each batch's processing attempt is recorded before it
 * starts, so events a crash interrupted are tried again one at a time, and one interrupted twice is set aside.
 */
export class BatchProcessor {
  private readonly search: SearchIndex;
  private readonly withdrawBundles: Statement[];

  constructor(
    private readonly store: Store,
    private readonly app: AppDefinition,
    private readonly enrichment: EnrichmentOptions,
    private readonly limits: EventLimits,
    private readonly drift?: DriftBook,
    /** Told each event's processing outcome once it is written (metrics). */
    private readonly onProcessed?: (event: EventRow, status: EventStatus, error: string | null) => void,
  ) {
    this.search = new SearchIndex(store);
    this.withdrawBundles = [
      'DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT d.id FROM deliveries d JOIN bundles b ON b.id = d.bundle_id WHERE b.event_id = ?)',
      'DELETE FROM deliveries WHERE bundle_id IN (SELECT id FROM bundles WHERE event_id = ?)',
      'DELETE FROM bundles WHERE event_id = ?',
    ].map((statement) => store.db.prepare(statement));
  }

  /** Processes until no pending or due event is left, as of `now`; resolves to how many were processed. */
  async run(now: number): Promise<number> {
    let count = 0;
    for (let batch = this.nextBatch(now); batch.length > 0; batch = this.nextBatch(now)) {
      this.store.transaction(() => batch.forEach((event) => this.store.sql.processingStarted.run(event.id)));
      const routed = routeEvents(this.store, this.app, batch);
      // API requests and mapping run before any transaction, so the write lock is held only for the writes.
      const enrichments = await this.enrichAll(routed);
      await this.planAndWrite(routed, enrichments, now);
      count += batch.length;
    }
    return count;
  }

  /**
   * Processes just-stored events inside their storing transaction, from the body parsed at intake, so one commit
   * covers the event and its bundles and the body is neither read back nor parsed again. Events that are large,
   * whose triggers fetch from the API, that would make more than a little, or whose planning throws stay pending
   * for `run`. Answers whether the background engine has work (such events, or deliveries to send).
   */
  processOnStore(events: StoredEvent[], now: number): boolean {
    const eligible = events.filter((event) => event.parsed !== undefined && event.body.length <= ON_STORE_MAX_BYTES);
    const rows = eligible.map((event): EventRow => ({
      id: event.id, webhook_id: event.webhookId, body_hash: '', body: event.body, type: event.type, status: 'pending',
      routing: null, error: null, received_at: event.receivedAt, processed_at: null, attempts: 0, retry_at: null, processing_starts: 0,
    }));
    let background = eligible.length < events.length;
    const processed: Array<{ routed: RoutedEvent; parsed: unknown; conversions: SchemaViolation[] }> = [];
    // Past the smaller limits, the background plans again, under the configured ones, and says which was passed.
    const onStore = { maxBundles: Math.min(ON_STORE_LIMITS.maxBundles, this.limits.maxBundles), maxBytes: Math.min(ON_STORE_LIMITS.maxBytes, this.limits.maxBytes) };
    routeEvents(this.store, this.app, rows, eligible.map((event) => event.parsed)).forEach((routed, index) => {
      if (!routed.outcome && routed.triggers.some((trigger) => this.fetches(trigger.module))) {
        background = true;
        return;
      }
      let plan;
      try {
        plan = planEvent(this.app, routed, new Map(), now, { retryScheduleMs: this.enrichment.retryScheduleMs, limits: onStore });
      } catch {
        background = true;
        return;
      }
      if (plan.limited) {
        background = true;
        return;
      }
      writePlan(this.store, plan, now);
      this.onProcessed?.(plan.event, plan.status, plan.error);
      this.search.indexOne(routed, eligible[index].parsed);
      processed.push({ routed, parsed: eligible[index].parsed, conversions: plan.conversions });
      if (plan.bundles.some((bundle) => bundle.trigger.destination_url)) background = true;
    });
    this.drift?.record(processed);
    return background;
  }

  private fetches(moduleName: string): boolean {
    return this.app.modules.find((module) => module.name === moduleName)?.communication !== undefined;
  }

  /**
   * Plans events one by one (yielding to the event loop during long mappings) and writes them in transactions of
   * about WRITE_CHUNK_BYTES, so a batch never holds more than about one chunk plus one event's limit in memory.
   */
  private async planAndWrite(routed: RoutedEvent[], enrichments: Array<Map<string, Enrichment>>, now: number): Promise<void> {
    const pause = timeSlicer();
    let chunk: Array<() => void> = [];
    let bytes = 0;
    const commit = async () => {
      const work = chunk;
      chunk = [];
      bytes = 0;
      this.store.transaction(() => work.forEach((write) => write()));
      await yieldToEventLoop();
    };
    for (const [index, event] of routed.entries()) {
      const plan = await planEventYielding(this.app, event, enrichments[index], now, { retryScheduleMs: this.enrichment.retryScheduleMs, limits: this.limits, pause });
      for (const bundle of plan.bundles) {
        chunk.push(() => writeBundle(this.store, plan.event.id, bundle, now));
        bytes += bundle.data.length;
        if (bytes >= WRITE_CHUNK_BYTES) await commit();
      }
      chunk.push(() => {
        finishPlan(this.store, plan, now);
        this.onProcessed?.(plan.event, plan.status, plan.error);
        this.search.indexOne(event);
        this.drift?.record([{ routed: event, conversions: plan.conversions }]);
      });
    }
    if (chunk.length > 0) await commit();
  }

  /** Events interrupted by a crash come first and alone (so a second crash blames only its event); then pending and due ones. */
  private nextBatch(now: number): EventRow[] {
    const { sql } = this.store;
    for (let interrupted = sql.interruptedEvent.get(); interrupted; interrupted = sql.interruptedEvent.get()) {
      if (interrupted.processing_starts < 2) return [interrupted];
      const routing = JSON.stringify({ reason: QUARANTINE_REASON, triggers: [] });
      const { id } = interrupted;
      // The bundles the crashed attempts wrote are part of an order only: they go, with their deliveries, so no
      // puller or destination gets a partial order from now on. A replay makes them all again (same webhook-ids).
      this.store.transaction(() => {
        for (const statement of this.withdrawBundles) statement.run(id);
        sql.quarantineEvent.run(routing, QUARANTINE_REASON, now, id);
      });
      this.onProcessed?.(interrupted, 'failed', QUARANTINE_REASON);
    }
    const pending = sql.pendingEvents.all(BATCH);
    return pending.length < BATCH ? [...pending, ...sql.dueRetries.all(now, BATCH - pending.length)] : pending;
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
