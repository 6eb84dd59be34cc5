import { existsSync, readFileSync } from 'node:fs';
import { adminTokenFile } from '../runtime/admin-token';
import { DEFAULT_CONFIG } from '../runtime/config';
import { CliIo, ExitCode } from './io';

/** Options every client command takes: where the runtime is and how to authenticate. */
export interface ClientOptions {
  url?: string;
  data?: string;
  adminToken?: string;
}

/** Calls the runtime's admin API; prints the error and exits 1 on a non-2xx answer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are printed or read loosely
export async function callRuntime(io: CliIo, options: ClientOptions, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const base = (options.url ?? io.env.PLUGNPAID_URL ?? `http://${DEFAULT_CONFIG.host}:${DEFAULT_CONFIG.port}`).replace(/\/$/, '');
  const token = options.adminToken ?? io.env.PLUGNPAID_ADMIN_TOKEN ?? storedToken(options.data ?? io.env.PLUGNPAID_DATA ?? DEFAULT_CONFIG.dataDir);
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    io.stderr(`cannot reach the runtime at ${base}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message} (is \`npm start\` running?)\n`);
    throw new ExitCode(1);
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    io.stderr(`${method} ${path}: HTTP ${response.status}: ${parsed?.error ?? text}\n`);
    throw new ExitCode(1);
  }
  return parsed;
}

function storedToken(dataDir: string): string | undefined {
  const file = adminTokenFile(dataDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
