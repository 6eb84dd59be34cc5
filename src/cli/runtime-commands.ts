import { readFileSync } from 'node:fs';
import { Argument, Command, Option } from 'commander';
import { parseJsonText } from '../definition/json-file';
import { DELIVERY_STATUSES } from '../runtime/delivery/delivery-state';
import { EVENT_FILTERS } from '../runtime/store/rows';
import { DEFAULT_CONFIG, webhookParametersFrom } from '../runtime/config';
import { proofHeaders, WebhookSecret } from '../runtime/intake/webhook-secret';
import { secretFromDefinition } from '../runtime/intake/webhook-verification';
import { appWebhook } from '../definition/app-webhook';
import { reach } from '../http/network';
import { callRuntime, ClientOptions, DEFAULT_RUNTIME_URL } from './api-client';
import { CliIo, ExitCode } from './io';
import { SECRET_VARIABLE, SecretOptions, secretFromOptions, withSecretOptions } from './webhook-secret-options';
import { loadAppFor } from './load';
import { unknownModuleMessage, unreadableFileMessage } from './cli-inputs';
import { freshBody, freshPaths } from './fresh-option';
import { usesColour } from './human-output';
import { positiveNumber, wholeNumberArgument } from './options';
import { formatBulkReplay, formatDeliveries, formatEvent, formatEvents, formatTriggers, formatWebhooks } from './runtime-views';
import { MAX_PAGE, PAGE } from '../runtime/api/paging';

/** The options every command that talks to a running runtime takes. */
export function withClientOptions(command: Command): Command {
  return command
    .option('--url <url>', `runtime base URL (env PLUGNPAID_URL, default ${DEFAULT_RUNTIME_URL})`)
    .option('--admin-token <token>', 'admin token (env PLUGNPAID_ADMIN_TOKEN, default: read from the data directory)')
    .option('--data <dir>', `data directory holding the admin token (env PLUGNPAID_DATA, default ${DEFAULT_CONFIG.dataDir})`);
}

