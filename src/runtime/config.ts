import type { SyncLevel } from './store/store';

/** A day in milliseconds (the retention is set in days). */
export const DAY_MS = 24 * 3600 * 1000;

/** Plug&Paid-like default: about 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_SCHEDULE_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** Everything the runtime can be told; `npm start` uses the defaults. */
export interface RuntimeConfig {
  host: string;
  port: number;
  dataDir: string;
  appDir?: string;
  /** Set to use a known admin token instead of the generated one. */
  adminToken?: string;
  /** The URL Plug&Paid reaches this server at (behind a tunnel or proxy); defaults to http://host:port. */
  publicUrl?: string;
  bodyLimitBytes: number;
  maxDepth: number;
  dedupeWindowMs: number;
  /** Days an event is kept (by when it was received) before it and everything derived from it are pruned. */
  retentionDays: number;
  retryScheduleMs: number[];
  deliveryTimeoutMs: number;
  /** Deliveries in flight at once over all triggers (one per trigger keeps each trigger's order). */
  deliveryConcurrency: number;
  /** Deliver to loopback, private, link-local and other non-public addresses (a service on this host). */
  allowPrivateDestinations: boolean;
  /** Bundles one event may make over all its triggers; past it the trigger that crosses it fails. */
  maxEventBundles: number;
  /** Bytes (JSON) of the bundles one event may make over all its triggers; past it the trigger that crosses it fails. */
  maxEventBundleBytes: number;
  /** Open connections at most; connections over it are closed as they arrive. */
  maxConnections: number;
  /** Open connections one address may hold; its connections over it are closed as they arrive. */
  maxConnectionsPerAddress: number;
  /** Time a connection has to send its request headers (also how long a silent connection stays open). */
  headersTimeoutMs: number;
  /** Time a connection has to send its whole request, body included. */
  requestTimeoutMs: number;
  /** Mean event-loop delay past which requests are answered 503 with Retry-After; 0 turns it off. */
  maxEventLoopDelayMs: number;
  /** Authenticated admin API requests per address and minute. */
  adminRequestsPerMinute: number;
  /** Wrong admin tokens per address and minute; past them the address is locked out for the rest of the minute. */
  failedSignInsPerMinute: number;
  sync: SyncLevel;
  logLevel: string;
  /** The API token for modules that fetch their object (Plug&Pay); it fills the connection's password field. */
  apiToken?: string;
  /** Another API base URL for those modules (a local fake, a staging API). */
  apiBase?: string;
  /** Parameters of the webhook made on first start, e.g. Plug&Pay's `{ "webhookKey": "…" }`. */
  webhookParameters?: Record<string, unknown>;
  /** Keep the drift report (unknown types, unmapped fields, payload violations) as events are processed. */
  drift: boolean;
  /** Collect Prometheus metrics and serve them at /metrics. */
  metrics: boolean;
  /** A token that may read /metrics only (besides the admin token), for a Prometheus server. */
  metricsToken?: string;
  /** Where operational alerts go (Standard Webhooks, signed with the alert secret); none when unset. */
  alertUrl?: string;
  /** At most one alert per kind and subject (a trigger, an event type) in this many ms. */
  alertIntervalMs: number;
  /** Failed delivery attempts in a row, of one trigger, that make a `delivery.failing` alert. */
  alertFailingAfter: number;
  /** Time one event search may take on the event loop before it is stopped with a 400. */
  searchBudgetMs: number;
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  host: '127.0.0.1',
  port: 8787,
  dataDir: './data',
  bodyLimitBytes: 1024 * 1024,
  maxDepth: 64,
  // Plug&Paid retries for three days; a week covers that with room.
  dedupeWindowMs: 7 * DAY_MS,
  // A month of history to inspect, replay and pull, at a bounded size (see docs/performance.md for bytes per event).
  retentionDays: 30,
  retryScheduleMs: DEFAULT_SCHEDULE_MS,
  deliveryTimeoutMs: 10_000,
  deliveryConcurrency: 8,
  allowPrivateDestinations: false,
  // Far above real orders (a handful of lines); they bound what one outsider's payload can make us build.
  maxEventBundles: 1000,
  maxEventBundleBytes: 16 * 1024 * 1024,
  // Far above the bench's 50 concurrent senders and a browser's few, far below the open-file limit (ulimit -n).
  maxConnections: 1000,
  // Half of them: one address holding all it may still leaves the other half to everyone else.
  maxConnectionsPerAddress: 500,
  // Plug&Paid sends a webhook (at most bodyLimitBytes) in one go; a slow sender needs seconds, not minutes.
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 15_000,
  // A mean delay of a second means requests are already queueing for seconds; shed them with 503 instead.
  maxEventLoopDelayMs: 1_000,
  // The inspector polls a few calls a second; a script walking all events with limit=1000 stays far below.
  adminRequestsPerMinute: 1_200,
  failedSignInsPerMinute: 20,
  sync: 'FULL',
  // Request lines are logged at info; one per request costs more than the request, so they are opt-in.
  logLevel: 'warn',
  drift: true,
  metrics: true,
  // An operator wants to hear that something broke, not every time it breaks again: a quarter of an hour apart.
  alertIntervalMs: 15 * 60_000,
  alertFailingAfter: 3,
  // The inspector searches as one types; a search that needs longer is too vague to be worth holding intake for.
  searchBudgetMs: 250,
};

