import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { createServer, ServerResponse } from 'node:http';
import { join } from 'node:path';

// The durable floor without a database: append each body to one file and answer only after an fdatasync that
// covers it. Requests read in the same event-loop turn share one fdatasync, as our ingest shares one commit.
const [port, dir] = [Number(process.argv[2]), process.argv[3]];
const fd = openSync(join(dir, 'events.log'), 'a');
let waiting: Array<{ body: Buffer; response: ServerResponse }> = [];

function flush(): void {
  const batch = waiting;
  waiting = [];
  writeSync(fd, Buffer.concat(batch.flatMap(({ body }) => [body, Buffer.from('\n')])));
  fdatasyncSync(fd);
  for (const { response } of batch) response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
}

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    waiting.push({ body: Buffer.concat(chunks), response });
    if (waiting.length === 1) setImmediate(flush);
  });
}).listen(port, '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  closeSync(fd);
  process.exit(0);
});
