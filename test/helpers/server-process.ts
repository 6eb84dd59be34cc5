import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { eventually } from './eventually';

/** The admin token the spawned servers use. */
export const ADMIN = 'crash-test-admin-token-0123456789';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The real server in its own process (TypeScript sources through ts-node), so it can be SIGKILLed. It may
 * forward to the tests' receivers on 127.0.0.1; `env` adds or overrides settings.
 */
export function startServer(port: number, dataDir: string, env: Record<string, string | undefined> = {}): ChildProcess {
  const script = `require('./src/cli/program').runCli(['node', 'plugnpaid-connector', ...process.argv.slice(1)], require('./src/cli/io').processIo).then((code) => process.exit(code))`;
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, 'serve', '--port', String(port), '--data', dataDir, '--admin-token', ADMIN], {
    cwd: DEFAULT_APP_DIR,
    // The overload guard is off (as in TestRuntime): on a loaded machine it would answer 503 for the machine's sake.
    env: withoutUnset({ ...process.env, PLUGNPAID_RETRY_SCHEDULE_MS: '0,100,200,400,800,1000,1000,1000,1000,1000', PLUGNPAID_LOG_LEVEL: 'silent', PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS: '1', PLUGNPAID_MAX_EVENT_LOOP_DELAY_MS: '0', ...env }),
    stdio: 'ignore',
  });
}

/** The variables that have a value (an `undefined` override removes one). */
function withoutUnset(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * Resolves once the server answers /health (it may be busy processing: it must still answer). Generous: under
 * c8 on a loaded machine, ts-node takes over 10 s to start the server.
 */
export async function waitForHealth(base: string): Promise<void> {
  // A refused connection means not listening yet.
  await eventually('the server to start', async () => (await fetch(`${base}/health`).catch(() => undefined))?.ok === true, 120_000);
}

/** SIGKILLs the process and waits for it to be gone. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Calls the admin API of a spawned server; resolves to the parsed answer. */
export async function adminApi(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}
