import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { modulesMarkdown } from '../docs/module-docs';
import { CliIo } from './io';
import { loadAppFor } from './load';

/** `docs`: writes docs/modules.md (the app documentation Make asks for) from the definitions. */
export function docsCommand(io: CliIo): Command {
  return new Command('docs')
    .description('write docs/modules.md from the module definitions')
    .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
    .option('--out <file>', 'where to write (default: <app>/docs/modules.md)')
    .action((options: { app?: string; out?: string }) => {
      const app = loadAppFor(io, options.app);
      const out = resolve(options.out ?? join(app.dir, 'docs', 'modules.md'));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, modulesMarkdown(app));
      io.stdout(`wrote ${out} (${app.modules.length} modules)\n`);
    });
}
