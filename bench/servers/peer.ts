import Database from 'better-sqlite3';
import express from 'express';
import { join } from 'node:path';

// What people hand-write: Express, express.json(), a mapping by hand and one synchronous insert per request,
// with better-sqlite3's defaults (rollback journal, synchronous=FULL).
const [port, dir] = [Number(process.argv[2]), process.argv[3]];
const db = new Database(join(dir, 'peer.sqlite'));
db.exec('CREATE TABLE IF NOT EXISTS sales (order_id TEXT, email TEXT, amount REAL, products TEXT, raw TEXT)');
const insert = db.prepare('INSERT INTO sales VALUES (?, ?, ?, ?, ?)');
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/hook', (request, response) => {
  const order = request.body?.data?.order ?? {};
  const email = String(order.customer?.email ?? '').trim().toLowerCase();
  const products = (order.products ?? []).map((product: { id: string }) => product.id);
  insert.run(String(order.id), email, Number(order.amount_total), JSON.stringify(products), JSON.stringify(request.body));
  response.status(200).json({ ok: true });
});
app.listen(port, '127.0.0.1', () => process.send?.('ready'));