/** A setting that cannot be used as given; the message names it and says what it accepts. */
export class ConfigError extends Error {}

/**
 * Why the retention cannot be used with the dedupe window, or undefined: an event must outlive its dedupe key,
 * or a duplicate arriving late would be acknowledged as an event that is gone.
 */
export function retentionProblem(config: Pick<RuntimeConfig, 'retentionDays' | 'dedupeWindowMs'>): string | undefined {
  if (config.retentionDays * DAY_MS >= config.dedupeWindowMs) return undefined;
  const hours = config.dedupeWindowMs / 3_600_000;
  return `PLUGNPAID_RETENTION_DAYS (${config.retentionDays}) is shorter than the dedupe window (PLUGNPAID_DEDUPE_WINDOW_HOURS, ${hours} hours): events must be kept at least as long as their duplicates are recognised. Set PLUGNPAID_RETENTION_DAYS to ${Math.ceil(config.dedupeWindowMs / DAY_MS)} or more, or shorten the window.`;
}

/** A whole number from `min` to `max` written in decimal, or a ConfigError naming `what`. */
export function wholeNumber(text: string, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigError(`${what} must be a whole number${max === Number.MAX_SAFE_INTEGER ? ` ≥ ${min}` : ` from ${min} to ${max}`}, not ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * The public address of the runtime (`--public-url`, PLUGNPAID_PUBLIC_URL): an absolute http(s) URL without query
 * or fragment, since webhook URLs are made by appending /hooks/<token> to it; or a ConfigError naming `what`.
 */
export function publicUrl(text: string, what: string): string {
  const url = httpUrl(text);
  if (!url || url.search || url.hash) {
    const host = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[?#].*$/, '');
    throw new ConfigError(`${what} must be the https:// (or http://) address Plug&Paid reaches this server at, such as a tunnel's, e.g. https://${host || 'example.com'}; not ${JSON.stringify(text)}`);
  }
  return text.replace(/\/$/, '');
}

/** An API base URL (`--api-base`, PLUGNPAID_API_BASE): an absolute http(s) URL without query or fragment, no trailing slash. */
export function apiBaseUrl(text: string, what: string): string {
  const url = httpUrl(text);
  if (!url || url.search || url.hash) {
    throw new ConfigError(`${what} must be the http:// or https:// base URL of the API, such as the one \`sandbox\` prints (http://127.0.0.1:8789/v2); not ${JSON.stringify(text)}`);
  }
  return text.replace(/\/$/, '');
}

