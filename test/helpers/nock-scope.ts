import nock from 'nock';

/**
 * A root hook (`.mocharc.json` requires this file): nock intercepts every HTTP request of the process once any
 * file imports it, so it is off for the whole run, and a suite that mocks an API turns it on for itself alone
 * (interceptNetwork). Tests that count real sockets would otherwise see nock's requests in place of an Agent's.
 */
export const mochaHooks = {
  beforeAll(): void {
    if (nock.isActive()) nock.restore();
  },
};

/** Turns nock on for the calling describe block only, refusing real connections but to `allowedHosts`. */
export function interceptNetwork(...allowedHosts: string[]): void {
  before(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    allowedHosts.forEach((host) => nock.enableNetConnect(host));
  });
  afterEach(() => nock.cleanAll());
  after(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}
