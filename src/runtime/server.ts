import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { FastifyInstance } from 'fastify';
import type { LookupFunction } from 'node:net';
import { loadApp } from '../definition/loader';
import type { AppDefinition } from '../definition/types';
import { connectionFromToken } from '../http/connection';
import { requireAdminToken } from './api/admin-auth';
import { loadAdminToken } from './api/admin-token';
import { registerApiRoutes } from './api/api-routes';
import { Clock, systemClock } from './clock';
import { DAY_MS, DEFAULT_CONFIG, retentionProblem, RuntimeConfig } from './config';
import { BatchProcessor } from './processing/batch-processor';
import { BundleReader } from './processing/bundle-reader';
import { parseJsonBody } from './intake/body-checks';
import { DriftBook } from './drift/drift-book';
import { Engine } from './processing/engine';
import { Deliverer } from './delivery/deliverer';
import { errorHandler } from './error-handler';
import { connectionTimeouts, registerEdgeLimits } from './edge-limits';
import { EventIngester } from './intake/event-ingester';
import { IntakeWriter } from './intake/intake-writer';
import { registerHealthRoute } from './api/health-route';
import { registerIngestRoute } from './intake/ingest-route';
import { registerInsightRoutes } from './api/insight-routes';
import { registerInspector } from './api/inspector-route';
import { rejectNonPathTargets, rejectRepeatedParameters } from './request-target';
import { ensureDefaultWebhook } from './api/resources';
import { SECURITY_HEADERS } from './security-headers';
import { listenProblem, StartError } from './start-error';
import { Alerter, alertSecret } from './delivery/alerts';
import { RuntimeMetrics } from './api/metrics';
import { registerMetricsRoute } from './api/metrics-route';
import { makeDataFolderPrivate } from './store/data-folder';
import { lockDataFolder } from './store/folder-lock';
import { EventTally } from './store/event-tally';
import { Retention } from './store/retention';
import { Store } from './store/store';
import { claimStore } from './store-owner';
import { deliveryAgent, destinationProblem } from './delivery/destination-policy';
import { webhookView } from './api/views';

