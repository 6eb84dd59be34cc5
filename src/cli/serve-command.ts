import { join, relative } from 'node:path';
import { Command } from 'commander';
import { adminTokenFile } from '../runtime/api/admin-token';
import { ConfigError, configFromEnv, DEFAULT_CONFIG, RuntimeConfig } from '../runtime/config';
import { createRuntime, Runtime } from '../runtime/server';
import { ensurePortFree, StartError } from '../runtime/start-error';
import { requiredWebhookParameters } from '../runtime/intake/webhook-verification';
import { validAppFor } from './app-report';
import { reachLines } from './serve-banner';
import { webhookView } from '../runtime/api/views';
import { withApiBaseOption } from './connection-command';
import { CliIo, ExitCode } from './io';
import { publicUrlArgument, wholeNumberArgument } from './options';

/** How many webhook URLs the banner prints; the rest are counted, with the command that lists them. */
const WEBHOOKS_SHOWN = 3;

interface ServeOptions {
  host?: string;
  port?: number;
  data?: string;
  app?: string;
  adminToken?: string;
  publicUrl?: string;
  allowPrivateDestinations?: boolean;
  alertUrl?: string;
  apiBase?: string;
}

function settingsFromEnv(io: CliIo): Partial<RuntimeConfig> {
  try {
    return configFromEnv(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\n`);
    throw new ExitCode(2);
  }
}

/** A path as one shell word, quoted only when it needs to be. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * The runtime, listening; or the reason it cannot start (another app's data folder, a busy port) on stderr and
 * exit 1. The port is tried before the data folder is opened, so a busy port leaves nothing behind.
 */
async function started(io: CliIo, config: Parameters<typeof createRuntime>[0] & object): Promise<{ runtime: Runtime; address: string }> {
  const host = config.host ?? DEFAULT_CONFIG.host;
  const port = config.port ?? DEFAULT_CONFIG.port;
  let runtime: Runtime | undefined;
  try {
    await ensurePortFree(host, port);
    runtime = createRuntime(config);
    return { runtime, address: await runtime.listen() };
  } catch (error) {
    await runtime?.close();
    if (!(error instanceof StartError)) throw error;
    io.stderr(`${error.message}\n`);
    throw new ExitCode(1);
  }
}

/** `serve`: the local webhook runtime (what `npm start` runs). */
export function serveCommand(io: CliIo): Command {
  return withApiBaseOption(new Command('serve'))
    .description('run the webhook runtime: receive webhook events, store, map (fetching from the API where a module does) and deliver bundles')
    .option('--host <host>', `interface to listen on (env PLUGNPAID_HOST, default ${DEFAULT_CONFIG.host})`)
    .option('--port <port>', `port, 0 to 65535 (env PLUGNPAID_PORT, default ${DEFAULT_CONFIG.port})`, wholeNumberArgument('--port', 0, 65535))
    .option('--data <dir>', `data directory (env PLUGNPAID_DATA, default ${DEFAULT_CONFIG.dataDir})`)
    .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
    .option('--admin-token <token>', 'use this admin token instead of the generated one; prefer env PLUGNPAID_ADMIN_TOKEN, as a flag it shows in ps and shell history')
    .option('--public-url <url>', 'the https:// URL Plug&Paid reaches this server at (a tunnel or a public host), for printed webhook URLs (env PLUGNPAID_PUBLIC_URL)', publicUrlArgument)
    .option('--allow-private-destinations', 'let triggers forward to loopback, private and link-local addresses, e.g. a service on this host (env PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS=1)')
    .option('--alert-url <url>', 'send operational alerts (a destination failing, dead deliveries, unknown event types, failed events) to this URL, signed (env PLUGNPAID_ALERT_URL)')
    .action(async (options: ServeOptions) => {
      const config: Partial<RuntimeConfig> = { ...settingsFromEnv(io) };
      if (options.host) config.host = options.host;
      if (options.port !== undefined) config.port = options.port;
      if (options.data) config.dataDir = options.data;
      if (options.app) config.appDir = options.app;
      if (options.adminToken) config.adminToken = options.adminToken;
      if (options.publicUrl) config.publicUrl = options.publicUrl;
      if (options.allowPrivateDestinations) config.allowPrivateDestinations = true;
      if (options.alertUrl) config.alertUrl = options.alertUrl;
      if (options.apiBase) config.apiBase = options.apiBase;
      const { runtime, address } = await started(io, { ...config, app: validAppFor(io, config.appDir, 'Not serving') });
      const dataDir = config.dataDir ?? DEFAULT_CONFIG.dataDir;
      const { app } = runtime;
      const appFlag = options.app ? ` --app ${shellWord(options.app)}` : '';
      // Client commands find this runtime and its token only when told where: the printed lines say so.
      const client = `--url ${runtime.baseUrl()}${dataDir === DEFAULT_CONFIG.dataDir ? '' : ` --data ${shellWord(dataDir)}`}`;
      const tokenVariable = config.adminToken ? 'PLUGNPAID_ADMIN_TOKEN=… ' : '';
      for (const notice of runtime.notices) io.stderr(`note: ${notice}\n`);
      io.stdout(`${app.manifest.label} connector runtime listening on ${address}\n`);
      const webhooks = runtime.store.sql.webhooks.all('', WEBHOOKS_SHOWN + 1).map((row) => webhookView(row, runtime.baseUrl()));
      const webhookCount = webhooks.length > WEBHOOKS_SHOWN ? (runtime.store.db.prepare('SELECT count(*) AS n FROM webhooks').get() as { n: number }).n : webhooks.length;
      const needed = requiredWebhookParameters(app).map((parameter) => `"${parameter.name}":"…"`).join(',');
      if (webhookCount === 0) {
        io.stdout(`  Webhooks:    none yet: a ${app.manifest.label} webhook needs {${needed}}. Restart with PLUGNPAID_WEBHOOK_PARAMETERS='{${needed}}',\n`);
        io.stdout(`               or run: ${tokenVariable}PLUGNPAID_WEBHOOK_PARAMETERS='{${needed}}' npx plugnpaid-connector webhooks create <name> ${client}\n`);
      }
      const lines = reachLines({
        platform: app.manifest.label,
        baseUrl: runtime.baseUrl(),
        webhooks: webhooks.slice(0, WEBHOOKS_SHOWN),
        webhookCount,
        created: runtime.defaultWebhook ? { steps: relative(process.cwd(), join(app.dir, 'docs', 'modules.md')), triggers: app.modules.length } : undefined,
        listCommand: `${tokenVariable}npx plugnpaid-connector webhooks list ${client}`,
      });
      lines.forEach((text) => io.stdout(`${text}\n`));
      if (runtime.adminTokenCreated && io.stdoutIsTerminal) {
        io.stdout(`  Admin token: ${runtime.adminToken}\n               (shown once; kept in ${adminTokenFile(dataDir)}, mode 0600)\n`);
      } else if (runtime.adminTokenCreated) {
        // Not a terminal: a service manager's log, which others may read. The token stays in its file.
        io.stdout(`  Admin token: created and kept in ${adminTokenFile(dataDir)} (mode 0600); not printed, as this output is not a terminal\n`);
      } else {
        io.stdout(`  Admin token: ${config.adminToken ? 'as configured' : `in ${adminTokenFile(dataDir)}`}\n`);
      }
      if (runtime.alertSecretCreated) {
        io.stdout(`  Alerts:      to ${config.alertUrl}, signed with ${runtime.alertSecretCreated}\n               (shown once; verify them as Standard Webhooks)\n`);
      } else if (config.alertUrl) {
        io.stdout(`  Alerts:      to ${config.alertUrl}, signed with the alert secret shown at its first start\n`);
      }
      const signing = needed ? `PLUGNPAID_WEBHOOK_PARAMETERS='{${needed}}' ` : '';
      io.stdout(`  Try it:      ${tokenVariable}${signing}npx plugnpaid-connector send ${app.modules[0].name}${appFlag} ${client}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          io.stdout('shutting down: finishing in-flight work\n');
          runtime.close().then(resolve, resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
