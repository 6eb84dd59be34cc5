import { createServer } from 'node:net';

/** Why the runtime cannot start, said so a person can act on it: what is wrong and what to run instead. */
export class StartError extends Error {}

/**
 * The StartError for a failed listen (port taken, not allowed, unknown host), or undefined for anything else. A
 * taken port gets a port that was free a moment ago as the one to use instead.
 */
export async function listenProblem(error: unknown, host: string, port: number): Promise<StartError | undefined> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const address = `http://${host}:${port}`;
  const next = port === 0 ? 8787 : Math.min(port + 1, 65535);
  if (code === 'EADDRINUSE') {
    const free = await freePortAfter(host, port);
    return new StartError(
      `cannot listen on ${address}: the port is already in use (EADDRINUSE), perhaps by another runtime. ` +
        `Stop that one, or start this one on another port: --port ${free ?? '0 (any free port)'} (or PLUGNPAID_PORT), with its own --data folder if it is another app.`,
    );
  }
  if (code === 'EACCES') return new StartError(`cannot listen on ${address}: ports below 1024 need privileges (EACCES). Use --port ${port < 1024 ? 8787 : next}.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new StartError(`cannot listen on ${address}: this machine has no such address (${code}). Use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface).`);
  }
  return undefined;
}

/** Undefined when `host:port` can be listened on (tried and released at once), otherwise the listen error. */
function tryListen(host: string, port: number): Promise<unknown> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', resolve);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

/** The first of the 20 ports after `port` that can be listened on now, if any. */
async function freePortAfter(host: string, port: number): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(port + 20, 65535); candidate += 1) {
    if ((await tryListen(host, candidate)) === undefined) return candidate;
  }
  return undefined;
}

/** Resolves when `host:port` can be listened on (tried and released at once); rejects with the StartError otherwise. */
export async function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const error = await tryListen(host, port);
  if (error !== undefined) throw (await listenProblem(error, host, port)) ?? error;
}
