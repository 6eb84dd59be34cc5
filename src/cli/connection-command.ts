import { Command } from 'commander';
import { ApiError } from '../http/api-error';
import type { AppDefinition } from '../definition/types';
import { connectionFromToken, runRpc, testConnection } from '../http/connection';
import { apiBaseUrl, ConfigError } from '../runtime/config';
import { CliIo, ExitCode } from './io';
import { apiBaseArgument } from './options';
import { loadAppFor } from './load';

/** The API token comes from the environment only: a flag would land in shell history and process lists. */
export const TOKEN_VARIABLE = 'PLUGNPAID_API_TOKEN';

/** The connection values from the environment's API token; exits 2 with a hint when it is not set. */
export function tokenFrom(io: CliIo, app: AppDefinition): Record<string, unknown> {
  const token = io.env[TOKEN_VARIABLE];
  if (!token) {
    io.stderr(`Set ${TOKEN_VARIABLE} to your ${app.manifest.label} API token first.\n`);
    throw new ExitCode(2);
  }
  return connectionFromToken(app, token);
}

/** The environment variable naming the API base URL, as `--api-base` does (the runtime reads it too). */
export const API_BASE_VARIABLE = 'PLUGNPAID_API_BASE';

/** Adds `--api-base` to a command that calls the platform's API. */
export function withApiBaseOption(command: Command): Command {
  return command.option('--api-base <url>', `API base URL instead of the app base's baseUrl, e.g. the sandbox's (env ${API_BASE_VARIABLE})`, apiBaseArgument);
}

/** The API base the options or the environment give, if any; exits 2 saying why when the variable is no URL. */
export function apiBaseFrom(io: CliIo, options: { apiBase?: string }): string | undefined {
  const variable = io.env[API_BASE_VARIABLE];
  if (options.apiBase || !variable) return options.apiBase;
  try {
    return apiBaseUrl(variable, API_BASE_VARIABLE);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\n`);
    throw new ExitCode(2);
  }
}

async function reportingApiErrors<T>(io: CliIo, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    io.stderr(`${error.type}: ${error.message}\n`);
    throw new ExitCode(1);
  }
}

/** `connection test`: runs the connection's test request with the token from the environment. */
export function connectionCommand(io: CliIo): Command {
  const command = new Command('connection').description(`work with the app's connection (token from ${TOKEN_VARIABLE})`);
  withApiBaseOption(
    command
      .command('test')
      .description('call the connection test request and report whether the token works')
      .option('--app <dir>', 'app directory'),
  ).action(async (options: { app?: string; apiBase?: string }) => {
      const app = loadAppFor(io, options.app);
      const values = tokenFrom(io, app);
      const result = await reportingApiErrors(io, () => testConnection(app, values, { apiBase: apiBaseFrom(io, options) }));
      io.stdout(`connection OK${result.metadata ? `: ${result.metadata}` : ''}\n`);
    });
  return command;
}

/** `rpc <name>`: runs an RPC (e.g. listProducts) and prints its options as JSON. */
export function rpcCommand(io: CliIo): Command {
  return withApiBaseOption(
    new Command('rpc')
      .description(`run an RPC such as listProducts and print its options (token from ${TOKEN_VARIABLE})`)
      .argument('<name>', 'RPC name, e.g. listProducts')
      .option('--app <dir>', 'app directory'),
  ).action(async (name: string, options: { app?: string; apiBase?: string }) => {
      const app = loadAppFor(io, options.app);
      if (!app.rpcs[name]) {
        io.stderr(`unknown RPC '${name}' (known: ${Object.keys(app.rpcs).join(', ')})\n`);
        throw new ExitCode(2);
      }
      const values = tokenFrom(io, app);
      const choices = await reportingApiErrors(io, () => runRpc(app, name, values, { apiBase: apiBaseFrom(io, options) }));
      io.stdout(`${JSON.stringify(choices, null, 2)}\n`);
    });
}
