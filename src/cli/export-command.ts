import { resolve } from 'node:path';
import { Command } from 'commander';
import { formatProblem } from '../definition/problems';
import type { AppDefinition } from '../definition/types';
import { validateApp } from '../definition/validate';
import { exportToFolder } from '../export/export-to-folder';
import { CliIo, ExitCode } from './io';

/** The validated app, or the reasons Make could not run it (exit 1). */
export function exportableApp(io: CliIo, dir: string | undefined): AppDefinition {
  const { app, problems } = validateApp(dir);
  if (!app || problems.length > 0) {
    io.stderr('Not exported: Make could not run this definition as it is. Fix these first:\n');
    problems.forEach((problem) => io.stderr(`  ${formatProblem(problem)}\n`));
    throw new ExitCode(1);
  }
  return app;
}

/** `export`: writes Make's local-development layout (makecomapp.json + component files). */
export function exportCommand(io: CliIo): Command {
  return new Command('export')
    .description("write the app in Make's local-development layout (open it in the Make Apps Editor for VS Code, or deploy it)")
    .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
    .requiredOption('--out <dir>', 'folder to write makecomapp.json and the component files into')
    .action((options: { app?: string; out: string }) => {
      const app = exportableApp(io, options.app);
      const out = resolve(options.out);
      const tree = exportToFolder(app, out);
      io.stdout(`wrote ${tree.size} files to ${out}: 1 connection, ${app.modules.length} webhooks, ${app.modules.length} instant triggers, ${Object.keys(app.rpcs).length} RPC\n`);
    });
}
