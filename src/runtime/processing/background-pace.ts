// While events arrive, the background pass takes batches of BUSY_BATCH events and, after each, waits until it
// has taken no more than its share of the event loop since, whatever a batch costs: a tenth, so acknowledgements
// come first; half once its backlog is MAX_BACKLOG_MS old, in batches of BEHIND_BATCH (fewer batches' fixed cost),
// so a sustained load cannot hold deliveries and statuses back for long, while a request still waits for one
// short batch at most. While intake is quiet it takes full batches back to back. Bundles are derived from the raw
// events, so pullers never wait for it.
const BATCH = 100;
// A request arriving during a batch waits for it: batches of 3 rather than 10 took the p99 at half rate from 38
// to 30 ms (medians of nine interleaved pairs, docs/performance.md).
const BUSY_BATCH = 3;
const BEHIND_BATCH = 10;
const BUSY_SHARE = 0.1;
const BEHIND_SHARE = 0.5;
const MAX_BACKLOG_MS = 30_000;

/** How the background pass paces its next batch: how many events it takes, and its share of the event loop. */
export interface Pace {
  batch: number;
  share: number;
}

/** The pace of the next batch, given whether events arrive and how old the oldest waiting one is. */
export function paceFor(intakeBusy: boolean, backlogAgeMs: number): Pace {
  if (!intakeBusy) return { batch: BATCH, share: 1 };
  return backlogAgeMs > MAX_BACKLOG_MS ? { batch: BEHIND_BATCH, share: BEHIND_SHARE } : { batch: BUSY_BATCH, share: BUSY_SHARE };
}

/** How long the background pass waits after a batch that took `tookMs`, to keep to its share of the event loop. */
export function pauseAfterBatch(tookMs: number, pace: Pace): number {
  return tookMs * (1 / pace.share - 1);
}
