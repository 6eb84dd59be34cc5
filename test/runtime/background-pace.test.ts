import { expect } from 'chai';
import { paceFor, pauseAfterBatch } from '../../src/runtime/processing/background-pace';

describe('the background pass beside intake', () => {
  it('takes full batches back to back while no events arrive', () => {
    expect(paceFor(false, 0).batch).to.equal(100);
    expect(paceFor(false, 120_000).batch).to.equal(100);
    expect(pauseAfterBatch(40, paceFor(false, 120_000))).to.equal(0);
  });

  it('takes small batches while events arrive, and keeps to a tenth of the event loop whatever a batch costs', () => {
    expect(paceFor(true, 1_000).batch).to.equal(3);
    for (const took of [0.5, 3, 25]) expect(took / (took + pauseAfterBatch(took, paceFor(true, 1_000)))).to.be.closeTo(0.1, 1e-9);
  });

  it('takes half the event loop, in larger batches, once its backlog is 30 s old, so statuses and deliveries catch up under a sustained load', () => {
    expect(paceFor(true, 30_000).batch).to.equal(3);
    expect(paceFor(true, 30_001).batch).to.equal(10);
    expect(pauseAfterBatch(4, paceFor(true, 30_000))).to.be.closeTo(36, 1e-9);
    expect(pauseAfterBatch(4, paceFor(true, 30_001))).to.be.closeTo(4, 1e-9);
  });
});
