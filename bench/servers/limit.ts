import { createServer } from 'node:http';

// The physical limit here: read the POST body, answer 200, nothing else.
const port = Number(process.argv[2]);
createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
}).listen(port, '127.0.0.1', () => process.send?.('ready'));
