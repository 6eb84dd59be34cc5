import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import { join } from 'node:path';

// The least any pull of bundles derived on read must do: read the raw bodies a page at a time (by id cursor) from
// the SQLite floor's store, parse each and serialise it, and send the page. No routing, mapping, validation or
// framework; each item carries its event id, as the bench's client counts duplicates by it.
// GET /pull?after=<id>&limit=<n>. Each body is serialised as soon as it is parsed and the page is written as bytes
// in one copy, as our pull does: holding a page of parsed bodies costs about 20 µs more a body in garbage collection.
const [port, dir] = [Number(process.argv[2]), process.argv[3]];
const db = new Database(join(dir, 'floor.sqlite'), { readonly: true });
const page = db.prepare<[number, number], { id: number; body: Buffer }>('SELECT id, body FROM events WHERE id > ? ORDER BY id LIMIT ?');

createServer((request, response) => {
  const query = new URL(request.url ?? '/', 'http://floor').searchParams;
  const after = Number(query.get('after') ?? 0);
  const limit = Number(query.get('limit') ?? 1000);
  const rows = page.all(after, limit + 1);
  const items = rows.slice(0, limit);
  const pieces = ['{"items":['];
  for (const [index, row] of items.entries()) pieces.push(`${index === 0 ? '' : ','}{"eventId":${row.id},"data":`, JSON.stringify(JSON.parse(row.body.toString('utf8'))), '}');
  pieces.push(`],"next":"${items.length > 0 ? items[items.length - 1].id : after}","hasMore":${rows.length > limit}}`);
  let length = 0;
  for (const piece of pieces) length += Buffer.byteLength(piece);
  const bytes = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const piece of pieces) offset += bytes.write(piece, offset);
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(bytes);
}).listen(port, '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  db.close();
  process.exit(0);
});
