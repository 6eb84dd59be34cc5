import { createHmac } from 'node:crypto';
import type { Clock } from './clock';
import type { DeliveryRow, Store } from './store/store';

/** Delivery settings: the retry schedule (ms before attempt n+1 after n failures), timeouts and caps. */
export interface DeliveryOptions {
  schedule: number[];
  timeoutMs: number;
  maxResponseBytes: number;
  concurrency: number;
  fetch?: typeof fetch;
  random?: () => number;
}

/** Plug&Paid-like default: about 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_SCHEDULE_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** The Standard Webhooks v1 signature of a message: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signMessage(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Forwards bundles to trigger destinations, oldest first per trigger, with retries and dead letters. */
export class Deliverer {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: DeliveryOptions,
  ) {}

  private inflight: Promise<number> | undefined;

  /** Attempts every due head-of-line delivery once; runs never overlap, so no delivery is sent twice at once. */
  async runDue(): Promise<number> {
    while (this.inflight) await this.inflight.catch(() => undefined);
    this.inflight = this.attemptDue();
    try {
      return await this.inflight;
    } finally {
      this.inflight = undefined;
    }
  }

  private async attemptDue(): Promise<number> {
    const now = this.clock.now();
    const due = this.store.sql.headDeliveries.all().filter((delivery) => (delivery.next_attempt_at ?? 0) <= now);
    for (let i = 0; i < due.length; i += this.options.concurrency) {
      await Promise.all(due.slice(i, i + this.options.concurrency).map((delivery) => this.attempt(delivery)));
    }
    return due.length;
  }

  /** When the next head-of-line delivery falls due (epoch ms), if any. */
  nextDueAt(): number | undefined {
    const times = this.store.sql.headDeliveries.all().map((delivery) => delivery.next_attempt_at ?? 0);
    return times.length ? Math.min(...times) : undefined;
  }

  private async attempt(delivery: DeliveryRow): Promise<void> {
    const trigger = this.store.sql.triggerById.get(delivery.trigger_id);
    const bundle = this.store.sql.bundleById.get(delivery.bundle_id);
    if (!trigger || !bundle || !trigger.destination_url || !trigger.signing_secret) {
      this.record(delivery, 'dead', null, 'the trigger or its destination no longer exists', null);
      return;
    }
    const timestamp = Math.floor(this.clock.now() / 1000);
    const body = bundle.data;
    const outcome = await this.post(trigger.destination_url, body, {
      'content-type': 'application/json',
      'webhook-id': delivery.message_id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signMessage(trigger.signing_secret, delivery.message_id, timestamp, body),
    });
    if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
      this.record(delivery, 'delivered', outcome.status, null, null);
    } else if (outcome.status === 410) {
      this.store.transaction(() => {
        this.record(delivery, 'stopped', 410, 'the destination answered 410 Gone: deliveries for this trigger are stopped', null);
        this.store.sql.stopTrigger.run('destination answered 410 Gone', trigger.id);
        this.store.sql.stopPending.run(this.clock.now(), trigger.id);
      });
    } else {
      const attempts = delivery.attempts + 1;
      if (attempts >= this.options.schedule.length) {
        this.record(delivery, 'dead', outcome.status ?? null, outcome.error, null);
      } else {
        const jittered = this.options.schedule[attempts] * (0.8 + 0.4 * (this.options.random ?? Math.random)());
        const wait = Math.max(jittered, outcome.retryAfterMs ?? 0);
        this.record(delivery, 'pending', outcome.status ?? null, outcome.error, this.clock.now() + wait);
      }
    }
  }

  private record(delivery: DeliveryRow, status: DeliveryRow['status'], httpStatus: number | null, error: string | null, nextAt: number | null): void {
    const now = this.clock.now();
    this.store.sql.updateDelivery.run(status, delivery.attempts + 1, nextAt, httpStatus, error, status === 'delivered' ? now : null, now, delivery.id);
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<{ status?: number; error: string; retryAfterMs?: number }> {
    try {
      const response = await (this.options.fetch ?? fetch)(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'manual' });
      await this.drain(response);
      return { status: response.status, error: `HTTP ${response.status}`, retryAfterMs: retryAfter(response.headers.get('retry-after'), this.clock.now()) };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { error: (error as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : `network error: ${cause ?? (error as Error).message}` };
    }
  }

  // Reads at most maxResponseBytes so a huge or endless answer cannot hold the deliverer.
  private async drain(response: Response): Promise<void> {
    if (!response.body) return;
    const reader = response.body.getReader();
    let read = 0;
    while (read < this.options.maxResponseBytes) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.length;
    }
    await reader.cancel();
  }
}

/** Retry-After as milliseconds from now (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
