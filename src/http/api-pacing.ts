import Bottleneck from 'bottleneck';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AppDefinition } from '../definition/types';

/** Sends one attempt of a request (each attempt with its own timeout). */
export type Send = () => Promise<Response>;
/** Runs a request's attempts at the pace its API allows; resolves to the answer to use (a 429 when retries ran out). */
export type Pace = (send: Send) => Promise<Response>;

const WINDOW_MS = 1000;
/** Retries after a 429 before the 429 is the answer, as it was before pacing. */
export const MAX_RATE_RETRIES = 3;
/** The longest Retry-After waited out; a longer one (a monthly quota spent) fails at once, and the caller's own retries take over. */
export const MAX_RETRY_AFTER_MS = 10_000;
// Retried requests go before new ones (Bottleneck runs lower priorities first; 5 is the default).
const RETRY_PRIORITY = 4;

/** How long a 429's Retry-After asks to wait (seconds or an HTTP date; one window when absent); undefined when past the bound. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  const text = header?.trim() ?? '';
  let wait = WINDOW_MS;
  if (/^\d+$/.test(text)) wait = Number(text) * 1000;
  else if (text !== '' && !Number.isNaN(Date.parse(text))) wait = Math.max(0, Date.parse(text) - now);
  return wait > MAX_RETRY_AFTER_MS ? undefined : wait;
}

// Timers that do not keep a command-line process alive once its work is done. A timer may fire a little early
// (Node counts from the event loop's cached time), so waiting goes on until the monotonic clock has passed.
const quietSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
async function sleepUntil(deadline: number): Promise<void> {
  for (let left = deadline - performance.now(); left > 0; left = deadline - performance.now()) await quietSleep(Math.ceil(left));
}

/**
 * One token's pace. A request holds one of `requestsPerSecond` slots from before it is sent until a second
 * after its answer: the server saw it somewhere in between, so in any second it sees at most that many,
 * however late each one reached it. A 429 pauses every slot of the token for its Retry-After.
 */
class TokenPace {
  private readonly limiter: Bottleneck;
  private resumeAt = 0;

  constructor(requestsPerSecond: number) {
    this.limiter = new Bottleneck({ maxConcurrent: requestsPerSecond });
  }

  async run(send: Send): Promise<Response> {
    for (let retry = 0; ; retry += 1) {
      const response = await this.inSlot(send, retry === 0 ? undefined : RETRY_PRIORITY);
      if (response.status !== 429 || retry === MAX_RATE_RETRIES) return response;
      const wait = retryAfterMs(response.headers.get('retry-after'), Date.now());
      if (wait === undefined) return response;
      await response.body?.cancel();
      this.resumeAt = Math.max(this.resumeAt, performance.now() + wait);
    }
  }

  private inSlot(send: Send, priority?: number): Promise<Response> {
    return new Promise((resolve, reject) => {
      const job = async () => {
        await sleepUntil(this.resumeAt);
        const answer = send();
        answer.then(resolve, reject);
        await answer.catch(() => undefined);
        await sleepUntil(performance.now() + WINDOW_MS);
      };
      this.limiter.schedule(priority === undefined ? {} : { priority }, job).catch(reject);
    });
  }
}

// One pace per app, rate and token in this process, shared by enrichment, RPCs and the connection test.
const paces = new Map<string, TokenPace>();

/**
 * The pace of `app`'s API calls with one connection (its secrets: the token): at most the app's
 * `rateLimit.requestsPerSecond` per token, queued rather than refused. The token is kept only as a hash.
 */
export function platformPace(app: AppDefinition, secrets: string[]): Pace {
  const token = createHash('sha256').update(secrets.join('\0')).digest('hex');
  const key = `${app.manifest.name} ${app.apiRate.requestsPerSecond} ${token}`;
  let pace = paces.get(key);
  if (!pace) {
    pace = new TokenPace(app.apiRate.requestsPerSecond);
    paces.set(key, pace);
  }
  const chosen = pace;
  return (send) => chosen.run(send);
}
