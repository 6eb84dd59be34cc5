import { expect } from 'chai';
import { answerReason, verdictFor } from '../../src/runtime/delivery/delivery-verdict';

describe('what a destination answer means for a delivery', () => {
  const cases: Array<[string, number | undefined, ReturnType<typeof verdictFor>]> = [
    ['2xx is delivered', 200, 'delivered'],
    ['204 is delivered', 204, 'delivered'],
    ['no answer (network error, timeout) is retried', undefined, 'retry'],
    ['408 Request Timeout is retried', 408, 'retry'],
    ['425 Too Early is retried', 425, 'retry'],
    ['429 Too Many Requests is retried', 429, 'retry'],
    ['500 is retried', 500, 'retry'],
    ['503 is retried', 503, 'retry'],
    ['410 Gone pauses the trigger', 410, 'gone'],
    ['400 is permanent', 400, 'permanent'],
    ['401 is permanent', 401, 'permanent'],
    ['404 is permanent', 404, 'permanent'],
    ['422 is permanent', 422, 'permanent'],
    ['a redirect (never followed) is permanent', 302, 'permanent'],
  ];
  for (const [title, status, verdict] of cases) it(title, () => expect(verdictFor(status)).to.equal(verdict));

  it('words a failed answer as its status and the first 200 bytes of its body, on one line', () => {
    expect(answerReason(400, Buffer.from('{"error":\n"bad"}'))).to.equal('HTTP 400: {"error": "bad"}');
    expect(answerReason(404, Buffer.alloc(0))).to.equal('HTTP 404');
    expect(answerReason(400, Buffer.from('é'.repeat(150))).length).to.equal('HTTP 400: '.length + 100);
  });
});
