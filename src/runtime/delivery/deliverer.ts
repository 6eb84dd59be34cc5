import { createHmac } from 'node:crypto';
import { Dispatcher, fetch as undiciFetch } from 'undici';
import type { Clock } from '../clock';
import { answerReason, ANSWER_EXCERPT_BYTES, verdictFor } from './delivery-verdict';
import { DestinationRefusedError } from './destination-policy';
import type { DeliveryRow, Store, TriggerRow } from '../store/store';
import { USER_AGENT } from '../user-agent';

/** Delivery settings: the retry schedule (ms before attempt n+1 after n failures), timeouts and caps. */
export interface DeliveryOptions {
  schedule: number[];
  timeoutMs: number;
  maxResponseBytes: number;
  /** Deliveries in flight at once, over all triggers (each trigger has at most one). */
  concurrency: number;
  /** The undici dispatcher that connects to destinations (it enforces the destination policy). */
  dispatcher: Dispatcher;
  random?: () => number;
  /** Called when a delivery attempt throws (a store error); the attempt is tried again later. */
  onError?: (error: unknown) => void;
  /**
   * The bundle a delivery sends, derived from its stored event: null when the trigger no longer makes it (the
   * mapping changed), undefined while the event is being processed again.
   */
  bundleOf: (delivery: DeliveryRow, trigger: TriggerRow) => string | null | undefined;
  /** Called with each attempt's outcome once it is stored (metrics, alerts). */
  onAttempt?: (delivery: DeliveryRow, outcome: 'delivered' | 'retry' | 'dead', httpStatus: number | null, error: string | null) => void;
}

// How long a delivery waits when its event is being processed again (a replay) before it is derived.
const NOT_READY_WAIT_MS = 1000;

/** The longest a destination's Retry-After can park a delivery beyond the next scheduled retry. */
export const RETRY_AFTER_CAP_MS = 3_600_000;


/** The Standard Webhooks v1 signature of a message: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signMessage(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * Forwards bundles to trigger destinations: oldest first and one in flight per trigger (so each trigger keeps
 * its order), triggers side by side up to `concurrency`, with retries by the answer's status (delivery-verdict.ts)
 * and dead letters; a permanent failure is dead at once, so it never holds up the trigger's later bundles. A slow or hanging
 * destination holds only its own trigger; nothing here is awaited by event processing.
 */