const print = (io: CliIo, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

/** `--json`: the API's answer as it is, for scripts; without it a person's view of it. */
const withJsonOption = (command: Command) => command.option('--json', "print the API's answer as JSON (for scripts)");

/** Prints the runtime's answer (of the shape the view reads) as JSON when asked, otherwise as the given human view. */
function show<T>(io: CliIo, json: boolean | undefined, answer: unknown, human: (value: T, colour: boolean) => string): void {
  if (json) print(io, answer);
  else io.stdout(human(answer as T, usesColour(io)));
}

/** `webhooks create|list|delete`. */
export function webhooksCommand(io: CliIo): Command {
  const command = new Command('webhooks').description('manage webhooks (ingest URLs) of a running runtime');
  withClientOptions(withJsonOption(command.command('list').description('list webhooks: id, name, secret check and URL'))).action(async (o: ClientOptions & { json?: boolean }) =>
    show(io, o.json, await callRuntime(io, o, 'GET', '/api/webhooks'), formatWebhooks),
  );
  withClientOptions(
    withSecretOptions(
      command
        .command('create')
        .description(
          "create a webhook (a new URL) with no triggers: attach modules with `triggers add <webhook> <module>`. Its app parameters (e.g. Plug&Pay's webhookKey) come from PLUGNPAID_WEBHOOK_PARAMETERS, a JSON object; a shared secret from --secret",
        )
        .argument('<name>', 'webhook name'),
    ),
  ).action(async (name: string, o: ClientOptions & SecretOptions) => {
    const secret = secretFromOptions(io, o);
    const parameters = webhookParametersOrExit(io);
    const created = await callRuntime(io, o, 'POST', '/api/webhooks', { name, ...(secret ? { secret } : {}), ...(parameters ? { parameters } : {}) });
    print(io, created);
    io.stderr(`no triggers yet: attach modules with \`plugnpaid-connector triggers add ${created.id} <module>\`\n`);
  });
  withClientOptions(command.command('delete').description('delete a webhook and its triggers').argument('<id>', 'webhook id')).action(async (id: string, o: ClientOptions) => {
    await callRuntime(io, o, 'DELETE', `/api/webhooks/${encodeURIComponent(id)}`);
    io.stdout(`deleted ${id}\n`);
  });
  return command;
}

/** `triggers add|list|remove`. */
export function triggersCommand(io: CliIo): Command {
  const command = new Command('triggers').description('attach Watch modules to a webhook of a running runtime');
  withClientOptions(withJsonOption(command.command('list').description("list a webhook's triggers, in the app's module order").argument('<webhook>', 'webhook id'))).action(
    async (webhook: string, o: ClientOptions & { json?: boolean }) => show(io, o.json, await callRuntime(io, o, 'GET', `/api/webhooks/${encodeURIComponent(webhook)}/triggers`), formatTriggers),
  );
  withClientOptions(
    command
      .command('add')
      .description('attach a module; prints the signing secret once when it forwards to a URL')
      .argument('<webhook>', 'webhook id')
      .argument('<module>', 'module folder name, e.g. watch-one-time-sale')
      .option('--parameters <json>', 'parameter values as JSON')
      .option('--forward-to <url>', 'forward bundles to this URL (default: keep them for pulling)')
      .option('--max-per-second <rate>', 'with --forward-to: start at most this many deliveries a second (a destination with a rate limit, e.g. 0.5)', positiveNumber('--max-per-second')),
  ).action(async (webhook: string, module: string, o: ClientOptions & { parameters?: string; forwardTo?: string; maxPerSecond?: number }) => {
    const parameters = o.parameters === undefined ? {} : parameterJson(io, o.parameters);
    const path = `/api/webhooks/${encodeURIComponent(webhook)}/triggers`;
    if (o.maxPerSecond !== undefined && !o.forwardTo) {
      io.stderr('--max-per-second paces forwarding: give the destination with --forward-to <url>\n');
      throw new ExitCode(2);
    }
    const destination = o.forwardTo ? { url: o.forwardTo, ...(o.maxPerSecond === undefined ? {} : { maxPerSecond: o.maxPerSecond }) } : undefined;
    const created = await callRuntime(io, o, 'POST', path, { module, parameters, destination });
    print(io, created);
    const others = (await callRuntime(io, o, 'GET', path)).items.filter((trigger: { id: string; module: string }) => trigger.module === created.module && trigger.id !== created.id);
    if (others.length > 0) {
      const before = others.map((other: { id: string }) => other.id).join(', ');
      io.stderr(
        `note: webhook ${webhook} already had a ${created.module} trigger (${before}); the new one, ${created.id}, makes a second set of bundles for each event: \`triggers remove ${created.id}\` if one is enough\n`,
      );
    }
  });
  withClientOptions(command.command('remove').description('detach a trigger').argument('<id>', 'trigger id')).action(async (id: string, o: ClientOptions) => {
    await callRuntime(io, o, 'DELETE', `/api/triggers/${encodeURIComponent(id)}`);
    io.stdout(`removed ${id}\n`);
  });
  return command;
}

function parameterJson(io: CliIo, text: string): unknown {
  const parsed = parseJsonText(text);
  if (parsed.ok) return parsed.value;
  io.stderr(`--parameters is not valid JSON: ${parsed.message} (write it in single quotes, e.g. '{"bundlePerOrderLine":true}')\n`);
  throw new ExitCode(2);
}

// Keys never go on the command line (shell history, process lists): they come from the environment.
function webhookParametersOrExit(io: CliIo): Record<string, unknown> | undefined {
  const text = io.env.PLUGNPAID_WEBHOOK_PARAMETERS;
  if (!text) return undefined;
  try {
    return webhookParametersFrom(text);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    throw new ExitCode(2);
  }
}

/**
 * `send <module|file>`: posts a module's first sample (or a payload file) to a webhook, as the platform would:
 * with the webhook's shared secret (PLUGNPAID_WEBHOOK_SECRET) in the header or query it checks, and signed with
 * the webhook key from PLUGNPAID_WEBHOOK_PARAMETERS when the app verifies its webhooks.
 */
export function sendCommand(io: CliIo): Command {
  return withClientOptions(
    new Command('send')
      .description("post a module's sample payload or a payload file to a webhook URL, as the platform would (with the webhook's secret from PLUGNPAID_WEBHOOK_SECRET)")
      .argument('<source>', 'a module folder name (its first sample is sent) or a payload JSON file')
      .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
      .option('--to <url>', 'the webhook URL (default: the first webhook of the runtime)')
      .option('--fresh', "renew the payload's ids (the fields the app's webhook names in freshDelivery), so a sample sent before is stored as a new event"),
  ).action(async (source: string, o: ClientOptions & { to?: string; app?: string; fresh?: boolean }) => {
    const app = loadAppFor(io, o.app);
    const module = app.modules.find((candidate) => candidate.name === source);
    let body: string;
    try {
      body = module ? JSON.stringify(module.samples[0].payload) : readFileSync(source, 'utf8');
    } catch (error) {
      // A bare name was meant as a module; anything with a folder or an extension as a file.
      const problem = /[/\\.]/.test(source) ? unreadableFileMessage(source, error) : unknownModuleMessage(app, source);
      io.stderr(`'${source}' is neither a module name nor a readable payload file: ${problem}\n`);
      throw new ExitCode(2);
    }
    if (o.fresh) body = freshBody(io, app, body);
    // The runtime says how its webhook checks a secret (never the secret): asked unless an outside URL is given unsigned.
    const webhook = o.to === undefined || io.env[SECRET_VARIABLE] ? await targetWebhook(io, o) : undefined;
    const to = o.to ?? webhook?.url;
    if (!to) {
      io.stderr('no webhook to send to: create one or pass --to\n');
      throw new ExitCode(1);
    }
    // An app that verifies its webhooks (Plug&Pay's key) derives the secret from the webhook's parameters, below.
    const appVerifies = appWebhook(app)?.verification !== undefined;
    const request = sharedSecretRequest(io, to, body, appVerifies ? undefined : webhook);
    try {
      const secret = secretFromDefinition(app, webhookParametersOrExit(io));
      if (secret) Object.assign(request.headers, proofHeaders(secret, body));
    } catch (error) {
      io.stderr(`cannot sign the request: ${(error as Error).message} (set PLUGNPAID_WEBHOOK_PARAMETERS)\n`);
      throw new ExitCode(2);
    }
    const response = await reach(request.url, { method: 'POST', headers: request.headers, body });
    const text = await response.text();
    io.stdout(`HTTP ${response.status} ${text}\n`);
    if (response.status === 401) io.stderr(`${refusalHint(appVerifies, webhook, request.signed)}\n`);
    const duplicateOf = duplicateEvent(text);
    if (duplicateOf !== undefined) {
      const renewable = freshPaths(app, body);
      const fresh = renewable.length > 0 ? `; to send it as a new event, add --fresh (it renews ${renewable.join(', ')})` : '';
      io.stderr(`duplicate: the webhook already received this very body as event ${duplicateOf}, so nothing new was stored. To process it again: \`plugnpaid-connector replay event ${duplicateOf}\`${fresh}\n`);
    }
    if (!response.ok) throw new ExitCode(1);
  });
}

interface WebhookView {
  id: string;
  url: string;
  secret: { kind: 'hmac'; header: string; encoding: 'hex' | 'base64'; prefix?: string } | { kind: 'token'; header?: string; query?: string } | null;
}

/** The runtime's webhook `--to` names (or its first webhook without `--to`). */
async function targetWebhook(io: CliIo, o: ClientOptions & { to?: string }): Promise<WebhookView | undefined> {
  const items = (await callRuntime(io, o, 'GET', '/api/webhooks')).items as WebhookView[];
  return o.to === undefined ? items[0] : items.find((item) => item.url === o.to);
}

/** The URL and headers of a request that carries the webhook's shared secret, or exits 2 saying how to give it. */
function sharedSecretRequest(io: CliIo, url: string, body: string, webhook: WebhookView | undefined): { url: string; headers: Record<string, string>; signed: boolean } {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!webhook?.secret) return { url, headers, signed: false };
  const value = io.env[SECRET_VARIABLE];
  if (!value) {
    io.stderr(`webhook ${webhook.id} checks ${secretCheck(webhook.secret)}: set ${SECRET_VARIABLE} to its secret and send again\n`);
    throw new ExitCode(2);
  }
  const secret = { ...webhook.secret, secret: value } as WebhookSecret;
  const withQuery = new URL(url);
  if (secret.kind === 'token' && !secret.header && secret.query) withQuery.searchParams.set(secret.query, value);
  return { url: withQuery.toString(), headers: { ...headers, ...proofHeaders(secret, body) }, signed: true };
}

