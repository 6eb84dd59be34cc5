import { createServer } from 'node:net';

/** Why the runtime cannot start, said so a person can act on it: what is wrong and what to run instead. */
export class StartError extends Error {}

/** The StartError for a failed listen (port taken, not allowed, unknown host), or undefined for anything else. */
export function listenProblem(error: unknown, host: string, port: number): StartError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const address = `http://${host}:${port}`;
  const next = port === 0 ? 8787 : Math.min(port + 1, 65535);
  if (code === 'EADDRINUSE') {
    return new StartError(
      `cannot listen on ${address}: the port is already in use (EADDRINUSE), perhaps by another runtime. ` +
        `Stop that one, or start this one on another port: --port ${next} (or PLUGNPAID_PORT), with its own --data folder if it is another app.`,
    );
  }
  if (code === 'EACCES') return new StartError(`cannot listen on ${address}: ports below 1024 need privileges (EACCES). Use --port ${port < 1024 ? 8787 : next}.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new StartError(`cannot listen on ${address}: this machine has no such address (${code}). Use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface).`);
  }
  return undefined;
}

/** Resolves when `host:port` can be listened on (tried and released at once); rejects with the StartError otherwise. */
export async function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(listenProblem(error, host, port) ?? error));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
