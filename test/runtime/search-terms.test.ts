import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchQuery, searchTerms } from '../../src/runtime/search/search-terms';
import { MIGRATIONS } from '../../src/runtime/store/migrations';
import { Store } from '../../src/runtime/store/store';
import { examplePayload } from '../helpers/payloads';

describe('the event search index', () => {
  it('takes the ids, numbers and emails of a payload, not its prose', () => {
    const terms = searchTerms(examplePayload('new_simple_sale')).split(' ');
    expect(terms).to.include.members(['ord_8f3k2j', 'cus_51ab', 'prod_course', 'prod_workbook', 'Ada.Lovelace@Example.com', 'billing@example.com']);
    expect(terms.join(' ')).to.not.contain('Bookkeeping');
    expect(terms.join(' ')).to.not.contain('paid');
  });

  it('bounds what one payload can put in the index', () => {
    const products = Array.from({ length: 5000 }, (_, index) => ({ id: `prod_${index}`, sku: 'x'.repeat(10_000) }));
    const terms = searchTerms({ data: { order: { products } } }).split(' ');
    expect(terms).to.have.length(200);
    expect(terms.every((term) => term.length <= 200)).to.equal(true);
  });

  it('turns a search text into word-start terms, all required', () => {
    expect(matchQuery('ord_8F3k')).to.equal('"ord"* AND "8f3k"*');
    expect(matchQuery('ada@example.com')).to.equal('"ada"* AND "example"* AND "com"*');
    expect(matchQuery('"*^ -')).to.equal(null);
  });

  it('indexes the events stored before the index existed, once, when the store is opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugnpaid-search-'));
    try {
      const before = MIGRATIONS.findIndex((sql) => sql.includes('event_search'));
      const old = new Database(join(dir, 'plugnpaid.sqlite'));
      MIGRATIONS.slice(0, before).forEach((sql) => old.exec(sql));
      old.pragma(`user_version = ${before}`);
      old.prepare("INSERT INTO events (id, webhook_id, body_hash, type, status, received_at) VALUES (1, 'wh', 'h', 'refund', 'processed', 0)").run();
      old.prepare('INSERT INTO event_bodies (event_id, body) VALUES (1, ?)').run(Buffer.from(JSON.stringify(examplePayload('refund'))));
      old.close();
      const store = new Store(dir);
      try {
        const id = examplePayload('refund').data.order.id as string;
        const hits = store.db.prepare('SELECT rowid FROM event_search WHERE event_search MATCH ?').all(matchQuery(id));
        expect(hits).to.deep.equal([{ rowid: 1 }]);
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
