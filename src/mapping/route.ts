import type { AppDefinition, CatalogueEvent } from '../definition/types';

/** The catalogue entry for an event type or one of its aliases. */
export function catalogueEvent(app: AppDefinition, type: unknown): CatalogueEvent | undefined {
  if (typeof type !== 'string') return undefined;
  const canonical = Object.prototype.hasOwnProperty.call(app.eventAliases, type) ? app.eventAliases[type] : undefined;
  return canonical ? app.events[canonical] : undefined;
}
