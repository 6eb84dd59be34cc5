import { Command } from 'commander';
import { parseJsonText } from '../definition/json-file';
import { parameterProblems } from '../definition/parameter-check';
import { readNamedFile, unknownModuleMessage } from './cli-inputs';
import { mapEventWithApi } from '../mapping/enrich';
import { payloadViolations, unroutableReason, watchingModules } from '../mapping/map-event';
import { eventTypeOf } from '../mapping/route';
import { apiBaseFrom, tokenFrom, withApiBaseOption } from './connection-command';
import { CliIo, ExitCode } from './io';
import { loadAppFor } from './load';

interface MapOptions {
  app?: string;
  module?: string;
  parameters?: string;
  apiBase?: string;
}

/**
 * `map`: one webhook payload in, `{ module: [bundle, …] }` out for every trigger that reacts to it. Modules that
 * fetch their object (Plug&Pay) call the API with the token from the environment, at `--api-base` if given.
 */
export function mapCommand(io: CliIo): Command {
  return withApiBaseOption(
    new Command('map')
      .description('map one webhook payload (a file, or - / nothing for stdin) to bundles, per trigger')
      .argument('[file]', 'payload JSON file, or - for standard input')
      .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
      .option('--module <name>', 'only this module (folder name, e.g. watch-one-time-sale)')
      .option('--parameters <json>', 'trigger parameter values as JSON, e.g. \'{"bundlePerOrderLine":true}\''),
  ).action(async (file: string | undefined, options: MapOptions) => {
      const app = loadAppFor(io, options.app);
      const parameters = options.parameters === undefined ? undefined : parseOrExit(io, options.parameters, '--parameters');
      if (options.module && !app.modules.some((module) => module.name === options.module)) fail(io, unknownModuleMessage(app, options.module));
      const source = file === undefined || file === '-' ? 'standard input' : file;
      const text = await readPayload(io, file);
      if (text.trim() === '') fail(io, `${source} is empty: ${source === 'standard input' ? 'pipe a payload in (cat payload.json | plugnpaid-connector map -)' : 'it should hold one webhook payload'}, or give a payload file: plugnpaid-connector map <file>`);
      const payload = parseOrExit(io, text, source);
      const reason = unroutableReason(app, payload);
      if (reason) fail(io, `No trigger reacts to this payload: ${reason}`);

      for (const violation of payloadViolations(app, payload)) {
        io.stderr(`warning: payload${violation.pointer || ''} ${violation.message} (mapped anyway)\n`);
      }
      const modules = watchingModules(app, payload, options.module);
      if (modules.length === 0) fail(io, `module '${options.module}' does not react to event type '${String(eventTypeOf(app, payload))}'`);
      if (parameters !== undefined) {
        // Without --module every watching module gets the same values: check them against all their parameters.
        const definitions = [...new Map(modules.flatMap((module) => module.parameters).map((parameter) => [parameter.name, parameter])).values()];
        const problems = parameterProblems(modules.map((module) => module.name).join(', '), definitions, parameters);
        if (problems.length > 0) fail(io, `--parameters: ${problems.join('; ')}`);
      }
      const connection = modules.some((module) => module.communication) ? tokenFrom(io, app) : undefined;
      const results = await mapEventWithApi(app, payload, { only: options.module, parameters: parameters as Record<string, unknown> | undefined, connection, apiBase: apiBaseFrom(io, options) });
      const output: Record<string, unknown[]> = {};
      let failed = false;
      for (const result of results) {
        if (!result.ok) {
          io.stderr(`error: ${result.module} could not map the payload: ${result.error}\n`);
          failed = true;
          continue;
        }
        output[result.module] = result.bundles.map((bundle) => bundle.data);
        result.bundles.forEach((bundle, index) =>
          bundle.errors.forEach((error) => {
            io.stderr(`error: ${result.module} bundle ${index + 1}${error.pointer} ${error.message}\n`);
            failed = true;
          }),
        );
      }
      io.stdout(`${JSON.stringify(output, null, 2)}\n`);
      if (failed) throw new ExitCode(1);
    });
}

async function readPayload(io: CliIo, file: string | undefined): Promise<string> {
  if (file !== undefined && file !== '-') return readNamedFile(io, file);
  // On a terminal nothing is piped in: say what is awaited rather than wait silently.
  if (io.stdinIsTerminal) io.stderr('reading the payload from standard input: paste it, then press Ctrl-D (or give a file: plugnpaid-connector map <file>)\n');
  return io.readStdin();
}

function parseOrExit(io: CliIo, text: string, source: string): unknown {
  const parsed = parseJsonText(text);
  if (!parsed.ok) fail(io, `${source}: ${parsed.message}`);
  return (parsed as { value: unknown }).value;
}

function fail(io: CliIo, message: string): never {
  io.stderr(`${message}\n`);
  throw new ExitCode(2);
}
