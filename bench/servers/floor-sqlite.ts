import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { createServer, ServerResponse } from 'node:http';
import { join } from 'node:path';

// What any durable SQLite receiver must pay, with our pragmas (WAL, synchronous=FULL by default): parse the JSON,
// hash the body for a unique key, insert, and answer after the commit. Requests read in the same event-loop turn
// share one transaction (one fsync), as our ingest does. No routing, mapping or bundles.
const [port, dir, sync] = [Number(process.argv[2]), process.argv[3], process.argv[4] === 'NORMAL' ? 'NORMAL' : 'FULL'];
const db = new Database(join(dir, 'floor.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${sync}`);
db.exec('CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, body_hash TEXT NOT NULL UNIQUE, type TEXT, body BLOB NOT NULL, received_at INTEGER NOT NULL)');
const insert = db.prepare('INSERT OR IGNORE INTO events (body_hash, type, body, received_at) VALUES (?, ?, ?, ?)');
const commit = db.transaction((batch: Array<{ body: Buffer; type: string | null }>) => {
  const now = Date.now();
  for (const { body, type } of batch) insert.run(createHash('sha256').update(body).digest('hex'), type, body, now);
});
let waiting: Array<{ body: Buffer; type: string | null; response: ServerResponse }> = [];

function flush(): void {
  const batch = waiting;
  waiting = [];
  commit(batch);
  for (const { response } of batch) response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
}

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    let type: string | null;
    try {
      type = (JSON.parse(body.toString('utf8')) as { type?: string }).type ?? null;
    } catch {
      response.writeHead(400).end();
      return;
    }
    waiting.push({ body, type, response });
    if (waiting.length === 1) setImmediate(flush);
  });
}).listen(port, '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  db.close();
  process.exit(0);
});
