import type { AppDefinition, CatalogueEvent, ModuleDefinition } from '../definition/types';
import { compileDirective } from '../iml';
import { directivePaths, directiveValuePaths, PathBindings, PathReads } from '../iml/read-paths';

/** What a module's output templates read from the payload: `body` is it (unless the module fetches), `item` one order line. */
export function readBindings(module: ModuleDefinition): PathBindings {
  const bindings: PathBindings = module.communication ? {} : { body: { paths: [''] } };
  const { iterate } = module.compiled;
  if (iterate && !module.communication) bindings.item = { paths: directiveValuePaths(iterate.container, bindings).map((path) => `${path}[]`) };
  return bindings;
}

/**
 * The webhook payload paths a module's mapping reads (array indexes collapsed: `data.order.products[].id`).
 * A path read as a whole value covers its children. A module that fetches its object reads the payload only
 * through its webhook item (`payload`); what it maps from the API answer (`body`) is not the payload.
 */
export function moduleReadPaths(app: AppDefinition, module: ModuleDefinition): string[] {
  return [...moduleReads(app, module)].sort();
}

/** The paths a module's mapping reads (see moduleReadPaths), with the ones it reads only as an `ifempty` fallback. */
export function moduleReads(app: AppDefinition, module: ModuleDefinition): PathReads {
  const root: PathBindings = {};
  if (module.communication) {
    const output = app.webhooks[module.webhook]?.compiledOutput;
    root.payload = output ? { directive: output, bindings: { body: { paths: [''] } } } : { paths: [''] };
  } else {
    root.body = { paths: [''] };
  }
  const reads = new PathReads();
  const { compiled } = module;
  if (compiled.condition) directivePaths(compiled.condition, root, reads);
  let scope = root;
  if (compiled.iterate) {
    directivePaths(compiled.iterate.container, root, reads);
    scope = { ...root, item: { paths: directiveValuePaths(compiled.iterate.container, root).map((path) => `${path}[]`) } };
    if (compiled.iterate.condition) directivePaths(compiled.iterate.condition, scope, reads);
  }
  directivePaths(compiled.output, scope, reads);
  if (module.communication) {
    const request = { ...module.communication };
    delete request.response;
    directivePaths(compileDirective(request), root, reads);
  }
  return reads;
}

/** The payload paths the app reads to find an event's type (e.g. `type`, or `trigger_type` and `event.trigger_type`). */
export function eventTypePaths(app: AppDefinition): string[] {
  return [...directivePaths(app.compiledEventType, { body: { paths: [''] } })].sort();
}

/** What the mappings of one catalogue event read: per event, computed once per app. */
export interface EventReadPaths {
  event: CatalogueEvent;
  /** Paths read by the mappings of the modules that watch the event. */
  mapped: string[];
  /** Those plus the event type's own paths: everything that counts as read. */
  read: Set<string>;
  /** Mapped paths every module reads only as an `ifempty` fallback, with the paths they fall back from. */
  fallbacks: Map<string, string[]>;
}

const cache = new WeakMap<AppDefinition, Map<string, EventReadPaths>>();

/** The read paths of every catalogue event of an app, keyed by canonical type. */
export function readPathsByEvent(app: AppDefinition): Map<string, EventReadPaths> {
  let byEvent = cache.get(app);
  if (!byEvent) {
    byEvent = new Map();
    const typePaths = eventTypePaths(app);
    for (const event of Object.values(app.events)) {
      const reads = app.modules.filter((module) => event.modules.includes(module.name)).map((module) => moduleReads(app, module));
      const mapped = [...new Set(reads.flatMap((read) => [...read]))].sort();
      const fallbacks = new Map<string, string[]>();
      for (const path of mapped) {
        const primaries = reads.filter((read) => read.has(path)).map((read) => read.primariesOf(path));
        if (primaries.every((list) => list.length > 0)) fallbacks.set(path, [...new Set(primaries.flat())]);
      }
      byEvent.set(event.type, { event, mapped, read: new Set([...mapped, ...typePaths]), fallbacks });
    }
    cache.set(app, byEvent);
  }
  return byEvent;
}

/** True when a payload path is read, itself or through an ancestor read as a whole. */
export function isCovered(path: string, read: Set<string>): boolean {
  if (read.has(path)) return true;
  for (let end = path.length - 1; end > 0; end -= 1) {
    const ch = path[end];
    if ((ch === '.' || ch === '[') && read.has(path.slice(0, end))) return true;
  }
  return false;
}