/** A running (or ready) runtime: the server, its store and engine, and what first start created. */
export interface Runtime {
  server: FastifyInstance;
  store: Store;
  engine: Engine;
  app: AppDefinition;
  adminToken: string;
  adminTokenCreated: boolean;
  /** Every route the router holds (method and path pattern), as registered: what a route audit walks. */
  routes: ReadonlyArray<{ method: string; url: string }>;
  defaultWebhook?: ReturnType<typeof webhookView>;
  /** The alert signing secret when this start made it (shown once); undefined otherwise. */
  alertSecretCreated?: string;
  /** Sends operational alerts, when an alert URL is configured. */
  alerter?: Alerter;
  /** What start changed or found about the data folder's privacy, to tell the person starting it. */
  notices: string[];
  baseUrl(): string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Hides webhook URL tokens and query strings (which may carry secrets) in log lines. */
export function redactUrl(url: string): string {
  return url.replace(/^\/hooks\/[^/?#]+/, '/hooks/[token]').replace(/\?.*$/, '?[redacted]');
}

/** Builds the runtime from a config; nothing listens until `listen()`. */
export function createRuntime(
  options: Partial<RuntimeConfig> & { clock?: Clock; lookup?: LookupFunction; random?: () => number; logger?: boolean; /** An app already loaded (and validated) by the caller. */ app?: AppDefinition } = {},
): Runtime {
  const config: RuntimeConfig = { ...DEFAULT_CONFIG, ...options };
  const clock = options.clock ?? systemClock;
  const app = options.app ?? loadApp(config.appDir);
  const alertProblem = config.alertUrl === undefined ? undefined : destinationProblem(config.alertUrl, config.allowPrivateDestinations);
  if (alertProblem) throw new StartError(`the alert URL (PLUGNPAID_ALERT_URL or --alert-url) cannot be used: ${alertProblem.replace(/^destination\.url /, 'it ')}`);
  const retentionTooShort = retentionProblem(config);
  if (retentionTooShort) throw new StartError(retentionTooShort);
  const notices = makeDataFolderPrivate(config.dataDir);
  const lock = lockDataFolder(config.dataDir);
  let store: Store | undefined;
  try {
    store = new Store(config.dataDir, config.sync);
    claimStore(store, app, config.dataDir);
    notices.push(...store.notices);
  } catch (error) {
    store?.close();
    lock.release();
    throw error;
  }
  const { token: adminToken, created: adminTokenCreated } = loadAdminToken(config.dataDir, config.adminToken);
  const server = Fastify({
    bodyLimit: config.bodyLimitBytes,
    ...connectionTimeouts(config),
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers["webhook-signature"]'],
            serializers: { req: (request) => ({ method: request.method, url: redactUrl(request.url) }) },
          },
  });
  let address = `http://${config.host}:${config.port}`;
  const baseUrl = () => (config.publicUrl ?? address).replace(/\/$/, '');
  const enrichment = {
    connection: config.apiToken ? connectionFromToken(app, config.apiToken) : undefined,
    apiBase: config.apiBase,
    retryScheduleMs: config.retryScheduleMs,
  };
  const metrics = config.metrics ? new RuntimeMetrics(store, app, () => clock.now(), config.drift) : undefined;
  const dispatcher = deliveryAgent({ allowPrivate: config.allowPrivateDestinations, connectTimeoutMs: config.deliveryTimeoutMs, lookup: options.lookup });
  const alerts = config.alertUrl === undefined ? undefined : alertSecret(store);
  const alerter =
    config.alertUrl === undefined || !alerts
      ? undefined
      : new Alerter(store, app, clock, {
          url: config.alertUrl,
          secret: alerts.secret,
          dispatcher,
          intervalMs: config.alertIntervalMs,
          failingAfter: config.alertFailingAfter,
          timeoutMs: config.deliveryTimeoutMs,
          onError: (error) => server.log.warn({ err: error }, 'an alert could not be sent'),
        });
  const limits = { maxBundles: config.maxEventBundles, maxBytes: config.maxEventBundleBytes };
  const intakeWriter = new IntakeWriter(store.file, config.sync);
  const ingester = new EventIngester(intakeWriter, () => clock.now(), config.dedupeWindowMs);
  const processor = new BatchProcessor(
    store,
    app,
    enrichment,
    limits,
    config.drift ? new DriftBook(store, app) : undefined,
    (event, status, error) => {
      metrics?.processedAs(event.webhook_id, event.type, status);
      alerter?.processed(event, status, error);
    },
    () => ingester.idle(),
  );
  const reader = new BundleReader(store, app, limits, (eventId) => processor.underWay.has(eventId));
  const onBackgroundError = (error: unknown) => server.log.error({ err: error }, 'background processing failed; it will be retried');
  const deliverer = new Deliverer(store, clock, {
    schedule: config.retryScheduleMs,
    timeoutMs: config.deliveryTimeoutMs,
    maxResponseBytes: 64 * 1024,
    concurrency: config.deliveryConcurrency,
    dispatcher,
    random: options.random,
    onError: onBackgroundError,
    bundleOf: (delivery, trigger) => {
      const event = store.sql.eventById.get(delivery.event_id);
      return event ? reader.one(event, trigger, delivery.seq) : null;
    },
    onAttempt: (delivery, outcome, httpStatus, error) => {
      metrics?.attempted(delivery.trigger_id, outcome);
      alerter?.attempted(delivery, outcome, httpStatus, error);
    },
  });
  const tally = new EventTally(store);
  const retention = new Retention(store, tally, config.retentionDays * DAY_MS);
  const upkeep = {
    async run(...args: Parameters<Retention['run']>) {
      const pruned = await retention.run(...args);
      if (pruned.events + pruned.dedupeKeys > 0) server.log.info(pruned, `pruned what is older than the retention (${config.retentionDays} days)`);
    },
  };
  const engine = new Engine(store, processor, clock, () => ingester.busy(), deliverer, onBackgroundError, upkeep);

  const routes: Array<{ method: string; url: string }> = [];
  server.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  server.setErrorHandler(errorHandler);
  server.addHook('onRequest', rejectNonPathTargets);
  registerEdgeLimits(server, config);
  // Webhook bodies stay raw bytes: the secret check needs them exactly as sent, and UTF-8 must be checked strictly.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  server.register(async (ui) => {
    await ui.register(helmet, SECURITY_HEADERS);
    registerInspector(ui, app);
  });
  registerHealthRoute(server, store, () => clock.now(), tally);
  registerIngestRoute(server, { store, app, ingester, maxDepth: config.maxDepth, onStored: () => engine.kick(), onAcknowledged: metrics && ((...args) => metrics.acknowledged(...args)) });
  if (metrics) {
    const limits = { requestsPerMinute: config.adminRequestsPerMinute, failedSignInsPerMinute: config.failedSignInsPerMinute };
    registerMetricsRoute(server, metrics, { adminToken, scrapeToken: config.metricsToken, ...limits });
  }
  // Every admin route lives in this one scope, so the router (which decodes the path) decides that the token is
  // needed: no spelling of a path reaches an admin handler without it.
  // Rate limits count per address; authenticated calls and wrong tokens each have their own (see config.ts).
  server.register(async (admin) => {
    await admin.register(helmet, SECURITY_HEADERS);
    // Counted after the token check (preHandler), so only authenticated calls use up an address's allowance.
    await admin.register(rateLimit, { max: config.adminRequestsPerMinute, timeWindow: 60_000, hook: 'preHandler' });
    admin.addHook('onRequest', requireAdminToken(adminToken, admin.createRateLimit({ max: config.failedSignInsPerMinute, timeWindow: 60_000 })));
    admin.addHook('onRequest', rejectRepeatedParameters);
    admin.removeAllContentTypeParsers();
    admin.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, (body as Buffer).length ? parseJsonBody(body as Buffer) : {});
      } catch (error) {
        done(Object.assign(error as Error, { statusCode: 400 }), undefined);
      }
    });
    registerApiRoutes(admin, { store, app, clock, baseUrl, ingester, reader, allowPrivateDestinations: config.allowPrivateDestinations, onChange: () => engine.kick(), driftEnabled: config.drift, searchBudgetMs: config.searchBudgetMs, retentionDays: config.retentionDays });
    registerInsightRoutes(admin, { store, app, clock, api: enrichment });
  });

  const created = ensureDefaultWebhook(store, app, clock, config.webhookParameters);
  const runtime: Runtime = {
    server,
    store,
    engine,
    app,
    adminToken,
    adminTokenCreated,
    alertSecretCreated: alerts?.created ? alerts.secret : undefined,
    alerter,
    routes,
    notices,
    baseUrl,
    async listen() {
      try {
        address = await server.listen({ host: config.host, port: config.port });
      } catch (error) {
        throw (await listenProblem(error, config.host, config.port)) ?? error;
      }
      lock.announce(address);
      if (created) runtime.defaultWebhook = webhookView(created, baseUrl());
      engine.kick();
      // The writer thread checkpoints the store too, so it starts with the runtime, not at the first webhook.
      intakeWriter.open().catch(onBackgroundError);
      return address;
    },
    async close() {
      await server.close();
      await ingester.settle();
      await intakeWriter.close();
      await engine.close();
      await alerter?.settle();
      store.close();
      lock.release();
    },
  };
  return runtime;
}
