import type { AppDefinition, ModuleDefinition, Parameter } from '../definition/types';
import { templateExpression as expression } from '../iml';

function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The event types (with aliases) a module reacts to, as one IML condition on `body.type`. */
export function eventCondition(app: AppDefinition, module: ModuleDefinition): string {
  const names = module.events.flatMap((type) => [type, ...app.events[type].aliases]);
  return names.map((name) => `body.type == ${quoted(name)}`).join(' || ');
}

/**
 * The webhook communication Make runs for a module. A module cannot drop a bundle, so the event filter and
 * the product filter sit in the webhook's `condition`. Make always iterates when `iterate` is present, so
 * without per-line bundles it iterates over the body itself, and the item filter lets that one item through.
 */
export function webhookDirective(app: AppDefinition, module: ModuleDefinition): Record<string, unknown> {
  const conditions = [eventCondition(app, module), ...(module.mapping.condition ? [expression(module.mapping.condition)] : [])];
  const directive: Record<string, unknown> = {
    condition: `{{${conditions.map((condition) => (conditions.length > 1 ? `(${condition})` : condition)).join(' && ')}}}`,
  };
  const iterate = module.mapping.iterate;
  if (iterate) {
    const enabled = `parameters.${iterate.enabledBy}`;
    directive.iterate = {
      container: `{{if(${enabled}, ${expression(iterate.container)}, add(emptyarray, body))}}`,
      ...(iterate.condition ? { condition: `{{!${enabled} || (${expression(iterate.condition)})}}` } : {}),
    };
  }
  directive.output = module.mapping.output;
  return directive;
}

/** The module's parameters as webhook parameters (Make evaluates the condition and iterate with them). */
export function webhookParameters(module: ModuleDefinition): Parameter[] {
  return module.parameters.map((parameter) => ({ ...parameter, advanced: true }));
}

/** True when a webhook's parameters need the connection (a dropdown filled by an RPC). */
export function needsConnection(parameters: Parameter[]): boolean {
  return parameters.some((parameter) => typeof parameter.options === 'string' && parameter.options.startsWith('rpc://'));
}
