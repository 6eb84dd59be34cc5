import { join } from 'node:path';
import type { AppDefinition } from './types';
import { editJsonText } from './json-edit';

/** Why an alias cannot be added, in words a person can act on; undefined when it can. */
export function aliasProblem(app: AppDefinition, received: string, event: string): string | undefined {
  const file = app.manifest.components.events;
  if (!/^[A-Za-z0-9_.:-]+$/.test(received)) return `'${received}' is not a usable event type: use letters, digits and _ . : - only`;
  // The catalogue becomes an object keyed by type: `__proto__` and the like would be dropped or shadow a method.
  if (received in Object.prototype) return `'${received}' cannot be an event type: JavaScript objects reserve that name, so the alias would be lost`;
  if (!Object.prototype.hasOwnProperty.call(app.events, event)) {
    const owner = Object.prototype.hasOwnProperty.call(app.eventAliases, event) ? app.eventAliases[event] : undefined;
    const hint = owner ? ` ('${event}' is an alias of '${owner}'; name that event)` : '';
    return `'${event}' is not an event of ${file}${hint}. Events: ${Object.keys(app.events).sort().join(', ')}`;
  }
  if (Object.prototype.hasOwnProperty.call(app.eventAliases, received)) {
    const owner = app.eventAliases[received];
    if (owner === received) return `'${received}' is itself an event of ${file}; it needs no alias`;
    return owner === event ? `'${received}' is already an alias of '${event}' in ${file}` : `'${received}' is already an alias of '${owner}' in ${file}; remove it there first`;
  }
  return undefined;
}

/** Where an app's event catalogue is. */
export function catalogueFile(app: AppDefinition): string {
  return join(app.dir, app.manifest.components.events);
}

/** The catalogue's text with `received` added to the aliases of `event`, everything else kept as it was. */
export function catalogueWithAlias(text: string, received: string, event: string): string {
  return editJsonText(text, ['events', event, 'aliases', -1], received);
}
