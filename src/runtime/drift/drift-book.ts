import type { Statement } from 'better-sqlite3';
import type { AppDefinition } from '../../definition/types';
import { SchemaViolation, violations } from '../../mapping/bundle-validator';
import { catalogueEvent } from '../../mapping/route';
import type { RoutedEvent } from '../processor';
import type { Store } from '../store/store';
import { verdictFollowsShape } from './schema-shape';
import { collapsedPointer, payloadPaths, shapeSignature, ShapePath } from './shape';

/** Bounds on the drift tables: rows past these are not added (existing rows keep counting). */
export const DRIFT_LIMITS = { types: 1_000, fields: 50_000, violations: 5_000, shapes: 2_000, typeLength: 200 };

/** What one payload shape (of one payload kind) contributes: its paths, and its schema violations when they follow from the shape. */
interface Shape {
  paths: ShapePath[];
  violations?: SchemaViolation[];
}

interface Counted {
  count: number;
  example: number;
}

const SEP = '\u0000';

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
  private readonly known: { types: Set<string>; fields: Set<string>; violations: Set<string> };
  private readonly sql: Record<'type' | 'field' | 'violation', Statement>;

  constructor(
    store: Store,
    private readonly app: AppDefinition,
  ) {
    const keys = (sql: string) => new Set(store.db.prepare(sql).raw().all().map((row) => (row as string[]).join(SEP)));
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
    const type = (event.type ?? '').slice(0, DRIFT_LIMITS.typeLength);
    const typeKey = event.webhook_id + SEP + type;
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
    const fieldKey = typeKey + SEP + signature;
    const counted = this.fields.get(fieldKey);
    if (counted) {
      counted.count += 1;
      counted.example = event.id;
    } else {
      this.fields.set(fieldKey, { count: 1, example: event.id, shape, webhook: event.webhook_id, type });
    }
    const found = [...(shape.violations ?? this.violationsOf(kind, body)), ...conversions];
    for (const violation of found) {
      const key = typeKey + SEP + violation.pointer + SEP + violation.message;
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
      if (!this.admit(this.known.types, key, DRIFT_LIMITS.types)) continue;
      const [webhook, type] = key.split(SEP);
      this.sql.type.run(webhook, type, entry.count, entry.first, entry.last, entry.example);
    }
    // Shapes of one type share most paths: add them up first, so each row is written once per batch.
    const paths = new Map<string, { leaf: number } & Counted>();
    for (const entry of fields.values()) {
      for (const { path, leaf } of entry.shape.paths) {
        const key = entry.webhook + SEP + entry.type + SEP + path;
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
      const [webhook, type, path] = key.split(SEP);
      this.sql.field.run(webhook, type, path, sum.leaf, sum.count, sum.example);
    }
    for (const [key, entry] of violationCounts) {
      if (!this.admit(this.known.violations, key, DRIFT_LIMITS.violations)) continue;
      const [webhook, type, pointer, message] = key.split(SEP);
      this.sql.violation.run(webhook, type, pointer, message, entry.count, entry.example);
    }
  }

  private admit(known: Set<string>, key: string, limit: number): boolean {
    if (known.has(key)) return true;
    if (known.size >= limit) return false;
    known.add(key);
    return true;
  }

  private shapeOf(kind: string, signature: string, body: object): Shape {
    const key = kind + SEP + signature;
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