/** What a webhook's secret check looks at, in words. */
function secretCheck(secret: NonNullable<WebhookView['secret']>): string {
  if (secret.kind === 'hmac') return `an HMAC-SHA256 of the body in the ${secret.header} header`;
  return secret.header ? `a shared token in the ${secret.header} header` : `a shared token in the ${secret.query} query parameter`;
}

/** What to do when the webhook refused the request (401). */
function refusalHint(appVerifies: boolean, webhook: WebhookView | undefined, signed: boolean): string {
  if (appVerifies) return "the webhook refused the request: set PLUGNPAID_WEBHOOK_PARAMETERS to the webhook's parameters (its key) to sign it";
  if (signed) return `the webhook refused the request: ${SECRET_VARIABLE} is not the secret webhook ${webhook!.id} was created with`;
  return `the webhook refused the request: it checks a shared secret. Set ${SECRET_VARIABLE} to it (send then asks the runtime how to sign for a --to URL of its webhooks)`;
}

/** The event a duplicate answer names (`{"duplicate": true, "event": N}`), if it is one. */
function duplicateEvent(text: string): number | undefined {
  try {
    const answer = JSON.parse(text) as { duplicate?: unknown; event?: unknown };
    return answer.duplicate === true && typeof answer.event === 'number' ? answer.event : undefined;
  } catch {
    return undefined;
  }
}

