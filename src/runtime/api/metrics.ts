import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppDefinition } from '../../definition/types';
import { driftReport } from '../drift/drift-report';
import { catalogueEvent } from '../../mapping/route';
import type { AttemptOutcome, EventStatus } from '../store/rows';
import type { Store } from '../store/store';

/**
 * The runtime's Prometheus metrics, in a registry of its own. Label values are bounded: webhooks and triggers are
 * the ones an admin made, and an event type is a catalogue name (or alias) or `unknown` (or `none`), never what a
 * sender wrote, so a stream of invented types cannot grow the series. Counters are counted as things happen;
 * gauges are read from the store when scraped.
 */
export class RuntimeMetrics {
  readonly registry = new Registry();
  private readonly received: Counter<'webhook' | 'type' | 'duplicate'>;
  private readonly processed: Counter<'webhook' | 'type' | 'status'>;
  private readonly ackSeconds: Histogram;
  private readonly attempts: Counter<'trigger' | 'outcome'>;

  constructor(
    store: Store,
    private readonly app: AppDefinition,
    now: () => number,
    driftEnabled: boolean,
  ) {
    const registers = [this.registry];
    this.received = new Counter({ name: 'plugnpaid_events_received_total', help: 'Webhook events acknowledged, by webhook, type and whether they were duplicates', labelNames: ['webhook', 'type', 'duplicate'], registers });
    this.processed = new Counter({ name: 'plugnpaid_events_processed_total', help: 'Processing outcomes (processed, unrouted, failed, retrying), by webhook and type', labelNames: ['webhook', 'type', 'status'], registers });
    this.ackSeconds = new Histogram({
      name: 'plugnpaid_ack_duration_seconds',
      help: 'Time from a webhook request arriving to its acknowledgement (the event committed)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.attempts = new Counter({ name: 'plugnpaid_delivery_attempts_total', help: 'Delivery attempts by trigger and outcome (delivered, retry, dead)', labelNames: ['trigger', 'outcome'], registers });
    const { sql } = store;
    const seconds = (at: number | undefined) => (at === undefined ? 0 : Math.max(0, (now() - at) / 1000));
    new Gauge({
      name: 'plugnpaid_processing_lag_seconds',
      help: 'Age of the oldest event waiting to be processed (0 when none waits)',
      registers,
      collect() {
        this.set(seconds(sql.oldestPendingEvent.get()?.received_at));
      },
    });
    new Gauge({
      name: 'plugnpaid_deliveries_open',
      help: 'Deliveries not delivered, by trigger and status (pending, dead, stopped: paused after a 410)',
      labelNames: ['trigger', 'status'],
      registers,
      collect() {
        this.reset();
        for (const row of sql.openDeliveryCounts.all()) this.set({ trigger: row.trigger_id, status: row.status }, row.count);
      },
    });
    new Gauge({
      name: 'plugnpaid_delivery_oldest_pending_seconds',
      help: 'Age of the oldest bundle waiting to be delivered (0 when none waits)',
      registers,
      collect() {
        this.set(seconds(sql.oldestPendingDelivery.get()?.created_at));
      },
    });
    if (!driftEnabled) return;
    new Gauge({
      name: 'plugnpaid_drift_findings',
      help: 'The drift report: unknown event types, payload fields no mapping reads, mapped fields never received, payload-schema violations',
      labelNames: ['kind'],
      registers,
      collect() {
        const report = driftReport(store, app);
        this.set({ kind: 'unknown_types' }, report.unknownTypes.length);
        this.set({ kind: 'unmapped_fields' }, report.unmappedFields.length);
        this.set({ kind: 'missing_fields' }, report.missingFields.length);
        this.set({ kind: 'payload_violations' }, report.payloadViolations.length);
      },
    });
  }

  /** An event acknowledged (stored, or recognised as a duplicate), `ms` after its request arrived. */
  acknowledged(webhook: string, type: string | null, duplicate: boolean, ms: number): void {
    const label = this.typeLabel(type);
    this.child(this.received, `${webhook} ${label} ${duplicate}`, () => ({ webhook, type: label, duplicate: String(duplicate) })).inc();
    this.ackSeconds.observe(ms / 1000);
  }

  /** An event's processing outcome, as stored. */
  processedAs(webhook: string, type: string | null, status: EventStatus): void {
    const label = this.typeLabel(type);
    this.child(this.processed, `${webhook} ${label} ${status}`, () => ({ webhook, type: label, status })).inc();
  }

  /** One delivery attempt's outcome. */
  attempted(trigger: string, outcome: Exclude<AttemptOutcome, 'replayed'>): void {
    this.child(this.attempts, `${trigger} ${outcome}`, () => ({ trigger, outcome })).inc();
  }

  /** The text a Prometheus server scrapes. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  // prom-client hashes the label object on every inc(); its child for a label set, kept once, does not.
  private readonly children = new Map<string, { inc(): void }>();
  private child<L extends string>(counter: Counter<L>, key: string, labels: () => Partial<Record<L, string>>): { inc(): void } {
    const id = `${counter === this.received ? 'r' : counter === this.processed ? 'p' : 'a'} ${key}`;
    let found = this.children.get(id);
    if (!found) this.children.set(id, (found = counter.labels(labels())));
    return found;
  }

  private typeLabel(type: string | null): string {
    if (type === null) return 'none';
    return catalogueEvent(this.app, type) ? type : 'unknown';
  }
}
