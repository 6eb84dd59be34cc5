import { outputFromSchema } from '../definition/output-mapping';
import type { JsonSchema } from '../definition/schema-resolver';
import type { AppDefinition, Communication, ModuleDefinition, Parameter } from '../definition/types';
import { compileDirective, templateExpression as expression } from '../iml';
import { directivePaths } from '../iml/read-paths';
import { INSTANT_TRIGGER_VARIABLES, schemaWithin } from './component-variables';

function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The event types (with aliases) a module reacts to, as one IML condition on the body's event type. */
export function eventCondition(app: AppDefinition, module: ModuleDefinition): string {
  const type = expression(app.eventType);
  const subject = /^[\w.]+$/.test(type) ? type : `(${type})`;
  const names = module.events.flatMap((event) => [event, ...app.events[event].aliases]);
  return names.map((name) => `${subject} == ${quoted(name)}`).join(' || ');
}

/**
 * The webhook's proof check as a Make condition, for the shared-token scheme only. Make gives a custom app the
 * parsed body, not the raw bytes, so an HMAC of the body cannot be recomputed there: an HMAC scheme adds no
 * condition in Make (the runtime checks it). The header is read with `get`, Make's documented function for a key
 * held in a variable (help.make.com/general-functions); as typed first, then lower-cased, because Make's IML page
 * (developers.make.com/custom-apps-documentation/block-elements/iml) reads headers as sent (``headers.`X-HOOK-TYPE` ``)
 * and does not say whether it normalises their case.
 */
export function verificationCondition(app: AppDefinition, module: ModuleDefinition): string | undefined {
  const verification = app.webhooks[module.webhook]?.verification;
  if (!verification) return undefined;
  const header = expression(verification.header);
  const given = `ifempty(get(headers, ${header}), get(headers, lower(${header})))`;
  return `${expression(verification.scheme)} != 'token' || ${given} == ${expression(verification.key)}`;
}

/**
 * The output schema Make's interface offers for a module: for a module that fetches its object, without the
 * fields its instant-trigger communication cannot fill (per-line fields read `item`, which Make does not
 * iterate there); they stay runtime-only.
 */
export function exportedOutputSchema(module: ModuleDefinition): JsonSchema {
  return module.communication ? schemaWithin(module.output, INSTANT_TRIGGER_VARIABLES) : module.output;
}

/** The module's own request in Make, with the bundle mapping as its output; `{}` when it has none. */
export function moduleCommunication(module: ModuleDefinition): Communication | Record<string, never> {
  if (!module.communication) return {};
  const output = outputFromSchema(exportedOutputSchema(module), '', () => undefined);
  return { ...module.communication, response: { ...module.communication.response, output } };
}

/**
 * The webhook communication Make runs for a module. A module cannot drop a bundle, so the event filter and
 * the product filter sit in the webhook's `condition`; the per-line split and its item filter are the module's
 * `iterate` as written (see `orderLineMapping`). A module that fetches its object maps in its own communication, which Make runs once per webhook item
 * with no iterate and no condition: the webhook then passes the item on, and the product filter and
 * per-line bundles (which need the fetched lines) stay runtime-only.
 */
export function webhookDirective(app: AppDefinition, module: ModuleDefinition): Record<string, unknown> {
  const lineConditions = !module.communication && module.mapping.condition ? [expression(module.mapping.condition)] : [];
  const verification = verificationCondition(app, module);
  const conditions = [eventCondition(app, module), ...(verification ? [verification] : []), ...lineConditions];
  const directive: Record<string, unknown> = {
    condition: `{{${conditions.map((condition) => (conditions.length > 1 ? `(${condition})` : condition)).join(' && ')}}}`,
  };
  if (module.communication) {
    directive.output = app.webhooks[module.webhook]?.output ?? '{{body}}';
    return directive;
  }
  const { iterate } = module.mapping;
  if (iterate) directive.iterate = { container: iterate.container, ...(iterate.condition ? { condition: iterate.condition } : {}) };
  directive.output = module.mapping.output;
  return directive;
}

/**
 * The webhook's parameters in Make: the app webhook's own that the exported communication reads (Make asks for
 * the name itself; a signature prefix serves only the HMAC check, which Make cannot run), then the module's,
 * advanced, because Make evaluates the condition and iterate with them. The key is optional in Make, where only
 * the shared-token scheme uses it. A module that fetches its object cannot filter or split in Make (see
 * `webhookDirective`), so its parameters are not offered there.
 */
export function webhookParameters(app: AppDefinition, module: ModuleDefinition): Parameter[] {
  const webhook = app.webhooks[module.webhook];
  const read = directivePaths(compileDirective(webhookDirective(app, module)), { parameters: { paths: [''] } });
  const key = webhook?.verification ? expression(webhook.verification.key).replace(/^parameters\./, '') : undefined;
  const own = (webhook?.parameters ?? [])
    .filter((parameter) => parameter.name !== 'name' && read.has(parameter.name))
    .map((parameter) => (parameter.name === key ? { ...parameter, required: false } : parameter));
  const moduleParameters = module.communication ? [] : module.parameters.map((parameter) => ({ ...makeParameter(parameter), advanced: true }));
  return [...own, ...moduleParameters];
}

/**
 * A parameter as Make's webhook dialog offers it. A dropdown filled by an RPC would need the connection (Make's
 * docs on webhooks that are not attached), which costs the merchant an API token and the API's quota: where the
 * definition says how, it becomes a list of typed-in values instead (Make's `array` of `text`).
 */
export function makeParameter(parameter: Parameter): Parameter {
  const { withoutConnection, ...rest } = parameter;
  if (!withoutConnection || typeof rest.options !== 'string') return rest;
  const typed: Parameter = { ...rest, type: 'array', label: withoutConnection.label, help: withoutConnection.help, spec: { type: 'text', label: withoutConnection.itemLabel } };
  delete typed.options;
  delete typed.multiple;
  return typed;
}

/** The RPCs that fill dropdowns among some parameters (`options: "rpc://name"`). */
export function rpcNames(parameters: Parameter[]): string[] {
  return parameters.flatMap((parameter) => (typeof parameter.options === 'string' && parameter.options.startsWith('rpc://') ? [parameter.options.slice('rpc://'.length)] : []));
}

/** True when a webhook's parameters need the connection (a dropdown filled by an RPC). */
export function needsConnection(parameters: Parameter[]): boolean {
  return rpcNames(parameters).length > 0;
}
