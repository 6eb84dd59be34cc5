import type { Statement } from 'better-sqlite3';
import type { AppDefinition } from '../../definition/types';
import { Enrichment, EventLimits, eventPlace, planEvent, QUARANTINE_REASON, routeEvent } from './processor';
import type { RoutedTrigger } from '../routing';
import type { EventRow, Store, TriggerRow } from '../store/store';

/** One bundle as derived from its stored event: `data` and `errors` are JSON text, ready to send or list. */
export interface DerivedBundle {
  eventId: number;
  /** The event's place in pull order (its id, or where a replay put it). */
  place: number;
  receivedAt: number;
  triggerId: string;
  seq: number;
  data: string;
  errors: string;
}

/** Where a puller is: after bundle `seq` of the event at `place` (a whole event when `seq` is Infinity). */
export interface BundleCursor {
  place: number;
  seq: number;
}

/** A page of derived bundles; `next` is the cursor of the last one (or the one given). */
export interface BundlePage {
  bundles: DerivedBundle[];
  next: string;
  hasMore: boolean;
}

/** The cursor of a bundle: `<place>:<seq>`. */
export function bundleCursor(bundle: Pick<DerivedBundle, 'place' | 'seq'>): string {
  return `${bundle.place}:${bundle.seq}`;
}

// A listed bundle's bytes besides its data and errors (id, event, trigger, position, validity, time).
const ITEM_OVERHEAD = 200;

// Events read per query while filling a page; what a page reads past its end is read again by the next one. Reading
// `limit + 1` at once read 1.9 events per bundle of small bundles (the cursor's own event comes first, so the
// last bundle took a second read of `limit + 1`) and 1.4 of 5 KB sales (their page ends at its byte budget, about
// 750 bundles in); batches of 100 read 1.1 in both, and cost 10 µs less per bundle of small ones.
const READ_BATCH = 100;

const RETRY_ANSWER: Enrichment = { ok: false, error: 'not fetched yet' };

/**
 * Derives bundles from stored events on read: a trigger's bundles are a pure function of the raw event, the API
 * answers kept with it, the app definition and the trigger's parameters, so nothing derived is stored and a
 * catalogue or mapping change applies to every later read. An event still being processed, or whose module's
 * API answer is not fetched yet, is not ready: a page stops before it, so a cursor never passes it.
 */
