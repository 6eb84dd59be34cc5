import { resolve } from 'node:path';
import { Command } from 'commander';
import { Deployer } from '../deploy/deploy';
import { DeployError, MakeClient } from '../deploy/make-client';
import { exportToFolder } from '../export/export-to-folder';
import { validAppFor } from './app-report';
import { CliIo, ExitCode } from './io';
import { MakeTargetOptions, withMakeTargetOptions } from './make-target-options';

/** The Make API key comes from the environment only, never from a flag, and is never printed. */
export const MAKE_KEY_VARIABLE = 'MAKE_API_KEY';

interface DeployOptions extends MakeTargetOptions {
  zoneUrl: string;
  appId: string;
  dryRun?: boolean;
}

/** `deploy`: exports, then creates or updates every component of the custom app through Make's app API. */
export function deployCommand(io: CliIo, retryDelayMs?: number): Command {
  return withMakeTargetOptions(new Command('deploy').description(`export and deploy the app to a Make (or Ibexa Connect) custom app; API key from ${MAKE_KEY_VARIABLE}`), true)
    .option('--dry-run', 'print the calls without making them')
    .action(async (options: DeployOptions) => {
      const app = validAppFor(io, options.app, 'Not deployed');
      const dir = resolve(options.dir);
      const target = { url: options.zoneUrl, appId: options.appId, appVersion: options.appVersion };
      exportToFolder(app, dir, target);
      const key = io.env[MAKE_KEY_VARIABLE];
      if (!key && !options.dryRun) {
        io.stderr(`Set ${MAKE_KEY_VARIABLE} to a Make API key with the sdk-apps scopes (it is never taken from a flag).\n`);
        throw new ExitCode(2);
      }
      try {
        const client = options.dryRun ? undefined : new MakeClient(key!, options.zoneUrl, retryDelayMs);
        const calls = await new Deployer(dir, target, client, (line) => io.stdout(`${line}\n`)).run();
        const created = calls.filter((call) => call.method === 'POST').length;
        io.stdout(`${options.dryRun ? 'planned' : 'deployed'}: ${calls.length} calls (${created} creates); id mapping in ${dir}/makecomapp.json\n`);
      } catch (error) {
        if (!(error instanceof DeployError)) throw error;
        io.stderr(`deploy stopped: ${error.message}\n`);
        throw new ExitCode(1);
      }
    });
}
