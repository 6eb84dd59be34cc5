import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { editJsonText } from '../definition/json-edit';
import { captureSample } from '../samples/capture';
import { callRuntime, ClientOptions } from './api-client';
import { writeValidated } from './app-edit';
import { unknownModuleMessage } from './cli-inputs';
import { CliIo, ExitCode } from './io';
import { loadAppFor } from './load';
import { withClientOptions } from './runtime-commands';

/** `samples capture <event-id> --module <name>`: a real event, scrubbed, becomes a sample of the module. */
export function samplesCommand(io: CliIo): Command {
  const command = new Command('samples').description("grow a module's samples.json from real traffic");
  withClientOptions(
    command
      .command('capture')
      .description("fetch a stored event from the running runtime, replace its personal data by fakes, append it with the module's bundles to the module's samples.json, and validate the app")
      .argument('<event-id>', 'the stored event (see `events` or `drift`)')
      .requiredOption('--module <name>', 'the module whose samples.json gets the sample, e.g. watch-order-shipped')
      .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)'),
  ).action(async (eventId: string, o: ClientOptions & { module: string; app?: string }) => {
    const app = loadAppFor(io, o.app);
    const module = app.modules.find((candidate) => candidate.name === o.module);
    if (!module) {
      io.stderr(`${unknownModuleMessage(app, o.module)}\n`);
      throw new ExitCode(2);
    }
    if (!/^\d+$/.test(eventId)) {
      io.stderr(`event id must be a number, e.g. 42 (got '${eventId}')\n`);
      throw new ExitCode(2);
    }
    const event = await callRuntime(io, o, 'GET', `/api/events/${eventId}`);
    const captured = captureSample(app, module, Number(eventId), event.body);
    if (!captured.ok) {
      io.stderr(`${captured.error}\n`);
      throw new ExitCode(1);
    }
    const file = join(app.dir, module.files.samples);
    const before = readFileSync(file, 'utf8');
    writeValidated(io, app.dir, file, before, editJsonText(before, [-1], captured.sample));
    const bundles = captured.sample.bundles.length;
    io.stdout(`appended "${captured.sample.title}" (${bundles} bundle${bundles === 1 ? '' : 's'}) to ${relative(process.cwd(), file) || file}; the app validates.\n`);
  });
  return command;
}
