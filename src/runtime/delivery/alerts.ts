import { randomBytes } from 'node:crypto';
import { Dispatcher, fetch as undiciFetch } from 'undici';
import type { AppDefinition } from '../../definition/types';
import { catalogueEvent } from '../../mapping/route';
import type { Clock } from '../clock';
import { signMessage } from './deliverer';
import { newSigningSecret } from '../ids';
import type { DeliveryRow, EventRow, EventStatus } from '../store/rows';
import type { Store } from '../store/store';
import { USER_AGENT } from '../user-agent';

/** The operational messages an alert destination receives. */
export const ALERT_KINDS = ['delivery.failing', 'delivery.dead', 'delivery.recovered', 'drift.unknown_type', 'event.failed'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Where alerts go and how often; the dispatcher applies the destination policy. */
export interface AlertOptions {
  url: string;
  secret: string;
  dispatcher: Dispatcher;
  /** At most one message per kind and subject (a trigger, an event type) in this many ms. */
  intervalMs: number;
  /** Failed attempts in a row, over a trigger's deliveries, that make a `delivery.failing` message. */
  failingAfter: number;
  timeoutMs: number;
  onError: (error: unknown) => void;
}

/** The alert signing secret, made (and said to be new, to be shown once) on the first start with an alert URL. */
export function alertSecret(store: Store): { secret: string; created: boolean } {
  const kept = store.sql.setting.get('alert_secret')?.value;
  if (kept) return { secret: kept, created: false };
  const secret = newSigningSecret();
  store.sql.putSetting.run('alert_secret', secret);
  return { secret, created: true };
}

// Subjects remembered at most (per map): a runtime has a few triggers and types; the cap bounds a flood of invented ones.
const MAX_SUBJECTS = 10_000;

/**
 * Sends operational webhooks (Standard Webhooks, signed with the alert secret) as things happen, bounded to one
 * message per kind and subject per interval: a destination failing all day makes one `delivery.failing` and one
 * `delivery.dead` message an interval, each saying how many it stands for. Sending never blocks the caller.
 */
export class Alerter {
  private readonly lastSent = new Map<string, { at: number; suppressed: number }>();
  private readonly failuresInARow = new Map<string, number>();
  private readonly knownUnknownTypes = new Set<string>();
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly app: AppDefinition,
    private readonly clock: Clock,
    private readonly options: AlertOptions,
  ) {
    // Types already in the drift report were seen before this start: only a new one is news.
    for (const row of store.db.prepare<[], { type: string }>('SELECT DISTINCT type FROM drift_types').all()) this.knownUnknownTypes.add(row.type);
  }

  /** A delivery attempt's outcome (the deliverer calls this once the attempt is stored). */
  attempted(delivery: DeliveryRow, outcome: 'delivered' | 'retry' | 'dead', httpStatus: number | null, error: string | null): void {
    const trigger = this.store.sql.triggerById.get(delivery.trigger_id);
    const about = { trigger: delivery.trigger_id, module: trigger?.module ?? null, destination: trigger?.destination_url ?? null };
    const before = this.failuresInARow.get(delivery.trigger_id) ?? 0;
    if (outcome === 'delivered') {
      this.failuresInARow.delete(delivery.trigger_id);
      if (before >= this.options.failingAfter) this.send('delivery.recovered', delivery.trigger_id, { ...about, failuresBefore: before }, true);
      return;
    }
    const inARow = before + 1;
    this.remember(this.failuresInARow, delivery.trigger_id, inARow);
    if (inARow >= this.options.failingAfter) this.send('delivery.failing', delivery.trigger_id, { ...about, failuresInARow: inARow, status: httpStatus, error });
    if (outcome === 'dead') this.send('delivery.dead', delivery.trigger_id, { ...about, delivery: delivery.id, status: httpStatus, error });
  }

  /** An event's processing outcome. */
  processed(event: EventRow, status: EventStatus, error: string | null): void {
    const type = event.type ?? '';
    if (status === 'failed') this.send('event.failed', `${event.webhook_id} ${type}`, { webhook: event.webhook_id, event: event.id, type: event.type, error });
    if (!catalogueEvent(this.app, event.type) && !this.knownUnknownTypes.has(type) && this.knownUnknownTypes.size < MAX_SUBJECTS) {
      this.knownUnknownTypes.add(type);
      this.send('drift.unknown_type', type, { webhook: event.webhook_id, type: event.type, event: event.id });
    }
  }

  /** Waits for the messages being sent (for a clean shutdown and for tests). */
  async settle(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }

  // One message per kind and subject per interval; `always` (a recovery) is sent whatever the interval says.
  private send(kind: AlertKind, subject: string, data: Record<string, unknown>, always = false): void {
    const key = `${kind} ${subject}`;
    const now = this.clock.now();
    const last = this.lastSent.get(key);
    if (last && now - last.at < this.options.intervalMs && !always) {
      last.suppressed += 1;
      return;
    }
    this.remember(this.lastSent, key, { at: now, suppressed: 0 });
    const body = JSON.stringify({ type: kind, timestamp: new Date(now).toISOString(), data: { ...data, suppressedSinceLast: last?.suppressed ?? 0 } });
    const sent = this.post(body, now).catch(this.options.onError);
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
  }

  private async post(body: string, now: number): Promise<void> {
    const id = `msg_${randomBytes(12).toString('base64url')}`;
    const timestamp = Math.floor(now / 1000);
    const response = await undiciFetch(this.options.url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signMessage(this.options.secret, id, timestamp, body),
      },
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs),
      dispatcher: this.options.dispatcher,
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the alert destination answered HTTP ${response.status}`);
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    if (!map.has(key) && map.size >= MAX_SUBJECTS) map.delete(map.keys().next().value!);
    map.set(key, value);
  }
}
