/** The runtime's notion of now, in epoch milliseconds; tests drive a fake one. */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