function httpUrl(text: string): URL | undefined {
  try {
    return /^https?:\/\//i.test(text) ? new URL(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Config from environment variables (PLUGNPAID_*), over the defaults; flags are applied over this. */
export function configFromEnv(env: Record<string, string | undefined>): Partial<RuntimeConfig> {
  const config: Partial<RuntimeConfig> = {};
  if (env.PLUGNPAID_HOST) config.host = env.PLUGNPAID_HOST;
  if (env.PLUGNPAID_PORT) config.port = wholeNumber(env.PLUGNPAID_PORT, 'PLUGNPAID_PORT', 0, 65535);
  if (env.PLUGNPAID_DATA) config.dataDir = env.PLUGNPAID_DATA;
  if (env.PLUGNPAID_ADMIN_TOKEN) config.adminToken = env.PLUGNPAID_ADMIN_TOKEN;
  if (env.PLUGNPAID_PUBLIC_URL) config.publicUrl = publicUrl(env.PLUGNPAID_PUBLIC_URL, 'PLUGNPAID_PUBLIC_URL');
  if (env.PLUGNPAID_BODY_LIMIT) config.bodyLimitBytes = wholeNumber(env.PLUGNPAID_BODY_LIMIT, 'PLUGNPAID_BODY_LIMIT', 1);
  if (env.PLUGNPAID_DEDUPE_WINDOW_HOURS) config.dedupeWindowMs = wholeNumber(env.PLUGNPAID_DEDUPE_WINDOW_HOURS, 'PLUGNPAID_DEDUPE_WINDOW_HOURS', 0) * 3600 * 1000;
  if (env.PLUGNPAID_RETENTION_DAYS) config.retentionDays = wholeNumber(env.PLUGNPAID_RETENTION_DAYS, 'PLUGNPAID_RETENTION_DAYS', 1);
  if (env.PLUGNPAID_RETRY_SCHEDULE_MS) config.retryScheduleMs = env.PLUGNPAID_RETRY_SCHEDULE_MS.split(',').map((part) => wholeNumber(part.trim(), 'each PLUGNPAID_RETRY_SCHEDULE_MS entry', 0));
  if (env.PLUGNPAID_SYNC) {
    if (env.PLUGNPAID_SYNC !== 'NORMAL' && env.PLUGNPAID_SYNC !== 'FULL') throw new ConfigError(`PLUGNPAID_SYNC must be FULL or NORMAL, not ${JSON.stringify(env.PLUGNPAID_SYNC)}`);
    config.sync = env.PLUGNPAID_SYNC;
  }
  if (env.PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS) {
    const allow = env.PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS.trim().toLowerCase();
    if (!['1', 'true', 'yes', '0', 'false', 'no'].includes(allow)) {
      throw new ConfigError(`PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS must be 1 (allow) or 0 (refuse), not ${JSON.stringify(env.PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS)}`);
    }
    config.allowPrivateDestinations = ['1', 'true', 'yes'].includes(allow);
  }
  if (env.PLUGNPAID_DELIVERY_CONCURRENCY) config.deliveryConcurrency = wholeNumber(env.PLUGNPAID_DELIVERY_CONCURRENCY, 'PLUGNPAID_DELIVERY_CONCURRENCY', 1);
  if (env.PLUGNPAID_MAX_EVENT_BUNDLES) config.maxEventBundles = wholeNumber(env.PLUGNPAID_MAX_EVENT_BUNDLES, 'PLUGNPAID_MAX_EVENT_BUNDLES', 1);
  if (env.PLUGNPAID_MAX_EVENT_BYTES) config.maxEventBundleBytes = wholeNumber(env.PLUGNPAID_MAX_EVENT_BYTES, 'PLUGNPAID_MAX_EVENT_BYTES', 1);
  if (env.PLUGNPAID_MAX_CONNECTIONS) config.maxConnections = wholeNumber(env.PLUGNPAID_MAX_CONNECTIONS, 'PLUGNPAID_MAX_CONNECTIONS', 1);
  if (env.PLUGNPAID_MAX_CONNECTIONS_PER_ADDRESS) config.maxConnectionsPerAddress = wholeNumber(env.PLUGNPAID_MAX_CONNECTIONS_PER_ADDRESS, 'PLUGNPAID_MAX_CONNECTIONS_PER_ADDRESS', 1);
  if (env.PLUGNPAID_HEADERS_TIMEOUT_MS) config.headersTimeoutMs = wholeNumber(env.PLUGNPAID_HEADERS_TIMEOUT_MS, 'PLUGNPAID_HEADERS_TIMEOUT_MS', 100);
  if (env.PLUGNPAID_REQUEST_TIMEOUT_MS) config.requestTimeoutMs = wholeNumber(env.PLUGNPAID_REQUEST_TIMEOUT_MS, 'PLUGNPAID_REQUEST_TIMEOUT_MS', 100);
  if (env.PLUGNPAID_MAX_EVENT_LOOP_DELAY_MS) config.maxEventLoopDelayMs = wholeNumber(env.PLUGNPAID_MAX_EVENT_LOOP_DELAY_MS, 'PLUGNPAID_MAX_EVENT_LOOP_DELAY_MS', 0);
  if (env.PLUGNPAID_ADMIN_RATE_LIMIT) config.adminRequestsPerMinute = wholeNumber(env.PLUGNPAID_ADMIN_RATE_LIMIT, 'PLUGNPAID_ADMIN_RATE_LIMIT', 1);
  if (env.PLUGNPAID_FAILED_SIGNIN_LIMIT) config.failedSignInsPerMinute = wholeNumber(env.PLUGNPAID_FAILED_SIGNIN_LIMIT, 'PLUGNPAID_FAILED_SIGNIN_LIMIT', 1);
  if (env.PLUGNPAID_LOG_LEVEL) config.logLevel = env.PLUGNPAID_LOG_LEVEL;
  if (env.PLUGNPAID_API_TOKEN) config.apiToken = env.PLUGNPAID_API_TOKEN;
  if (env.PLUGNPAID_API_BASE) config.apiBase = apiBaseUrl(env.PLUGNPAID_API_BASE, 'PLUGNPAID_API_BASE');
  if (env.PLUGNPAID_DRIFT) config.drift = !['off', 'false', '0', 'no'].includes(env.PLUGNPAID_DRIFT.toLowerCase());
  if (env.PLUGNPAID_METRICS) config.metrics = !['off', 'false', '0', 'no'].includes(env.PLUGNPAID_METRICS.toLowerCase());
  if (env.PLUGNPAID_ALERT_URL) config.alertUrl = env.PLUGNPAID_ALERT_URL;
  if (env.PLUGNPAID_ALERT_INTERVAL_MS) config.alertIntervalMs = wholeNumber(env.PLUGNPAID_ALERT_INTERVAL_MS, 'PLUGNPAID_ALERT_INTERVAL_MS', 0);
  if (env.PLUGNPAID_ALERT_FAILING_AFTER) config.alertFailingAfter = wholeNumber(env.PLUGNPAID_ALERT_FAILING_AFTER, 'PLUGNPAID_ALERT_FAILING_AFTER', 1);
  if (env.PLUGNPAID_METRICS_TOKEN) {
    if (env.PLUGNPAID_METRICS_TOKEN.length < 16) throw new ConfigError('PLUGNPAID_METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 16)');
    config.metricsToken = env.PLUGNPAID_METRICS_TOKEN;
  }
  if (env.PLUGNPAID_WEBHOOK_PARAMETERS) config.webhookParameters = webhookParametersFrom(env.PLUGNPAID_WEBHOOK_PARAMETERS);
  const retention = retentionProblem({ ...DEFAULT_CONFIG, ...config });
  if (retention) throw new ConfigError(retention);
  return config;
}

/** Parses PLUGNPAID_WEBHOOK_PARAMETERS; the message never repeats the value, which holds a key. */
export function webhookParametersFrom(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError('PLUGNPAID_WEBHOOK_PARAMETERS must be a JSON object, e.g. {"webhookKey":"…"}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError('PLUGNPAID_WEBHOOK_PARAMETERS must be a JSON object, e.g. {"webhookKey":"…"}');
  return value as Record<string, unknown>;
}
