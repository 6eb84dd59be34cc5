import type { Statement } from 'better-sqlite3';
import type { AppDefinition } from '../../definition/types';
import { SchemaViolation, violations } from '../../mapping/bundle-validator';
import { boundText, TEXT_LIMITS } from '../../mapping/bounded-text';
import { catalogueEvent } from '../../mapping/route';
import type { RoutedEvent } from '../routing';
import type { Store } from '../store/store';
import { verdictFollowsShape } from './schema-shape';
import { collapsedPointer, payloadPaths, shapeSignature, ShapePath } from './shape';

/**
 * Bounds on the drift tables. Past `types`, the least seen type the catalogue does not know makes room (with its
 * fields and violations), so junk types cannot keep a real new one out; past the others, rows are not added
 * (existing rows keep counting).
 */
export const DRIFT_LIMITS = { types: 1_000, fields: 50_000, violations: 5_000, shapes: 2_000 };

/** What one payload shape (of one payload kind) contributes: its paths, and its schema violations when they follow from the shape. */
interface Shape {
  paths: ShapePath[];
  violations?: SchemaViolation[];
}

interface Counted {
  count: number;
  example: number;
}

const SHAPE_SEP = '\u0000';

// Row keys are JSON arrays of the row's key columns: sender text (a type, a path) can hold any character, so no
// separator could keep it from faking another row's key.
const rowKey = (...columns: string[]) => JSON.stringify(columns);
const columnsOf = (key: string) => JSON.parse(key) as string[];

/** The row keys a drift table holds, grouped by (webhook, type), so a type's rows can be let go at once. */
class KnownRows {
  private readonly byType = new Map<string, Set<string>>();
  size = 0;

  constructor(keys: string[]) {
    for (const key of keys) this.add(key);
  }

  has(key: string): boolean {
    return this.byType.get(typeKeyOf(key))?.has(key) ?? false;
  }

  add(key: string): void {
    const typeKey = typeKeyOf(key);
    let keys = this.byType.get(typeKey);
    if (!keys) this.byType.set(typeKey, (keys = new Set()));
    if (!keys.has(key)) this.size += 1;
    keys.add(key);
  }

  dropType(typeKey: string): void {
    this.size -= this.byType.get(typeKey)?.size ?? 0;
    this.byType.delete(typeKey);
  }
}

const typeKeyOf = (key: string) => rowKey(...columnsOf(key).slice(0, 2));

/**
 * Keeps the drift report up to date as events are processed: every event, on its first processing, counts its
 * type, the paths its payload carries and its payload-schema violations. Work per event is one shape
 * signature and a few map updates; paths and schema checks are worked out once per distinct shape, and the
 * counters are written once per batch, inside the batch's transaction.
 */
export class DriftBook {
  private readonly shapes = new Map<string, Shape>();
  private readonly followsShape = new Map<string, boolean>();
  private types = new Map<string, Counted & { first: number; last: number }>();
  private fields = new Map<string, Counted & { shape: Shape; webhook: string; type: string }>();
  private violationCounts = new Map<string, Counted>();
  private readonly known: { types: KnownRows; fields: KnownRows; violations: KnownRows };
  private readonly sql: Record<'type' | 'field' | 'violation' | 'leastSeenType' | 'dropType' | 'dropFields' | 'dropViolations', Statement>;
  private readonly catalogued: string;

  constructor(
    store: Store,
    private readonly app: AppDefinition,
  ) {
    const keys = (sql: string) => new KnownRows(store.db.prepare(sql).raw().all().map((row) => rowKey(...(row as string[]))));
    this.catalogued = JSON.stringify(Object.keys(app.eventAliases));
    this.known = {
      types: keys('SELECT webhook_id, type FROM drift_types'),
      fields: keys('SELECT webhook_id, event_type, path FROM drift_fields'),
      violations: keys('SELECT webhook_id, event_type, pointer, message FROM drift_violations'),
    };
    this.sql = {
      type: store.db.prepare(
        `INSERT INTO drift_types (webhook_id, type, count, first_seen, last_seen, example_event_id) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET count = count + excluded.count, first_seen = MIN(first_seen, excluded.first_seen),
           last_seen = MAX(last_seen, excluded.last_seen), example_event_id = excluded.example_event_id`,
      ),
      field: store.db.prepare(
        `INSERT INTO drift_fields (webhook_id, event_type, path, leaf, count, example_event_id) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET leaf = MAX(leaf, excluded.leaf), count = count + excluded.count, example_event_id = excluded.example_event_id`,
      ),
      violation: store.db.prepare(
        `INSERT INTO drift_violations (webhook_id, event_type, pointer, message, count, example_event_id) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET count = count + excluded.count, example_event_id = excluded.example_event_id`,
      ),
      leastSeenType: store.db.prepare('SELECT webhook_id, type FROM drift_types WHERE type NOT IN (SELECT value FROM json_each(?)) ORDER BY count, last_seen LIMIT 1').raw(),
      dropType: store.db.prepare('DELETE FROM drift_types WHERE webhook_id = ? AND type = ?'),
      dropFields: store.db.prepare('DELETE FROM drift_fields WHERE webhook_id = ? AND event_type = ?'),
      dropViolations: store.db.prepare('DELETE FROM drift_violations WHERE webhook_id = ? AND event_type = ?'),
    };
  }

