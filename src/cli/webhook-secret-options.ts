import { Command, Option } from 'commander';
import { secretProblem, WebhookSecret } from '../runtime/intake/webhook-secret';
import { CliIo, ExitCode } from './io';

/** The environment variable holding a new webhook's shared secret: never a flag (shell history, process lists). */
export const SECRET_VARIABLE = 'PLUGNPAID_WEBHOOK_SECRET';

/** `webhooks create` options describing how the webhook checks its shared secret. */
export interface SecretOptions {
  secret?: 'hmac' | 'token';
  secretHeader?: string;
  secretEncoding?: 'hex' | 'base64';
  secretPrefix?: string;
  secretQuery?: string;
}

/** Adds the shared-secret options to `webhooks create`. */
export function withSecretOptions(command: Command): Command {
  return command
    .addOption(new Option('--secret <kind>', `check a shared secret (from ${SECRET_VARIABLE}, at least 16 characters): hmac = HMAC-SHA256 of the raw body in a header, token = the secret itself`).choices(['hmac', 'token']))
    .option('--secret-header <name>', 'the header carrying the signature (hmac) or the secret (token), e.g. X-Signature')
    .addOption(new Option('--secret-encoding <encoding>', 'how the HMAC is written').choices(['hex', 'base64']).default('hex'))
    .option('--secret-prefix <text>', 'text before the HMAC in the header, e.g. sha256=')
    .option('--secret-query <name>', 'token only: the query parameter carrying the secret instead of a header');
}

/** The secret check the options describe, or undefined without --secret; exits 2 with what is missing. */
export function secretFromOptions(io: CliIo, options: SecretOptions): WebhookSecret | undefined {
  const fail = (message: string): never => {
    io.stderr(`${message}\n`);
    throw new ExitCode(2);
  };
  if (!options.secret) {
    if (options.secretHeader || options.secretPrefix || options.secretQuery) fail('--secret-header, --secret-prefix and --secret-query need --secret hmac or --secret token');
    return undefined;
  }
  const value = io.env[SECRET_VARIABLE];
  if (!value) fail(`--secret ${options.secret} takes the secret from ${SECRET_VARIABLE} (at least 16 characters); set it first`);
  const secret: WebhookSecret =
    options.secret === 'hmac'
      ? { kind: 'hmac', secret: value!, header: options.secretHeader ?? '', encoding: options.secretEncoding ?? 'hex', ...(options.secretPrefix ? { prefix: options.secretPrefix } : {}) }
      : { kind: 'token', secret: value!, ...(options.secretHeader ? { header: options.secretHeader } : {}), ...(options.secretQuery ? { query: options.secretQuery } : {}) };
  const problem = secretProblem(secret);
  // The API's wording names JSON fields; say it with the flags this command has, never repeating the secret.
  if (problem) fail(problem.replace('secret.secret must be text of', `${SECRET_VARIABLE} must be`).replace('needs the header that carries the signature', 'needs --secret-header').replace('needs a header or a query parameter name', 'needs --secret-header or --secret-query'));
  return secret;
}
