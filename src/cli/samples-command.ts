import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { editJsonText } from '../definition/json-edit';
import type { AppDefinition } from '../definition/types';
import { eventOfBody } from '../mapping/route';
import { captureSample, capturedTitlePrefix } from '../samples/capture';
import { callRuntime, ClientOptions } from './api-client';
import { writeValidated } from './app-edit';
import { unknownModuleMessage } from './cli-inputs';
import { CliIo, ExitCode } from './io';
import { loadAppFor } from './load';
import { withClientOptions } from './runtime-commands';

/** `samples capture <event-id> [--module <name>]`: a real event, scrubbed, becomes a sample of the module. */
export function samplesCommand(io: CliIo): Command {
  const command = new Command('samples').description("grow a module's samples.json from real traffic");
  withClientOptions(
    command
      .command('capture')
      .description("fetch a stored event from the running runtime, replace its personal data by fakes, append it with the module's bundles to the module's samples.json, and validate the app")
      .argument('<event-id>', 'the stored event (see `events` or `drift`)')
      .option('--module <name>', 'the module whose samples.json gets the sample, e.g. watch-order-shipped (default: the one module the event reached)')
      .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)'),
  ).action(async (eventId: string, o: ClientOptions & { module?: string; app?: string }) => {
    const app = loadAppFor(io, o.app);
    if (!/^\d+$/.test(eventId)) {
      io.stderr(`event id must be a number, e.g. 42 (got '${eventId}')\n`);
      throw new ExitCode(2);
    }
    if (o.module !== undefined && !app.modules.some((candidate) => candidate.name === o.module)) {
      io.stderr(`${unknownModuleMessage(app, o.module)}\n`);
      throw new ExitCode(2);
    }
    const event = await callRuntime(io, o, 'GET', `/api/events/${eventId}`);
    const name = o.module ?? onlyModule(io, app, eventId, event);
    const module = app.modules.find((candidate) => candidate.name === name)!;
    const existing = module.samples.findIndex((sample) => sample.title.startsWith(capturedTitlePrefix(Number(eventId))));
    const file = join(app.dir, module.files.samples);
    const shown = relative(process.cwd(), file) || file;
    if (existing >= 0) {
      io.stdout(`event ${eventId} is already sample ${existing + 1} of ${module.name} ("${module.samples[existing].title}" in ${shown}); nothing appended.\n`);
      return;
    }
    const captured = captureSample(app, module, Number(eventId), event.body);
    if (!captured.ok) {
      io.stderr(`${captured.error}\n`);
      throw new ExitCode(1);
    }
    const before = readFileSync(file, 'utf8');
    writeValidated(io, app.dir, file, before, editJsonText(before, [-1], captured.sample));
    const bundles = captured.sample.bundles.length;
    io.stdout(`appended "${captured.sample.title}" (${bundles} bundle${bundles === 1 ? '' : 's'}) to ${shown}; the app validates.\n`);
  });
  return command;
}

/** The module an event reached (its triggers' modules, else the catalogue's for its type), when there is one; otherwise exits 2 naming them. */
function onlyModule(io: CliIo, app: AppDefinition, eventId: string, event: { body?: unknown; routing?: { triggers?: Array<{ module: string }> } | null }): string {
  const reached = new Set((event.routing?.triggers ?? []).map((trigger) => trigger.module));
  const watching = eventOfBody(app, event.body)?.modules ?? [];
  // In the app's module order, whichever trigger ran first.
  const candidates = app.modules.map((module) => module.name).filter((name) => (reached.size > 0 ? reached.has(name) : watching.includes(name)));
  if (candidates.length === 1) return candidates[0];
  io.stderr(
    candidates.length === 0
      ? `event ${eventId} reached no module: pass --module <name> (modules: ${app.modules.map((m) => m.name).join(', ')})\n`
      : `event ${eventId} reached ${candidates.join(', ')}: pass --module with the one whose samples.json gets the sample\n`,
  );
  throw new ExitCode(2);
}
