import { Command, InvalidArgumentError } from 'commander';
import { zoneHost } from '../deploy/origin';
import { wholeNumberArgument } from './options';

/** The export folder `export` writes and `deploy` reads, by default. */
export const DEFAULT_EXPORT_DIR = './make-app';

/** What `export` and `deploy` are told about the folder and the custom app in Make. */
export interface MakeTargetOptions {
  app?: string;
  dir: string;
  zoneUrl?: string;
  appId?: string;
  appVersion: number;
}

/** `--zone-url`: refused before the command runs unless it is a zone's API URL. */
function zoneUrlArgument(text: string): string {
  if (!zoneHost(text)) {
    throw new InvalidArgumentError(`a zone URL is https://<zone>/api: https://eu1.make.com/api (or eu2, us1, us2) for Make, your Ibexa Connect host with /api; got ${text}`);
  }
  return text.replace(/\/$/, '');
}

/**
 * The options `export` and `deploy` share, with the same names and defaults: the app, the export folder, and the
 * custom app in Make (zone, id, major version). `required` makes the zone and app id mandatory (deploy).
 */
export function withMakeTargetOptions(command: Command, required: boolean): Command {
  const zone = "the zone's API URL: https://eu1.make.com/api (eu2, us1, us2…), or your Ibexa Connect host with /api";
  const appId = 'the custom app id shown in Make (e.g. plug-and-paid-x1y2z3)';
  command
    .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
    .option('--dir <folder>', "export folder: makecomapp.json, whose origins keep the local ↔ remote names, and the component files", DEFAULT_EXPORT_DIR);
  if (required) command.requiredOption('--zone-url <url>', zone, zoneUrlArgument).requiredOption('--app-id <id>', appId);
  else command.option('--zone-url <url>', `with --app-id: write the origin into makecomapp.json; ${zone}`, zoneUrlArgument).option('--app-id <id>', `with --zone-url: ${appId}`);
  return command.option('--app-version <n>', 'major version of the custom app (a whole number ≥ 1)', wholeNumberArgument('--app-version', 1), 1);
}
