import { performance } from 'node:perf_hooks';

/** Gives the event loop a turn (I/O and timers run), then resumes. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * For long synchronous work done in steps (mapping a large event): `pause()` yields to the event loop once the
 * current slice has run `sliceMs`, and is free otherwise, so requests wait about one slice at most.
 */
export function timeSlicer(sliceMs = 5): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < sliceMs) return undefined;
    return yieldToEventLoop().then(() => {
      sliceStart = performance.now();
    });
  };
}
