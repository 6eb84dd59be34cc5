import { parameterProblems } from '../../definition/parameter-check';
import type { AppDefinition } from '../../definition/types';
import { isRecord } from '../../iml/values';
import type { Clock } from '../clock';
import { destinationProblem } from '../delivery/destination-policy';
import { newId, newSigningSecret, newUrlToken } from '../ids';
import type { Store, TriggerRow, WebhookRow } from '../store/store';
import { secretProblem, WebhookSecret } from '../intake/webhook-secret';
import { secretFromDefinition } from '../intake/webhook-verification';
import { RequestError } from '../request-error';

/**
 * Creates a webhook with a fresh unguessable URL token. Its secret check is the explicit `secret`, or else the
 * one the app's webhook definition declares (e.g. Plug&Pay's webhook key), built from `parameters`.
 */
export function createWebhook(store: Store, app: AppDefinition, clock: Clock, input: { name?: unknown; secret?: unknown; parameters?: unknown }): WebhookRow {
  if (typeof input.name !== 'string' || input.name.trim() === '') throw new RequestError(400, 'name is required');
  const problem = secretProblem(input.secret);
  if (problem) throw new RequestError(400, problem);
  if (input.parameters !== undefined && !isRecord(input.parameters)) throw new RequestError(400, 'parameters must be an object');
  let secret = input.secret as WebhookSecret | undefined;
  if (!secret) {
    try {
      secret = secretFromDefinition(app, input.parameters as Record<string, unknown> | undefined);
    } catch (error) {
      throw new RequestError(400, (error as Error).message);
    }
  }
  const row: WebhookRow = {
    id: newId('wh'),
    name: input.name.trim(),
    token: newUrlToken(),
    secret: secret ? JSON.stringify(secret) : null,
    created_at: clock.now(),
  };
  store.sql.insertWebhook.run(row.id, row.name, row.token, row.secret, row.created_at);
  return row;
}

// A trigger paced faster than this gains nothing over no pacing (deliveries to one trigger go one at a time).
const MAX_RATE = 1000;

/** Attaches a Watch module to a webhook, checking its parameters against the module definition. */
export function createTrigger(
  store: Store,
  app: AppDefinition,
  clock: Clock,
  webhookId: string,
  input: { module?: unknown; parameters?: unknown; destination?: unknown },
  allowPrivateDestinations = false,
): TriggerRow {
  if (!store.sql.webhookById.get(webhookId)) throw new RequestError(404, `webhook ${webhookId} not found`);
  const module = app.modules.find((candidate) => candidate.name === input.module);
  if (!module) throw new RequestError(400, `module must be one of: ${app.modules.map((m) => m.name).join(', ')}`);
  const parameters = input.parameters ?? {};
  const problems = parameterProblems(module.name, module.parameters, parameters);
  if (problems.length > 0) throw new RequestError(400, problems.join('; '));
  let url: string | null = null;
  let maxPerSecond: number | null = null;
  if (input.destination !== undefined && input.destination !== null) {
    const destination = input.destination as { url?: unknown; maxPerSecond?: unknown };
    if (!isRecord(destination) || typeof destination.url !== 'string') throw new RequestError(400, 'destination.url must be an http(s) URL');
    const problem = destinationProblem(destination.url, allowPrivateDestinations);
    if (problem) throw new RequestError(400, problem);
    url = destination.url;
    if (destination.maxPerSecond !== undefined && destination.maxPerSecond !== null) {
      const rate = destination.maxPerSecond;
      if (typeof rate !== 'number' || !(rate > 0) || rate > MAX_RATE) throw new RequestError(400, `destination.maxPerSecond must be a number of deliveries per second above 0 and at most ${MAX_RATE} (e.g. 0.5 for one every 2 s), not ${JSON.stringify(rate)}`);
      maxPerSecond = rate;
    }
  }
  const row: Omit<TriggerRow, 'from_event'> = {
    id: newId('trg'),
    webhook_id: webhookId,
    module: module.name,
    parameters: JSON.stringify(parameters),
    destination_url: url,
    signing_secret: url ? newSigningSecret() : null,
    stopped_reason: null,
    created_at: clock.now(),
    max_per_second: maxPerSecond,
  };
  store.sql.insertTrigger.run(row.id, row.webhook_id, row.module, row.parameters, row.destination_url, row.signing_secret, row.created_at, row.max_per_second);
  return store.sql.triggerById.get(row.id)!;
}

/**
 * On first start: one webhook with every module attached (no destinations: bundles kept for pulling). When
 * the app's webhook needs parameters (a webhook key) that were not configured, none is made yet.
 */
export function ensureDefaultWebhook(store: Store, app: AppDefinition, clock: Clock, parameters?: Record<string, unknown>): WebhookRow | undefined {
  if (store.sql.setting.get('default_webhook')) return undefined;
  try {
    secretFromDefinition(app, parameters);
  } catch {
    return undefined;
  }
  return store.transaction(() => {
    const webhook = createWebhook(store, app, clock, { name: app.manifest.label, parameters });
    app.modules.forEach((module) => createTrigger(store, app, clock, webhook.id, { module: module.name }));
    store.sql.putSetting.run('default_webhook', webhook.id);
    return webhook;
  });
}