  /**
   * Counts processed events and writes the counters; call inside the transaction that stores their outcome, so
   * both commit or neither does. An event processed before (a replay, a retry) is not new traffic and is skipped.
   * `parsed` is an event's body when already parsed (an unrouted event's routing does not keep it); `conversions`
   * are the payload values its mappings could not convert, counted with its payload violations.
   */
  record(events: Array<{ routed: RoutedEvent; parsed?: unknown; conversions?: SchemaViolation[] }>): void {
    this.types = new Map();
    this.fields = new Map();
    this.violationCounts = new Map();
    events.forEach(({ routed, parsed, conversions }) => this.observe(routed, parsed, conversions));
    this.write();
  }

  private observe(routed: RoutedEvent, parsed?: unknown, conversions: SchemaViolation[] = []): void {
    const { event } = routed;
    if (event.processed_at !== null) return;
    const type = boundText(event.type ?? '', TEXT_LIMITS.type);
    const typeKey = rowKey(event.webhook_id, type);
    const seen = this.types.get(typeKey);
    if (seen) {
      seen.count += 1;
      seen.first = Math.min(seen.first, event.received_at);
      seen.last = Math.max(seen.last, event.received_at);
      seen.example = event.id;
    } else {
      this.types.set(typeKey, { count: 1, first: event.received_at, last: event.received_at, example: event.id });
    }
    const body = routed.outcome ? (parsed ?? parseBody(event.body)) : routed.body;
    if (typeof body !== 'object' || body === null) return;
    const kind = catalogueEvent(this.app, type)?.payload ?? '';
    const signature = shapeSignature(body);
    const shape = this.shapeOf(kind, signature, body);
    const fieldKey = typeKey + SHAPE_SEP + signature;
    const counted = this.fields.get(fieldKey);
    if (counted) {
      counted.count += 1;
      counted.example = event.id;
    } else {
      this.fields.set(fieldKey, { count: 1, example: event.id, shape, webhook: event.webhook_id, type });
    }
    const found = [...(shape.violations ?? this.violationsOf(kind, body)), ...conversions];
    for (const violation of found) {
      const key = rowKey(event.webhook_id, type, boundText(violation.pointer, TEXT_LIMITS.drift), boundText(violation.message, TEXT_LIMITS.drift));
      const entry = this.violationCounts.get(key);
      if (entry) {
        entry.count += 1;
        entry.example = event.id;
      } else {
        this.violationCounts.set(key, { count: 1, example: event.id });
      }
    }
  }

  private write(): void {
    const { types, fields, violationCounts } = this;
    for (const [key, entry] of types) {
      if (!this.known.types.has(key) && this.known.types.size >= DRIFT_LIMITS.types) this.dropLeastSeenType();
      if (!this.admit(this.known.types, key, DRIFT_LIMITS.types)) continue;
      const [webhook, type] = columnsOf(key);
      this.sql.type.run(webhook, type, entry.count, entry.first, entry.last, entry.example);
    }
    // Shapes of one type share most paths: add them up first, so each row is written once per batch.
    const paths = new Map<string, { leaf: number } & Counted>();
    for (const entry of fields.values()) {
      for (const { path, leaf } of entry.shape.paths) {
        const key = rowKey(entry.webhook, entry.type, path);
        const sum = paths.get(key);
        if (sum) {
          sum.count += entry.count;
          sum.leaf = Math.max(sum.leaf, leaf ? 1 : 0);
          sum.example = Math.max(sum.example, entry.example);
        } else {
          paths.set(key, { leaf: leaf ? 1 : 0, count: entry.count, example: entry.example });
        }
      }
    }
    for (const [key, sum] of paths) {
      if (!this.admit(this.known.fields, key, DRIFT_LIMITS.fields)) continue;
      const [webhook, type, path] = columnsOf(key);
      this.sql.field.run(webhook, type, path, sum.leaf, sum.count, sum.example);
    }
    for (const [key, entry] of violationCounts) {
      if (!this.admit(this.known.violations, key, DRIFT_LIMITS.violations)) continue;
      const [webhook, type, pointer, message] = columnsOf(key);
      this.sql.violation.run(webhook, type, pointer, message, entry.count, entry.example);
    }
  }

  /** Removes the least seen (then longest unseen) type the catalogue does not know, with its fields and violations. */
  private dropLeastSeenType(): void {
    const row = this.sql.leastSeenType.get(this.catalogued) as [string, string] | undefined;
    if (!row) return;
    const [webhook, type] = row;
    this.sql.dropType.run(webhook, type);
    this.sql.dropFields.run(webhook, type);
    this.sql.dropViolations.run(webhook, type);
    for (const known of Object.values(this.known)) known.dropType(rowKey(webhook, type));
  }

  private admit(known: KnownRows, key: string, limit: number): boolean {
    if (known.has(key)) return true;
    if (known.size >= limit) return false;
    known.add(key);
    return true;
  }

  private shapeOf(kind: string, signature: string, body: object): Shape {
    const key = kind + SHAPE_SEP + signature;
    let shape = this.shapes.get(key);
    if (!shape) {
      shape = { paths: payloadPaths(body) };
      if (this.verdictFollowsShape(kind)) shape.violations = this.violationsOf(kind, body);
      if (this.shapes.size >= DRIFT_LIMITS.shapes) this.shapes.clear();
      this.shapes.set(key, shape);
    }
    return shape;
  }

  private verdictFollowsShape(kind: string): boolean {
    let follows = this.followsShape.get(kind);
    if (follows === undefined) {
      const schema = this.app.payloadSchemas[kind];
      follows = schema === undefined || verdictFollowsShape(schema);
      this.followsShape.set(kind, follows);
    }
    return follows;
  }

  private violationsOf(kind: string, body: object): SchemaViolation[] {
    const schema = this.app.payloadSchemas[kind];
    if (!schema) return [];
    return violations(schema, body).map((violation) => ({ pointer: collapsedPointer(violation.pointer, body), message: violation.message }));
  }
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
