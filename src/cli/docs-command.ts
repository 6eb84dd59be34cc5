import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import type { AppDefinition } from '../definition/types';
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
      const out = writeModuleDocs(app, options.out);
      io.stdout(`wrote ${out} (${app.modules.length} modules)\n`);
    });
}

/** The app's module documentation: where `docs` writes it unless told otherwise. */
export function moduleDocsFile(app: AppDefinition): string {
  return join(app.dir, 'docs', 'modules.md');
}

/** Writes the app's module documentation (to `out`, default moduleDocsFile); returns the file written. */
export function writeModuleDocs(app: AppDefinition, out?: string): string {
  const file = resolve(out ?? moduleDocsFile(app));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, modulesMarkdown(app));
  return file;
}
