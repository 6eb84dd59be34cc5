import { appWebhook } from '../../definition/app-webhook';
import type { AppDefinition, Parameter } from '../../definition/types';
import { builtinFunctions, compileDirective, evaluateDirective } from '../../iml';
import { toText } from '../../iml/values';
import type { WebhookSecret } from './webhook-secret';

/** The webhook parameters a user must give when creating a webhook (besides its name). */
export function requiredWebhookParameters(app: AppDefinition): Parameter[] {
  return (appWebhook(app)?.parameters ?? []).filter((parameter) => parameter.required && parameter.name !== 'name');
}

/**
 * The secret check a new webhook gets from the app's `verification`, evaluated with the given webhook
 * parameters over their defaults. Undefined when the app declares none; throws an Error naming what is
 * missing or wrong (the caller answers 400).
 */
export function secretFromDefinition(app: AppDefinition, given: Record<string, unknown> = {}): WebhookSecret | undefined {
  const definition = appWebhook(app);
  if (!definition?.verification) return undefined;
  const parameters: Record<string, unknown> = {};
  for (const parameter of definition.parameters) if (parameter.default !== undefined) parameters[parameter.name] = parameter.default;
  Object.assign(parameters, given);
  const missing = requiredWebhookParameters(app).filter((parameter) => typeof parameters[parameter.name] !== 'string' || parameters[parameter.name] === '');
  if (missing.length > 0) throw new Error(`this ${app.manifest.label} webhook needs ${missing.map((p) => `'${p.name}' (${p.label})`).join(', ')} in parameters`);
  const context = { variables: { parameters }, functions: builtinFunctions, timezone: 'UTC' };
  const value = (template: string | undefined) => (template === undefined ? '' : toText(evaluateDirective(compileDirective(template), context)));
  const scheme = value(definition.verification.scheme);
  const [key, header, prefix] = [value(definition.verification.key), value(definition.verification.header), value(definition.verification.prefix)];
  if (header === '') throw new Error('the signature header must not be empty');
  if (scheme === 'token') return { kind: 'token', secret: key, header };
  const encoding = { 'hmac-sha256-hex': 'hex', 'hmac-sha256-base64': 'base64' }[scheme] as 'hex' | 'base64' | undefined;
  if (!encoding) throw new Error(`unknown signature scheme '${scheme}': use hmac-sha256-hex, hmac-sha256-base64 or token`);
  return { kind: 'hmac', secret: key, header, encoding, prefix };
}
