import { resolve } from 'node:path';
import { Command } from 'commander';
import { exportToFolder } from '../export/export-to-folder';
import { validAppFor } from './app-report';
import { CliIo, ExitCode } from './io';
import { MakeTargetOptions, withMakeTargetOptions } from './make-target-options';

/** `export`: writes Make's local-development layout (makecomapp.json + component files). */
export function exportCommand(io: CliIo): Command {
  return withMakeTargetOptions(
    new Command('export').description("write the app in Make's local-development layout (open it in the Make Apps Editor for VS Code, or deploy it)"),
    false,
  ).action((options: MakeTargetOptions) => {
    if (!options.zoneUrl !== !options.appId) {
      io.stderr(`Give --zone-url and --app-id together (the origin needs both), or neither.\n`);
      throw new ExitCode(2);
    }
    const app = validAppFor(io, options.app, 'Not exported');
    const dir = resolve(options.dir);
    const target = options.zoneUrl && options.appId ? { url: options.zoneUrl, appId: options.appId, appVersion: options.appVersion } : undefined;
    const tree = exportToFolder(app, dir, target);
    const { components } = JSON.parse(tree.get('makecomapp.json') ?? '{}') as { components: Record<string, object> };
    const count = (type: string, one: string, many: string) => `${Object.keys(components[type]).length} ${Object.keys(components[type]).length === 1 ? one : many}`;
    io.stdout(`wrote ${tree.size} files to ${dir}: ${count('connection', 'connection', 'connections')}, ${count('webhook', 'webhook', 'webhooks')}, ${count('module', 'instant trigger', 'instant triggers')}, ${count('rpc', 'RPC', 'RPCs')}\n`);
    if (target) io.stdout(`origin: ${target.appId} on ${target.url} (the Make Apps Editor reads its API key from .secrets/apikey in that folder)\n`);
  });
}