export class Deliverer {
  private readonly inflight = new Map<string, Promise<void>>();
  /** When each paced trigger may start its next delivery (epoch ms): its destination's maxPerSecond. */
  private readonly pacedUntil = new Map<string, number>();
  private started = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: DeliveryOptions,
  ) {}

  /** Starts every due head-of-line delivery whose trigger has none in flight, within the cap; returns how many. */
  pump(now = this.clock.now()): number {
    let count = 0;
    for (const delivery of this.store.sql.headDeliveries.all()) {
      if (this.inflight.size >= this.options.concurrency) break;
      if (this.inflight.has(delivery.trigger_id) || this.dueAt(delivery) > now) continue;
      // A paced trigger waits for its turn without holding a slot, so other triggers go on.
      if (delivery.max_per_second) this.pacedUntil.set(delivery.trigger_id, now + 1000 / delivery.max_per_second);
      else this.pacedUntil.delete(delivery.trigger_id);
      const run = this.attempt(delivery)
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.inflight.delete(delivery.trigger_id);
          // The trigger's next bundle (or another trigger's, waiting for a free slot) may be due already.
          this.pumpThenWake(delivery.trigger_id);
        });
      this.inflight.set(delivery.trigger_id, run);
      count += 1;
    }
    this.started += count;
    return count;
  }

  /** Starts what is due and waits until no delivery is in flight; resolves to how many attempts were made. */
  async runDue(): Promise<number> {
    const before = this.started;
    this.pump();
    while (this.inflight.size > 0) await Promise.race(this.inflight.values());
    return this.started - before;
  }

  private closed = false;

  /** Starts nothing more and waits for the attempts in flight. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.inflight.size > 0) await Promise.race(this.inflight.values());
  }

  /** When the next head-of-line delivery of a trigger with none in flight falls due (epoch ms), if any. */
  nextDueAt(): number | undefined {
    const times = this.store.sql.headDeliveries
      .all()
      .filter((delivery) => !this.inflight.has(delivery.trigger_id))
      .map((delivery) => this.dueAt(delivery));
    return times.length ? Math.min(...times) : undefined;
  }

  // A paced trigger's next bundle falls due between the engine's passes: without a wake-up it would wait for the
  // engine's idle poll (a second), and a pace above one a second would not be kept.
  // Both at one instant: a timer can fire a millisecond before the clock reaches the pace, and a pump that found
  // the bundle not yet due followed by a wake-up that found the pace passed lost the trigger until the engine's
  // next idle poll, a second later.
  private pumpThenWake(triggerId: string): void {
    if (this.closed) return;
    const now = this.clock.now();
    this.pump(now);
    this.wakeAtPace(triggerId, now);
  }

  private wakeAtPace(triggerId: string, now: number): void {
    const at = this.pacedUntil.get(triggerId);
    if (at === undefined || this.inflight.has(triggerId) || at <= now) return;
    setTimeout(() => this.pumpThenWake(triggerId), at - now).unref();
  }

  // The later of the delivery's own time and its trigger's pacing.
  private dueAt(delivery: DeliveryRow): number {
    return Math.max(delivery.next_attempt_at ?? 0, this.pacedUntil.get(delivery.trigger_id) ?? 0);
  }

  private async attempt(delivery: DeliveryRow): Promise<void> {
    const trigger = this.store.sql.triggerById.get(delivery.trigger_id);
    if (!trigger || !trigger.destination_url || !trigger.signing_secret) {
      this.record(delivery, 'dead', null, 'the trigger or its destination no longer exists', null);
      return;
    }
    const body = this.fixedBody(delivery, trigger);
    if (body === undefined) {
      this.record(delivery, 'pending', null, 'its event is being processed again; tried again shortly', this.clock.now() + NOT_READY_WAIT_MS);
      return;
    }
    if (body === null) {
      this.record(delivery, 'dead', null, `the trigger no longer makes bundle ${delivery.seq} of event ${delivery.event_id} (its mapping or parameters changed)`, null);
      return;
    }
    const timestamp = Math.floor(this.clock.now() / 1000);
    const outcome = await this.post(trigger.destination_url, body, {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': delivery.message_id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signMessage(trigger.signing_secret, delivery.message_id, timestamp, body),
    });
    // The policy does not change between attempts: a refused destination waits as a dead letter for a replay.
    const verdict = outcome.refused ? 'permanent' : verdictFor(outcome.status);
    const status = outcome.status ?? null;
    if (verdict === 'delivered') {
      this.record(delivery, 'delivered', status, null, null);
    } else if (verdict === 'permanent') {
      this.record(delivery, 'dead', status, outcome.error, null);
    } else if (verdict === 'gone') {
      this.store.transaction(() => {
        this.record(delivery, 'dead', status, `${outcome.error} (410 Gone: the trigger is paused until a delivery is replayed)`, null);
        this.store.sql.stopTrigger.run('destination answered 410 Gone', trigger.id);
        this.store.sql.stopPending.run(this.clock.now(), trigger.id);
      });
    } else {
      const attempts = delivery.attempts + 1 - delivery.round_start;
      if (attempts >= this.options.schedule.length) {
        this.record(delivery, 'dead', status, outcome.error, null);
      } else {
        const jittered = this.options.schedule[attempts] * (0.8 + 0.4 * (this.options.random ?? Math.random)());
        const wait = retryWait(jittered, outcome.retryAfterMs, this.options.schedule.slice(attempts));
        this.record(delivery, 'pending', status, outcome.error, this.clock.now() + wait);
      }
    }
  }

  // The first attempt fixes the bytes (stored before they are sent), so every retry sends the same body under the
  // same webhook-id, whatever happens to the mapping meanwhile. Without its own fsync: the attempt's record, a
  // FULL commit, makes it durable; before that record a lost write only means deriving the same bytes again.
  private fixedBody(delivery: DeliveryRow, trigger: TriggerRow): string | null | undefined {
    if (delivery.body !== null) return delivery.body;
    const body = this.options.bundleOf(delivery, trigger);
    if (typeof body === 'string') this.store.backgroundTransaction(() => this.store.sql.fixDeliveryBody.run(body, delivery.id));
    return body;
  }

  // The delivery's state and one more line of its history, together.
  private record(delivery: DeliveryRow, status: DeliveryRow['status'], httpStatus: number | null, error: string | null, nextAt: number | null): void {
    const now = this.clock.now();
    const outcome = status === 'pending' ? 'retry' : status === 'delivered' ? 'delivered' : 'dead';
    this.store.transaction(() => {
      this.store.sql.updateDelivery.run(status, delivery.attempts + 1, nextAt, httpStatus, error, status === 'delivered' ? now : null, now, delivery.id);
      this.store.sql.insertAttempt.run(delivery.id, now, outcome, httpStatus, error);
    });
    this.options.onAttempt?.(delivery, outcome, httpStatus, error);
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<{ status?: number; error: string; retryAfterMs?: number; refused?: boolean }> {
    try {
      // undici's own fetch with its dispatcher (Node's bundled fetch cannot take the npm package's Agent); redirects are not followed.
      const response = await undiciFetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'manual', dispatcher: this.options.dispatcher });
      const excerpt = await this.drain(response);
      return { status: response.status, error: answerReason(response.status, excerpt), retryAfterMs: retryAfter(response.headers.get('retry-after'), this.clock.now()) };
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof DestinationRefusedError) return { error: cause.message, refused: true };
      const code = (cause as { code?: string } | undefined)?.code;
      return { error: (error as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : `network error: ${code ?? (error as Error).message}` };
    }
  }

  // Reads at most maxResponseBytes so a huge or endless answer cannot hold the deliverer; keeps the first bytes.
  private async drain(response: Awaited<ReturnType<typeof undiciFetch>>): Promise<Buffer> {
    if (!response.body) return Buffer.alloc(0);
    const reader = response.body.getReader();
    const kept: Buffer[] = [];
    let read = 0;
    while (read < this.options.maxResponseBytes) {
      const chunk = await reader.read();
      if (chunk.done) return Buffer.concat(kept);
      if (read < ANSWER_EXCERPT_BYTES) kept.push(Buffer.from(chunk.value.subarray(0, ANSWER_EXCERPT_BYTES - read)));
      read += chunk.value.length;
    }
    await reader.cancel();
    return Buffer.concat(kept);
  }
}

/**
 * How long to wait before the next attempt: the scheduled (jittered) wait, or longer when the destination asks
 * with Retry-After, but at most the larger of the scheduled wait and an hour, and never past the dead-letter
 * horizon (the rest of the schedule), so one answer cannot park a delivery, and its trigger's queue, for years.
 */
export function retryWait(scheduledMs: number, retryAfterMs: number | undefined, remainingSchedule: number[]): number {
  if (retryAfterMs === undefined || retryAfterMs <= scheduledMs) return scheduledMs;
  const horizon = remainingSchedule.reduce((sum, ms) => sum + ms, 0);
  return Math.max(scheduledMs, Math.min(retryAfterMs, Math.max(scheduledMs, RETRY_AFTER_CAP_MS), horizon));
}

/** Retry-After as milliseconds from now (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