/** `events [id]`: lists recent events (with the API's filters), or shows one with its bundles and deliveries. */
export function eventsCommand(io: CliIo): Command {
  return withClientOptions(
    withJsonOption(
      new Command('events')
        .description('list recent events, newest first (filter by --status, --type, --webhook, --q), or show one event')
        .argument('[id]', 'event id to show')
        .addOption(new Option('--status <status>', 'only events with this status (dead: with a delivery that gave up)').choices(EVENT_FILTERS))
        .option('--type <type>', 'only events of this type, as received (e.g. refund)')
        .option('--webhook <id>', 'only this webhook')
        .option('--q <text>', "only events whose payload holds this text (an order id, an email; whole words or word beginnings)")
        .option('--limit <n>', `how many events (1 to ${MAX_PAGE}, default ${PAGE})`, wholeNumberArgument('--limit', 1, MAX_PAGE))
        .option('--before <id>', 'only events older than this id (the "more" cursor of the previous page)', wholeNumberArgument('--before', 0)),
    ),
  ).action(async (id: string | undefined, o: ClientOptions & EventFilters & { json?: boolean }) => {
    if (id) return show(io, o.json, await callRuntime(io, o, 'GET', `/api/events/${encodeURIComponent(id)}`), formatEvent);
    const query = new URLSearchParams();
    for (const name of ['status', 'type', 'webhook', 'q', 'limit', 'before'] as const) if (o[name] !== undefined) query.set(name, String(o[name]));
    show(io, o.json, await callRuntime(io, o, 'GET', `/api/events?${query}`), formatEvents);
  });
}

interface EventFilters {
  status?: string;
  type?: string;
  webhook?: string;
  q?: string;
  limit?: number;
  before?: number;
}

/** `replay event|delivery <id>`, or `replay type <type>` for every unrouted (or failed) event of one type. */
export function replayCommand(io: CliIo): Command {
  return withClientOptions(
    new Command('replay')
      .description('process an event again (e.g. after attaching a trigger), every unrouted event of one type (e.g. after an alias), or re-send a dead delivery')
      .addArgument(new Argument('<kind>', 'what to replay').choices(['event', 'delivery', 'type']))
      .argument('<id>', 'the event or delivery id, or the event type as received')
      .addOption(new Option('--status <status>', 'with type: replay events of this status').choices(['unrouted', 'failed']).default('unrouted'))
      .option('--webhook <id>', 'with type: only this webhook'),
  ).action(async (kind: string, id: string, o: ClientOptions & { status: string; webhook?: string }) => {
    if (kind === 'type') return print(io, await callRuntime(io, o, 'POST', '/api/events/replay', { type: id, status: o.status, ...(o.webhook ? { webhook: o.webhook } : {}) }));
    print(io, await callRuntime(io, o, 'POST', `/api/${kind === 'event' ? 'events' : 'deliveries'}/${encodeURIComponent(id)}/replay`));
  });
}

/** `deliveries list|replay`: deliveries over all events, by status and trigger; every dead one sent again at once. */
export function deliveriesCommand(io: CliIo): Command {
  const command = new Command('deliveries').description('list deliveries by status (e.g. the dead ones) and replay them in bulk');
  withClientOptions(
    withJsonOption(
      command
        .command('list')
        .description('list deliveries, newest first (filter by --status, --trigger)')
        .addOption(new Option('--status <status>', 'only deliveries with this status (stopped: paused after a 410)').choices(DELIVERY_STATUSES))
        .option('--trigger <id>', 'only this trigger')
        .option('--limit <n>', `how many deliveries (1 to ${MAX_PAGE}, default ${PAGE})`, wholeNumberArgument('--limit', 1, MAX_PAGE))
        .option('--before <id>', 'only deliveries older than this id (the "more" cursor of the previous page)', wholeNumberArgument('--before', 0)),
    ),
  ).action(async (o: ClientOptions & { status?: string; trigger?: string; limit?: number; before?: number; json?: boolean }) => {
    const query = new URLSearchParams();
    for (const name of ['status', 'trigger', 'limit', 'before'] as const) if (o[name] !== undefined) query.set(name, String(o[name]));
    show(io, o.json, await callRuntime(io, o, 'GET', `/api/deliveries?${query}`), formatDeliveries);
  });
  withClientOptions(
    withJsonOption(
      command
        .command('replay')
        .description("send every dead delivery again (of one trigger with --trigger), keeping each one's attempt history")
        .addOption(new Option('--status <status>', 'which deliveries').choices(['dead']).makeOptionMandatory())
        .option('--trigger <id>', 'only this trigger'),
    ),
  ).action(async (o: ClientOptions & { status: string; trigger?: string; json?: boolean }) => {
    show(io, o.json, await callRuntime(io, o, 'POST', '/api/deliveries/replay', { status: o.status, ...(o.trigger ? { trigger: o.trigger } : {}) }), formatBulkReplay);
  });
  return command;
}
