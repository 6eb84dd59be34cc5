import { Command, CommanderError } from 'commander';
import { NetworkError } from '../http/network';
import { PACKAGE_VERSION } from '../runtime/user-agent';
import { catalogueCommand } from './catalogue-command';
import { connectionCommand, rpcCommand } from './connection-command';
import { deployCommand } from './deploy-command';
import { docsCommand } from './docs-command';
import { driftCommand } from './drift-command';
import { exportCommand } from './export-command';
import { CliIo, ExitCode } from './io';
import { mapCommand } from './map-command';
import { deliveriesCommand, eventsCommand, replayCommand, sendCommand, triggersCommand, webhooksCommand } from './runtime-commands';
import { samplesCommand } from './samples-command';
import { sandboxCommand } from './sandbox-command';
import { serveCommand } from './serve-command';
import { validateCommand } from './validate-command';

/** The `plugnpaid-connector` command tree, writing to the given io. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('plugnpaid-connector')
    .description('Plug&Paid connector for Make and Ibexa Connect: validate, map, document, run and export the app')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version');
  for (const command of [validateCommand(io), mapCommand(io), docsCommand(io), exportCommand(io), deployCommand(io), connectionCommand(io), rpcCommand(io), sandboxCommand(io), serveCommand(io), webhooksCommand(io), triggersCommand(io), sendCommand(io), eventsCommand(io), deliveriesCommand(io), replayCommand(io), driftCommand(io), catalogueCommand(io), samplesCommand(io)]) program.addCommand(command);
  const configure = (command: Command): void => {
    // Descriptions wrap even beside a long term (Commander stops wrapping below 40 free columns by default).
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).configureHelp({ minWidthToWrap: 20 });
    // After a usage error, one line on where the usage is, not the whole help under the message.
    command.showHelpAfterError(`(${['plugnpaid-connector', ...commandPath(command)].join(' ')} --help ${command.commands.length > 0 ? 'lists the commands' : 'shows the usage'})`);
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** The words of a command below the program (`['triggers', 'add']`). */
function commandPath(command: Command): string[] {
  return command.parent ? [...commandPath(command.parent), command.name()] : [];
}

/** Runs the CLI with argv (as process.argv) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof ExitCode) return error.code;
    // Commander has printed the problem (unknown option, value not among the choices…): a usage error, exit 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof NetworkError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    io.stderr(`unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
