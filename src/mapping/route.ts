import type { AppDefinition, CatalogueEvent, ModuleDefinition } from '../definition/types';
import { builtinFunctions, evaluateDirective } from '../iml';

/** The catalogue entry for an event type or one of its aliases. */
export function catalogueEvent(app: AppDefinition, type: unknown): CatalogueEvent | undefined {
  if (typeof type !== 'string') return undefined;
  const canonical = Object.prototype.hasOwnProperty.call(app.eventAliases, type) ? app.eventAliases[type] : undefined;
  return canonical ? app.events[canonical] : undefined;
}

/** The event type a webhook body carries, where the app's catalogue says it is (e.g. `type`, `trigger_type`). */
export function eventTypeOf(app: AppDefinition, body: unknown): unknown {
  try {
    return evaluateDirective(app.compiledEventType, { variables: { body }, functions: builtinFunctions, timezone: 'UTC' });
  } catch {
    return undefined;
  }
}

/** The event type to keep with a stored event: the body's event type when it is text, otherwise null. */
export function storedEventType(app: AppDefinition, body: unknown): string | null {
  const type = eventTypeOf(app, body);
  return typeof type === 'string' ? type : null;
}

/** The catalogue entry for a webhook body's event type. */
export function eventOfBody(app: AppDefinition, body: unknown): CatalogueEvent | undefined {
  return catalogueEvent(app, eventTypeOf(app, body));
}

/** The webhook item a module receives (Make's webhook `output`, or the body itself when there is none). */
export function webhookItem(app: AppDefinition, module: ModuleDefinition, body: unknown): unknown {
  const compiled = app.webhooks[module.webhook]?.compiledOutput;
  return compiled ? evaluateDirective(compiled, { variables: { body }, functions: builtinFunctions, timezone: 'UTC' }) : body;
}

/** What a module maps: the webhook body, or for a module that fetches its object, its webhook item (`payload`). */
export function mappingInput(app: AppDefinition, module: ModuleDefinition, body: unknown): unknown {
  return module.communication ? webhookItem(app, module, body) : body;
}
