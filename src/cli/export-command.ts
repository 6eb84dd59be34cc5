import { resolve } from 'node:path';
import { Command } from 'commander';
import { exportToFolder } from '../export/export-to-folder';
import { validAppFor } from './app-report';
import { CliIo } from './io';

/** `export`: writes Make's local-development layout (makecomapp.json + component files). */
export function exportCommand(io: CliIo): Command {
  return new Command('export')
    .description("write the app in Make's local-development layout (open it in the Make Apps Editor for VS Code, or deploy it)")
    .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
    .requiredOption('--out <dir>', 'folder to write makecomapp.json and the component files into')
    .action((options: { app?: string; out: string }) => {
      const app = validAppFor(io, options.app, 'Not exported');
      const out = resolve(options.out);
      const tree = exportToFolder(app, out);
      const { components } = JSON.parse(tree.get('makecomapp.json') ?? '{}') as { components: Record<string, object> };
      const count = (type: string, one: string, many: string) => `${Object.keys(components[type]).length} ${Object.keys(components[type]).length === 1 ? one : many}`;
      io.stdout(`wrote ${tree.size} files to ${out}: ${count('connection', 'connection', 'connections')}, ${count('webhook', 'webhook', 'webhooks')}, ${count('module', 'instant trigger', 'instant triggers')}, ${count('rpc', 'RPC', 'RPCs')}\n`);
    });
}
