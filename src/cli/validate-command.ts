import { Command } from 'commander';
import { formatProblem } from '../definition/problems';
import { summarizeApp } from '../definition/summary';
import { validateApp } from '../definition/validate';
import { CliIo, ExitCode } from './io';

/** `validate`: every definition file, reference, template, label and sample; exit 1 listing each problem. */
export function validateCommand(io: CliIo): Command {
  return new Command('validate')
    .description('check the app definition: meta-schemas, references, IML templates, labels and samples')
    .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
    .action((options: { app?: string }) => {
      const { app, problems } = validateApp(options.app);
      if (problems.length > 0) {
        io.stderr(`${problems.length} problem${problems.length === 1 ? '' : 's'} found:\n`);
        problems.forEach((problem) => io.stderr(`  ${formatProblem(problem)}\n`));
        throw new ExitCode(1);
      }
      io.stdout(`${app!.manifest.label} (${app!.manifest.name} ${app!.manifest.version}): valid\n`);
      summarizeApp(app!).forEach((line) => io.stdout(`  ${line}\n`));
    });
}
