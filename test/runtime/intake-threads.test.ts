import { expect } from 'chai';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { examplePayload } from '../helpers/payloads';
import { eventually } from '../helpers/eventually';
import { TestRuntime } from '../helpers/runtime';

describe('the runtime: intake and checkpoints on the intake writer thread', function () {
  this.timeout(120_000);
  let runtime: TestRuntime;
  beforeEach(async () => (runtime = await new TestRuntime().start()));
  afterEach(async () => runtime.destroy());

  it('acknowledges concurrent events each with its own id, and a concurrent copy as the same event', async () => {
    const hook = await runtime.defaultWebhook();
    const bodies = Array.from({ length: 40 }, (_, n) => JSON.stringify({ ...examplePayload('refund'), n }));
    const answers = await Promise.all([...bodies, bodies[0], bodies[0]].map((body) => runtime.post(hook.url, body)));
    expect(answers.every((answer) => answer.status === 200)).to.equal(true);
    expect(new Set(answers.slice(0, 40).map((answer) => answer.body.event)).size).to.equal(40);
    // The three copies of the first body arrive in any order: one is stored, the other two are it.
    const copies = [answers[0], ...answers.slice(40)].map((answer) => answer.body);
    expect(new Set(copies.map((copy) => copy.event)).size).to.equal(1);
    expect(copies.filter((copy) => !copy.duplicate)).to.have.length(1);
    expect((await runtime.api('GET', '/api/events?limit=100')).body.items).to.have.length(40);
  });

  it('copies committed events from the write-ahead log into the database file without being asked', async () => {
    const hook = await runtime.defaultWebhook();
    const file = join(runtime.dataDir, 'plugnpaid.sqlite');
    const before = statSync(file).size;
    // About 2 MB, far below the log size at which a connection checkpoints by itself (SELF_CHECKPOINT_PAGES): all
    // but the last 1 MB at most (CHECKPOINT_FRAMES) is copied into the database file by the intake writer thread.
    const padding = 'x'.repeat(50_000);
    for (let n = 0; n < 40; n += 1) expect((await runtime.post(hook.url, JSON.stringify({ ...examplePayload('refund'), n, padding }))).status).to.equal(200);
    await eventually('the events reaching the database file', () => statSync(file).size >= before + 1_000_000);
  });
});