export class BundleReader {
  private readonly afterPlace: Statement<[string, number, string, number], EventRow>;
  private readonly replayedAfter: Statement<[string, number, string, number], EventRow>;
  private readonly watchedTypes = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly app: AppDefinition,
    private readonly limits: EventLimits,
    /** Whether an event is in the background batch under way (started by this process, not after a crash). */
    private readonly underWay: (eventId: number) => boolean = () => false,
  ) {
    const columns = 'SELECT e.*, b.body FROM events e JOIN event_bodies b ON b.event_id = e.id';
    const watched = 'e.type IN (SELECT value FROM json_each(?))';
    this.afterPlace = store.db.prepare(`${columns} WHERE e.webhook_id = ? AND e.id > ? AND e.pull_order IS NULL AND ${watched} ORDER BY e.id LIMIT ?`);
    this.replayedAfter = store.db.prepare(`${columns} WHERE e.webhook_id = ? AND e.pull_order > ? AND ${watched} ORDER BY e.pull_order LIMIT ?`);
  }

  /** Every bundle the event's triggers make of it (for the event's detail), or null while it is not ready. */
  ofEvent(event: EventRow): DerivedBundle[] | null {
    const triggers = this.store.sql.triggersOf.all(event.webhook_id).map(withValues);
    return this.derive(event, triggers);
  }

  /**
   * The JSON of the bundle at `seq` a trigger makes of an event (a delivery's first attempt): null when it no
   * longer makes one, undefined while the event is not ready.
   */
  one(event: EventRow, trigger: TriggerRow, seq: number): string | null | undefined {
    const derived = this.derive(event, [withValues(trigger)]);
    if (derived === null) return undefined;
    return derived.find((bundle) => bundle.seq === seq)?.data ?? null;
  }

  /** Up to `limit` bundles of a trigger after `cursor`, in pull order, stopping before an event that is not ready. */
  page(trigger: TriggerRow, cursor: BundleCursor, limit: number, maxBytes: number): BundlePage {
    const routed = [withValues(trigger)];
    const types = this.typesWatchedBy(trigger.module);
    const bundles: DerivedBundle[] = [];
    let bytes = 0;
    // The cursor's own event is read again when some of its bundles are still to come.
    const from = Math.max(cursor.place - (Number.isFinite(cursor.seq) ? 1 : 0), trigger.from_event);
    let place = from;
    for (;;) {
      const events = this.eventsAfter(trigger.webhook_id, place, types, READ_BATCH);
      for (const event of events) {
        place = eventPlace(event);
        const derived = this.derive(event, routed);
        if (derived === null) return { bundles, next: this.nextOf(bundles, cursor), hasMore: false };
        for (const bundle of derived) {
          if (bundle.place === cursor.place && bundle.seq <= cursor.seq) continue;
          const size = bundle.data.length + bundle.errors.length + ITEM_OVERHEAD;
          if (bundles.length === limit || (bundles.length > 0 && bytes + size > maxBytes)) {
            return { bundles, next: this.nextOf(bundles, cursor), hasMore: true };
          }
          bundles.push(bundle);
          bytes += size;
        }
      }
      if (events.length < READ_BATCH) return { bundles, next: this.nextOf(bundles, cursor), hasMore: false };
    }
  }

  private nextOf(bundles: DerivedBundle[], cursor: BundleCursor): string {
    if (bundles.length > 0) return bundleCursor(bundles[bundles.length - 1]);
    return Number.isFinite(cursor.seq) ? bundleCursor(cursor) : String(cursor.place);
  }

  // Events in pull order after `place`: those never replayed by id, those replayed by their new place, merged.
  private eventsAfter(webhookId: string, place: number, types: string, limit: number): EventRow[] {
    const byId = this.afterPlace.all(webhookId, place, types, limit);
    const replayed = this.replayedAfter.all(webhookId, place, types, limit);
    if (replayed.length === 0) return byId;
    return [...byId, ...replayed].sort((a, b) => eventPlace(a) - eventPlace(b)).slice(0, limit);
  }

  // The raw event types (aliases included) whose catalogue entry a module watches, as a JSON array for SQL.
  private typesWatchedBy(module: string): string {
    let types = this.watchedTypes.get(module);
    if (types === undefined) {
      const raw = Object.entries(this.app.eventAliases).filter(([, canonical]) => this.app.events[canonical]?.modules.includes(module)).map(([type]) => type);
      this.watchedTypes.set(module, (types = JSON.stringify(raw)));
    }
    return types;
  }

  private derive(event: EventRow, triggers: RoutedTrigger[]): DerivedBundle[] | null {
    // An event a crash interrupted (waiting to be tried alone, or being tried) is not read: reading it could be
    // what crashed the runtime. One set aside after two crashes makes no bundles.
    if (event.processing_starts > 0 && !this.underWay(event.id)) return null;
    if (event.status === 'failed' && event.error === QUARANTINE_REASON) return [];
    const routed = routeEvent(this.app, event, () => triggers, undefined);
    if (routed.outcome) return [];
    const enrichments = new Map<string, Enrichment>();
    const fetching = routed.triggers.filter((trigger) => this.fetches(trigger.module));
    if (fetching.length > 0) {
      const answers = new Map(this.store.sql.fetchesOfEvent.all(event.id).map((row) => [row.trigger_id, row.response]));
      const waiting = event.status === 'pending' || event.status === 'retrying';
      for (const trigger of fetching) {
        const answer = answers.get(trigger.id);
        if (answer !== undefined) enrichments.set(trigger.id, { ok: true, response: JSON.parse(answer) as unknown });
        else if (waiting) return null;
        else enrichments.set(trigger.id, RETRY_ANSWER);
      }
    }
    const plan = planEvent(this.app, routed, enrichments, event.received_at, { retryScheduleMs: [], limits: this.limits });
    const place = eventPlace(event);
    return plan.bundles.map((bundle) => ({
      eventId: event.id,
      place,
      receivedAt: event.received_at,
      triggerId: bundle.trigger.id,
      seq: bundle.seq,
      data: bundle.data,
      errors: bundle.errors,
    }));
  }

  private fetches(moduleName: string): boolean {
    return this.app.modules.find((module) => module.name === moduleName)?.communication !== undefined;
  }
}

function withValues(trigger: TriggerRow): RoutedTrigger {
  return { ...trigger, values: JSON.parse(trigger.parameters) as Record<string, unknown> };
}
