const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it gives a value (anything but `undefined` or `false`) and resolves to it, or fails naming
 * what did not happen. The bound only ends a test whose property does not hold: it is far above what any machine,
 * however loaded, needs, and never a timing claim.
 */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, boundMs = 60_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${boundMs / 1000} s`);
    await pause(25);
  }
}
