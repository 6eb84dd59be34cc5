import { expect } from 'chai';
import fc from 'fast-check';
import { loadApp } from '../../src/definition/loader';
import { bodyProblem, parseJsonBody } from '../../src/runtime/intake/body-checks';
import { TestRuntime } from '../helpers/runtime';

const app = loadApp();
const watched = app.modules[0];
const sample = watched.samples[0];
const json = JSON.stringify(sample.payload);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// Over 64 KiB, an event is processed after the acknowledgement, from its stored bytes rather than intake's parse.
const large = { ...(sample.payload as Record<string, unknown>), padding: 'x'.repeat(80 * 1024) };

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
}

describe('the runtime: one body parser for intake and processing', () => {
  let runtime: TestRuntime;
  let hook: { id: string; url: string };

  beforeEach(async () => {
    runtime = await new TestRuntime().start();
    hook = await runtime.defaultWebhook();
  });
  afterEach(async () => runtime.destroy());

  const accepted: Array<[string, Buffer, unknown]> = [
    ['a UTF-8 byte order mark', Buffer.concat([BOM, Buffer.from(json)]), sample.payload],
    ['a byte order mark, then whitespace', Buffer.concat([BOM, Buffer.from(` \r\n\t${json}`)]), sample.payload],
    ['leading and trailing whitespace with CRLF', Buffer.from(`\r\n  ${json}\r\n\r\n`), sample.payload],
    ['tabs between tokens', Buffer.from(JSON.stringify(sample.payload, null, '\t')), sample.payload],
    ['a byte order mark, over 64 KiB', Buffer.concat([BOM, Buffer.from(JSON.stringify(large))]), large],
    ['a byte order mark and CRLFs, over 64 KiB', Buffer.concat([BOM, Buffer.from(`\r\n${JSON.stringify(large, null, 1)}\r\n`)]), large],
  ];
  for (const [what, body, payload] of accepted) {
    it(`processes a body with ${what} exactly like the plain body`, async () => {
      const answer = await runtime.post(hook.url, body);
      expect(answer.status).to.equal(200);
      await runtime.runtime.engine.drain();
      const event = (await runtime.api('GET', `/api/events/${answer.body.event}`)).body;
      expect(event).to.deep.include({ status: 'processed', error: null, body: payload });
      const trigger = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items.find((t: { module: string }) => t.module === watched.name);
      const bundles = (await runtime.api('GET', `/api/triggers/${trigger.id}/bundles`)).body.items;
      expect(bundles.map((bundle: { data: unknown }) => bundle.data)).to.deep.equal(sample.bundles);
    });
  }

  const refused: Array<[string, Buffer, RegExp]> = [
    ['UTF-16LE with its byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]), /UTF-16.*send JSON as UTF-8/],
    ['UTF-16BE with its byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(json)]), /UTF-16.*send JSON as UTF-8/],
    ['UTF-16LE without a byte order mark', Buffer.from(json, 'utf16le'), /^invalid JSON/],
    ['two UTF-8 byte order marks', Buffer.concat([BOM, BOM, Buffer.from(json)]), /^invalid JSON/],
    ['a no-break space before the JSON', Buffer.from(`\u00a0${json}`), /^invalid JSON/],
  ];
  for (const [what, body, message] of refused) {
    it(`answers 400 to ${what} and stores nothing`, async () => {
      const answer = await runtime.post(hook.url, body);
      expect(answer.status).to.equal(400);
      expect(answer.body.error).to.match(message);
      expect((await runtime.api('GET', '/api/events')).body.items).to.deep.equal([]);
    });
  }

  it('reads a BOM-prefixed admin API body the same way', async () => {
    const response = await fetch(`${runtime.url}/api/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.runtime.adminToken}`, 'content-type': 'application/json' },
      body: Buffer.concat([BOM, Buffer.from(JSON.stringify({ name: 'from a BOM body' }))]),
    });
    expect(response.status).to.equal(201);
    expect(((await response.json()) as { name: string }).name).to.equal('from a BOM body');
  });
});

describe('parseJsonBody and the intake check', () => {
  it('agree on every body: what intake accepts, processing parses to the same value', () => {
    const prefix = fc.constantFrom('', '\ufeff', '\ufeff\ufeff', ' ', '\r\n', '\t', '\u00a0', '\ufeff \n');
    fc.assert(
      fc.property(prefix, fc.jsonValue(), prefix, (before, value, after) => {
        const raw = Buffer.from(`${before}${JSON.stringify(value)}${after}`);
        const checked = bodyProblem(raw, 1000);
        if (checked.message === undefined) expect(parseJsonBody(raw)).to.deep.equal(checked.value);
        else expect(() => parseJsonBody(raw)).to.throw(checked.message);
      }),
    );
  });
});
