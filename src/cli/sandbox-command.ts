import { Command } from 'commander';
import type { AppDefinition } from '../definition/types';
import { Sandbox, startSandbox } from '../sandbox/server';
import { validAppFor } from './app-report';
import { API_BASE_VARIABLE, TOKEN_VARIABLE } from './connection-command';
import { CliIo, ExitCode } from './io';
import { wholeNumberArgument } from './options';
import { shellWord } from './serve-command';

/** The started sandbox, or exit 1 saying what to do when its port is taken. */
async function listening(io: CliIo, app: AppDefinition, port: number): Promise<Sandbox> {
  try {
    return await startSandbox(app, { port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    io.stderr(`cannot listen on http://127.0.0.1:${port}: the port is already in use (EADDRINUSE), perhaps by another sandbox. Stop that one, or choose another port (--port 0 takes any free one)\n`);
    throw new ExitCode(1);
  }
}

/** `sandbox`: the app's platform API served from its recorded answers, to try the app without an account. */
export function sandboxCommand(io: CliIo): Command {
  return new Command('sandbox')
    .description("serve the app's platform API on 127.0.0.1 from its recorded answers (connector/api-samples.json and the samples' responses), to try connection test, rpc, map and serve without an account")
    .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
    .option('--port <port>', 'port, 0 to 65535 (default 0: any free port)', wholeNumberArgument('--port', 0, 65535))
    .action(async (options: { app?: string; port?: number }) => {
      const app = validAppFor(io, options.app, 'No sandbox');
      const sandbox = await listening(io, app, options.port ?? 0);
      const label = app.manifest.label;
      io.stdout(`${label} API sandbox listening on ${sandbox.baseUrl} (this machine only), answering from the app's recorded answers:\n`);
      const width = Math.max(...sandbox.routes.map((route) => route.method.length + route.path.length + 1));
      for (const route of sandbox.routes) io.stdout(`  ${`${route.method} ${route.path}`.padEnd(width)}  ${route.maker}\n`);
      const header = sandbox.tokenHeader;
      io.stdout(
        header
          ? `  Token:   any non-empty token is accepted (${header.label}: ${header.prefix}<token>); nothing is checked with ${label}\n`
          : '  Token:   none is asked for\n',
      );
      io.stdout('  Others:  any other request is answered 404, with the list above\n');
      const appFlag = options.app ? ` --app ${shellWord(options.app)}` : '';
      io.stdout(`  Use it:  ${TOKEN_VARIABLE}=any-token ${API_BASE_VARIABLE}=${sandbox.baseUrl} npx plugnpaid-connector connection test${appFlag}\n`);
      io.stdout(`           (the same two variables for rpc, map and serve)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => sandbox.close().then(resolve, resolve);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
