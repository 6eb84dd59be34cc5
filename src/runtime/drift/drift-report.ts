import type { AppDefinition } from '../../definition/types';
import { isCovered, readPathsByEvent } from '../../mapping/mapped-paths';
import { catalogueEvent } from '../../mapping/route';
import type { Store } from '../store/store';

/** `GET /api/drift`: what real traffic shows that the app does not know or does not map. */
export interface DriftReport {
  unknownTypes: Array<{ type: string | null; count: number; firstSeen: string; lastSeen: string; exampleEventId: number }>;
  unmappedFields: Array<{ eventType: string; path: string; count: number; exampleEventId: number }>;
  missingFields: Array<{ eventType: string; path: string }>;
  payloadViolations: Array<{ eventType: string; pointer: string; message: string; count: number; exampleEventId: number }>;
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
    .map((row) => ({ type: row.type === '' ? null : row.type, count: row.count, firstSeen: iso(row.first), lastSeen: iso(row.last), exampleEventId: row.example }));

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
    if (row.leaf && !isCovered(row.path, read.read)) unmappedFields.push({ eventType: row.type, path: row.path, count: row.count, exampleEventId: row.example });
  }
  const missingFields = [...carried].flatMap(([type, paths]) => readOf(type)!.mapped.filter((path) => !paths.has(path)).map((path) => ({ eventType: type, path })));

  const payloadViolations = query<{ type: string; pointer: string; message: string; count: number; example: number }>(
    `SELECT event_type AS type, pointer, message, SUM(count) AS count, MAX(example_event_id) AS example FROM drift_violations ${where} GROUP BY event_type, pointer, message ORDER BY event_type, pointer, message`,
  ).map((row) => ({ eventType: row.type, pointer: row.pointer, message: row.message, count: row.count, exampleEventId: row.example }));

  return { unknownTypes, unmappedFields, missingFields, payloadViolations };
}

/** `GET /api/mapped-paths`: per catalogue event, the payload paths its modules' mappings read (a path covers its children). */
export function mappedPaths(app: AppDefinition, type?: string) {
  const wanted = type === undefined ? undefined : catalogueEvent(app, type)?.type;
  return [...readPathsByEvent(app).values()]
    .filter(({ event }) => type === undefined || event.type === wanted)
    .map(({ event, mapped }) => ({ eventType: event.type, aliases: event.aliases, modules: event.modules, paths: mapped }));
}
