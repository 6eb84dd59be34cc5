import { Command, Option } from 'commander';
import { DEFAULT_APP_DIR } from '../definition/loader';
import { summarizeApp } from '../definition/summary';
import { isValid, validateApp } from '../definition/validate';
import { countProblems, problemLines } from './app-report';
import { CliIo, ExitCode } from './io';

/**
 * `validate`: every definition file, reference, template, label and sample. Exit 0 valid, 1 invalid, 2 when the
 * folder is not an app (no manifest.json, unreadable).
 */
export function validateCommand(io: CliIo): Command {
  return new Command('validate')
    .description('check the app definition (meta-schemas, references, IML templates, labels, samples); each problem as file:line:column')
    .option('--app <dir>', 'app directory (default: the Plug&Paid app in this package)')
    .addOption(new Option('--format <format>', 'text: one file:line:column line per problem; json: { valid, problems } on stdout').choices(['text', 'json']).default('text'))
    .option('--strict', "warnings (Make's app-review conventions) fail too")
    .action((options: { app?: string; format: 'text' | 'json'; strict?: boolean }) => {
      const appDir = options.app ?? DEFAULT_APP_DIR;
      const report = validateApp(appDir);
      const valid = isValid(report, options.strict);
      const code = valid ? 0 : report.usable ? 1 : 2;
      if (options.format === 'json') {
        io.stdout(`${JSON.stringify({ valid, problems: report.problems }, null, 2)}\n`);
      } else {
        problemLines(report, appDir).forEach((line) => io.stderr(`${line}\n`));
        const { app } = report;
        const name = app ? `${app.manifest.label} (${app.manifest.name} ${app.manifest.version})` : appDir;
        if (valid) {
          io.stdout(`${name}: valid${report.problems.length > 0 ? ` (${countProblems(report.problems)})` : ''}\n`);
          summarizeApp(app!).forEach((line) => io.stdout(`  ${line}\n`));
        } else {
          io.stderr(`${name}: not valid: ${countProblems(report.problems)}${options.strict ? ' (--strict: warnings fail too)' : ''}\n`);
        }
      }
      if (code !== 0) throw new ExitCode(code);
    });
}
