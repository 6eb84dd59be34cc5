import type { AppDefinition } from '../../definition/types';
import { isCovered, readPathsByEvent } from '../../mapping/mapped-paths';
import { catalogueEvent, eventOfBody } from '../../mapping/route';
import type { Store } from '../store/store';
import { payloadPaths } from './shape';

/**
 * `GET /api/drift`: what real traffic shows that the app does not know or does not map. The counts outlive the
 * events: an example the retention pruned is null.
 */
export interface DriftReport {
  unknownTypes: Array<{ type: string | null; count: number; firstSeen: string; lastSeen: string; exampleEventId: number | null }>;
  unmappedFields: Array<{ eventType: string; path: string; count: number; exampleEventId: number | null }>;
  missingFields: Array<{ eventType: string; path: string }>;
  payloadViolations: Array<{ eventType: string; pointer: string; message: string; count: number; exampleEventId: number | null }>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Reads the drift counters (of one webhook, or of all) against the app as loaded now, so an alias added since
 * takes a type out of `unknownTypes` and gives its fields the modules that now watch it. Bounded: the tables are.
 */
export function driftReport(store: Store, app: AppDefinition, webhookId?: string): DriftReport {
  const where = webhookId === undefined ? '' : 'WHERE webhook_id = ?';
  const args = webhookId === undefined ? [] : [webhookId];
  const query = <T>(sql: string) => store.db.prepare(sql).all(...args) as T[];
  const stored = store.db.prepare<[number], { id: number }>('SELECT id FROM events WHERE id = ?');
  const example = (id: number) => stored.get(id)?.id ?? null;
  const byEvent = readPathsByEvent(app);
  const readOf = (type: string) => {
    const event = catalogueEvent(app, type);
    return event && event.modules.length > 0 ? byEvent.get(event.type) : undefined;
  };

  const types = query<{ type: string; count: number; first: number; last: number; example: number }>(
    `SELECT type, SUM(count) AS count, MIN(first_seen) AS first, MAX(last_seen) AS last, MAX(example_event_id) AS example FROM drift_types ${where} GROUP BY type`,
  );
  const unknownTypes = types
    .filter((row) => !catalogueEvent(app, row.type))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type))
    .map((row) => ({ type: row.type === '' ? null : row.type, count: row.count, firstSeen: iso(row.first), lastSeen: iso(row.last), exampleEventId: example(row.example) }));

  const fields = query<{ type: string; path: string; leaf: number; count: number; example: number }>(
    `SELECT event_type AS type, path, MAX(leaf) AS leaf, SUM(count) AS count, MAX(example_event_id) AS example FROM drift_fields ${where} GROUP BY event_type, path ORDER BY event_type, path`,
  );
  const unmappedFields: DriftReport['unmappedFields'] = [];
  const carried = new Map<string, Set<string>>();
  for (const row of fields) {
    const read = readOf(row.type);
    if (!read) continue;
    let paths = carried.get(row.type);
    if (!paths) carried.set(row.type, (paths = new Set()));
    paths.add(row.path);
    if (row.leaf && !isCovered(row.path, read.read)) unmappedFields.push({ eventType: row.type, path: row.path, count: row.count, exampleEventId: example(row.example) });
  }
  const shapes = sampleShapes(app);
  const missingFields = [...carried].flatMap(([type, paths]) => {
    const { event, mapped, fallbacks } = readOf(type)!;
    return mapped.filter((path) => isMissing(path, paths, fallbacks, shapes.get(event.type))).map((path) => ({ eventType: type, path }));
  });

  const payloadViolations = query<{ type: string; pointer: string; message: string; count: number; example: number }>(
    `SELECT event_type AS type, pointer, message, SUM(count) AS count, MAX(example_event_id) AS example FROM drift_violations ${where} GROUP BY event_type, pointer, message ORDER BY event_type, pointer, message`,
  ).map((row) => ({ eventType: row.type, pointer: row.pointer, message: row.message, count: row.count, exampleEventId: example(row.example) }));

  return { unknownTypes, unmappedFields, missingFields, payloadViolations };
}

/** What an app's samples of one event type carry: paths some sample carries, and paths every sample carries. */
interface SampleShapes {
  some: Set<string>;
  every: Set<string>;
}

const shapesByApp = new WeakMap<AppDefinition, Map<string, SampleShapes>>();

/** Per catalogue event, what its samples carry: what the platform is known to send (types without samples are absent). */
function sampleShapes(app: AppDefinition): Map<string, SampleShapes> {
  let byType = shapesByApp.get(app);
  if (!byType) {
    byType = new Map();
    for (const sample of app.modules.flatMap((module) => module.samples)) {
      const type = eventOfBody(app, sample.payload)?.type;
      if (type === undefined) continue;
      const paths = new Set(payloadPaths(sample.payload).map(({ path }) => path));
      const known = byType.get(type);
      if (known) {
        paths.forEach((path) => known.some.add(path));
        known.every = new Set([...known.every].filter((path) => paths.has(path)));
      } else {
        byType.set(type, { some: new Set(paths), every: paths });
      }
    }
    shapesByApp.set(app, byType);
  }
  return byType;
}

/** The path of the object or array holding a path's value (`data.order` for `data.order.id`, `a.b` for `a.b[]`). */
function parentPath(path: string): string {
  if (path.endsWith('[]')) return path.slice(0, -2);
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

/**
 * Whether a mapped path that payloads of a type never carried is drift. Where the payloads carry its object, a
 * key the samples carry is missing (renamed or removed). Where the object itself never came, it is missing only
 * when every sample has it: otherwise the object belongs to one of the payload's optional shapes. A path read
 * only as an `ifempty` fallback is not missing while payloads carry its primary. Types without samples expect
 * every path their mappings read.
 */
function isMissing(path: string, received: Set<string>, fallbacks: Map<string, string[]>, shapes: SampleShapes | undefined): boolean {
  if (received.has(path)) return false;
  if (fallbacks.get(path)?.some((primary) => received.has(primary))) return false;
  if (!shapes) return true;
  const parent = parentPath(path);
  return parent === '' || received.has(parent) ? shapes.some.has(path) : shapes.every.has(path);
}

/** `GET /api/mapped-paths`: per catalogue event, the payload paths its modules' mappings read (a path covers its children). */
export function mappedPaths(app: AppDefinition, type?: string) {
  const wanted = type === undefined ? undefined : catalogueEvent(app, type)?.type;
  return [...readPathsByEvent(app).values()]
    .filter(({ event }) => type === undefined || event.type === wanted)
    .map(({ event, mapped }) => ({ eventType: event.type, aliases: event.aliases, modules: event.modules, paths: mapped }));
}
