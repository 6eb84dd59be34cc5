import { Make, MakeError } from '@makehq/sdk';
import { networkError } from '../http/network';
import { redact } from '../http/redact';
import { zoneHost } from './origin';

/** One call to Make's app API, as the deploy plan lists it. */
export interface MakeCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Path under /api/v2, e.g. /sdk/apps/my-app/1/base. */
  path: string;
  /** Raw text (JSONC, Markdown) or an object sent as JSON. */
  body?: string | Record<string, unknown>;
  contentType?: string;
}

/** Thrown for a failed call, with a message for a person and never the API key. */
export class DeployError extends Error {}

function explain(status: number | undefined, call: MakeCall, detail: string): string {
  const where = `${call.method} ${call.path}`;
  switch (status) {
    case 401:
      return `${where}: Make rejected the API key (401). Check MAKE_API_KEY and that it has the sdk-apps scopes.`;
    case 403:
      return `${where}: the API key may not change this app (403). Is the app yours, and does the key have write access?`;
    case 404:
      return `${where}: not found (404). Check --app-id, --app-version and --zone-url (the zone your app lives in).`;
    case 429:
      return `${where}: Make's rate limit was still reached after waiting (429). Run deploy again in a minute.`;
    default:
      if (status !== undefined && status >= 500) return `${where}: Make had a server error (${status}). Try again later. ${detail}`;
      return `${where}: ${status ? `HTTP ${status}: ` : ''}${detail}`;
  }
}

/** Make's app API through @makehq/sdk: its authentication, 429 retries and error parsing. */
export class MakeClient {
  private readonly make: Make;

  constructor(
    private readonly apiKey: string,
    private readonly apiUrl: string,
    retryDelayMs = 5_000,
  ) {
    const host = zoneHost(apiUrl);
    if (!host) throw new DeployError(`--zone-url must look like https://<zone>/api (for example https://eu1.make.com/api), got ${apiUrl}`);
    this.make = new Make(apiKey, host, { retry: { onRateLimit: true, maxRetries: 3, baseDelay: retryDelayMs, maxDelay: 60_000 } });
  }

  /** Sends one call; resolves to the parsed answer. */
  async send<T = unknown>(call: MakeCall): Promise<T> {
    try {
      const headers = call.contentType ? { 'content-type': call.contentType } : undefined;
      return await this.make.fetch<T>(call.path, { method: call.method, body: call.body as never, headers });
    } catch (error) {
      if (!(error instanceof MakeError)) throw new DeployError(redact(`${call.method} ${call.path}: ${networkError(error, this.apiUrl).message}`, [this.apiKey]));
      const status = error.statusCode;
      const detail = error instanceof Error ? error.message : String(error);
      throw new DeployError(redact(explain(status, call, detail), [this.apiKey]));
    }
  }
}
