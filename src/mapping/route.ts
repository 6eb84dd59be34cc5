import type { AppDefinition, CatalogueEvent, ModuleDefinition } from '../definition/types';

/** The catalogue entry for an event type or one of its aliases. */
export function catalogueEvent(app: AppDefinition, type: unknown): CatalogueEvent | undefined {
  if (typeof type !== 'string') return undefined;
  const canonical = Object.prototype.hasOwnProperty.call(app.eventAliases, type) ? app.eventAliases[type] : undefined;
  return canonical ? app.events[canonical] : undefined;
}

/** The modules that react to an event type (aliases included), in manifest order. */
export function modulesForEvent(app: AppDefinition, type: unknown): ModuleDefinition[] {
  const event = catalogueEvent(app, type);
  if (!event) return [];
  return app.modules.filter((module) => event.modules.includes(module.name));
}
