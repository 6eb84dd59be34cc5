/**
 * What a destination's answer means for a delivery, written once (the README's status table is this function):
 * - `delivered`: 2xx;
 * - `retry`: no answer (network error, timeout), 408, 425, 429 and 5xx, tried again on the schedule;
 * - `gone`: 410, permanent, and the trigger is paused until one of its deliveries is replayed;
 * - `permanent`: any other answer (other 4xx, a redirect, which is never followed), dead at once.
 */
export type Verdict = 'delivered' | 'retry' | 'gone' | 'permanent';

/** The verdict on an answer with this HTTP status; `undefined` is no answer at all. */
export function verdictFor(status: number | undefined): Verdict {
  if (status === undefined) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  if (status === 410) return 'gone';
  return 'permanent';
}

/** How many bytes of an answer's body a failed delivery keeps as its reason. */
export const ANSWER_EXCERPT_BYTES = 200;

/** A failed answer in words: `HTTP 400: <the first bytes of the body>` (control characters replaced, trimmed). */
export function answerReason(status: number, excerpt: Buffer): string {
  const text = excerpt
    .subarray(0, ANSWER_EXCERPT_BYTES)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')
    .replace(/\p{Cc}+/gu, ' ')
    .trim();
  const answer = text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
  return status >= 300 && status < 400 ? `${answer} (redirects are not followed: give the trigger the final URL)` : answer;
}
