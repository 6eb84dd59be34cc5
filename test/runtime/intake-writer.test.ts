import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntakeWriter } from '../../src/runtime/intake/intake-writer';
import { Store } from '../../src/runtime/store/store';

describe('the intake writer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'plugnpaid-writer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const event = (text: string) => ({ webhookId: 'wh_1', body: Buffer.from(text), type: 'order.paid' });

  it('commits a batch, recognising a repeated body as the event it repeats, readable at once by the store', async () => {
    const store = new Store(dir);
    store.db.prepare("INSERT INTO webhooks (id, name, token, secret, created_at) VALUES ('wh_1', 'w', 't', NULL, 0)").run();
    const writer = new IntakeWriter(store.file, 'FULL');
    try {
      const results = await writer.commit([event('{"a":1}'), event('{"a":2}'), event('{"a":1}')], 1000, 60_000);
      expect(results.map((result) => result.duplicate)).to.deep.equal([false, false, true]);
      expect(results[2].eventId).to.equal(results[0].eventId);
      const bodies = store.db.prepare('SELECT body FROM event_bodies ORDER BY event_id').all() as Array<{ body: Buffer }>;
      expect(bodies.map((row) => row.body.toString())).to.deep.equal(['{"a":1}', '{"a":2}']);
    } finally {
      await writer.close();
      store.close();
    }
  });

  it('fails a commit whose store cannot be opened, and opens it at the next commit once it can', async () => {
    const folder = join(dir, 'later');
    const writer = new IntakeWriter(join(folder, 'plugnpaid.sqlite'), 'FULL');
    const failure = await writer.commit([event('{"a":1}')], 1000, 60_000).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).to.match(/Cannot open database because the directory does not exist/);
    const store = new Store(folder);
    store.db.prepare("INSERT INTO webhooks (id, name, token, secret, created_at) VALUES ('wh_1', 'w', 't', NULL, 0)").run();
    try {
      expect(await writer.commit([event('{"a":1}')], 1000, 60_000)).to.deep.equal([{ eventId: 1, duplicate: false }]);
    } finally {
      await writer.close();
      store.close();
    }
  });
});
