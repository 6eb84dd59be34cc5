import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NetworkError, reach } from '../http/network';
import { adminTokenFile } from '../runtime/api/admin-token';
import { DEFAULT_CONFIG } from '../runtime/config';
import { CliIo, ExitCode } from './io';

/** Options every client command takes: where the runtime is and how to authenticate. */
export interface ClientOptions {
  url?: string;
  data?: string;
  adminToken?: string;
}

/** The admin token and where it came from, or why there is none (with what to do instead). */
function adminTokenFor(io: CliIo, options: ClientOptions): { token: string; from: string } {
  if (options.adminToken) return { token: options.adminToken, from: '--admin-token' };
  if (io.env.PLUGNPAID_ADMIN_TOKEN) return { token: io.env.PLUGNPAID_ADMIN_TOKEN, from: 'PLUGNPAID_ADMIN_TOKEN' };
  const dataDir = options.data ?? io.env.PLUGNPAID_DATA ?? DEFAULT_CONFIG.dataDir;
  const file = adminTokenFile(dataDir);
  if (!existsSync(file)) {
    io.stderr(
      `no admin token: ${resolve(file)} does not exist. Pass --data <the data folder the runtime was started with>, ` +
        'or --admin-token <token> (or set PLUGNPAID_ADMIN_TOKEN).\n',
    );
    throw new ExitCode(2);
  }
  return { token: readFileSync(file, 'utf8').trim(), from: file };
}

/** Where the client commands look for the runtime when neither --url nor PLUGNPAID_URL says. */
export const DEFAULT_RUNTIME_URL = `http://${DEFAULT_CONFIG.host}:${DEFAULT_CONFIG.port}`;

/** The runtime's base URL, refused (exit 2) with the fix when it lacks its http:// or https:// scheme or is no URL. */
function runtimeBase(io: CliIo, options: ClientOptions): string {
  const [text, from] = options.url !== undefined ? [options.url, '--url'] : io.env.PLUGNPAID_URL ? [io.env.PLUGNPAID_URL, 'PLUGNPAID_URL'] : [DEFAULT_RUNTIME_URL, 'the default'];
  if (!/^https?:\/\//i.test(text)) {
    const fix = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? 'the runtime speaks http:// (or https:// behind a proxy)' : `add the scheme: ${from === '--url' ? '--url ' : `${from}=`}http://${text}`;
    io.stderr(`${from} ${JSON.stringify(text)} is not an http(s) URL: ${fix}\n`);
    throw new ExitCode(2);
  }
  try {
    return new URL(text).href.replace(/\/$/, '');
  } catch {
    io.stderr(`${from} ${JSON.stringify(text)} is not a URL: write it as ${DEFAULT_RUNTIME_URL}\n`);
    throw new ExitCode(2);
  }
}

/** Calls the runtime's admin API; prints the error and exits 1 on a non-2xx answer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are printed or read loosely
export async function callRuntime(io: CliIo, options: ClientOptions, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const base = runtimeBase(io, options);
  const { token, from } = adminTokenFor(io, options);
  let response: Response;
  try {
    response = await reach(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    io.stderr(`${error.message} (is the runtime running there? start it with \`npm start\`, or pass --url)\n`);
    throw new ExitCode(1);
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    io.stderr(`${base} answered ${method} ${path} with HTTP ${response.status} and no JSON: is it this connector's runtime? (check --url)\n`);
    throw new ExitCode(1);
  }
  if (!response.ok) {
    io.stderr(`${method} ${path}: HTTP ${response.status}: ${parsed?.error ?? text}\n`);
    if (response.status === 401) io.stderr(`  the admin token from ${from} is not the one of the runtime at ${base}: pass the --data folder that runtime uses, or --admin-token\n`);
    throw new ExitCode(1);
  }
  return parsed;
}
