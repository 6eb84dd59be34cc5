import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Command } from 'commander';
import { aliasProblem, catalogueFile, catalogueWithAlias } from '../definition/catalogue-alias';
import { writeValidated } from './app-edit';
import { moduleDocsFile, writeModuleDocs } from './docs-command';
import { CliIo, ExitCode } from './io';
import { loadAppFor } from './load';

/** `catalogue alias <received-type> <event>`: teaches the app a name the platform really sends. */
export function catalogueCommand(io: CliIo): Command {
  const command = new Command('catalogue').description("edit the app's event catalogue (schemas/events.json)");
  command
    .command('alias')
    .description('add a received event type as an alias of a catalogue event, keeping the file\'s formatting; the app must still validate')
    .argument('<received-type>', 'the event type as the platform sends it (see `drift`), e.g. order_sent')
    .argument('<catalogue-event>', 'the catalogue event it means, e.g. order_shipped')
    .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
    .action((received: string, event: string, o: { app?: string }) => {
      const app = loadAppFor(io, o.app);
      const problem = aliasProblem(app, received, event);
      if (problem) {
        io.stderr(`${problem}\n`);
        throw new ExitCode(2);
      }
      const file = catalogueFile(app);
      const before = readFileSync(file, 'utf8');
      writeValidated(io, app.dir, file, before, catalogueWithAlias(before, received, event));
      // The module documentation lists each event's names: kept in step with the catalogue it describes.
      const docs = existsSync(moduleDocsFile(app)) ? writeModuleDocs(loadAppFor(io, app.dir)) : undefined;
      const shown = (path: string) => relative(process.cwd(), path) || path;
      io.stdout(
        `'${received}' is now an alias of '${event}' in ${shown(file)}; the app validates.${docs ? ` Regenerated ${shown(docs)}.` : ''}\n` +
          `Restart the runtime (it reads the catalogue when it starts), then route the events already stored: plugnpaid-connector replay type ${received}\n`,
      );
    });
  return command;
}
