import { expect } from 'chai';
import { reachLines, ReachInput, unreachableReason } from '../../src/cli/serve-banner';

const local: ReachInput = {
  platform: 'Plug&Paid',
  baseUrl: 'http://127.0.0.1:8787',
  webhooks: [{ name: 'Plug&Paid', url: 'http://127.0.0.1:8787/hooks/abc' }],
  webhookCount: 1,
  listCommand: 'npx plugnpaid-connector webhooks list --url http://127.0.0.1:8787',
};

describe('The start banner: where the runtime is reached', () => {
  it('shows the webhook URL with the registration steps on the first start', () => {
    const lines = reachLines({ ...local, created: { steps: 'docs/modules.md', triggers: 14 } });
    expect(lines.slice(0, 2)).to.deep.equal([
      '  Webhook URL: http://127.0.0.1:8787/hooks/abc',
      '               paste it in Plug&Paid as docs/modules.md says; all 14 triggers are attached',
    ]);
  });

  it('shows the webhook URL again on a restart', () => {
    expect(reachLines(local)[0]).to.equal('  Webhook URL: http://127.0.0.1:8787/hooks/abc');
  });

  it('names each webhook when there are several, and counts the ones not shown with the command that lists them', () => {
    const lines = reachLines({ ...local, webhooks: [local.webhooks[0], { name: 'Shop B', url: 'http://127.0.0.1:8787/hooks/def' }], webhookCount: 5 });
    expect(lines.slice(0, 3)).to.deep.equal([
      '  Webhook URL: http://127.0.0.1:8787/hooks/abc (Plug&Paid)',
      '  Webhook URL: http://127.0.0.1:8787/hooks/def (Shop B)',
      '               and 3 more: npx plugnpaid-connector webhooks list --url http://127.0.0.1:8787',
    ]);
  });

  it('says that the platform cannot reach 127.0.0.1, and what to do', () => {
    const note = reachLines(local).filter((line) => /Note:|^ {15}(expose|--public-url)/.test(line)).join('\n');
    expect(note).to.equal(
      [
        '  Note:        Plug&Paid cannot reach this URL: 127.0.0.1 is this machine only. To receive real events,',
        '               expose the port through a tunnel or a public host (HTTPS), restart with',
        '               --public-url https://… and register that URL. `send` works meanwhile.',
      ].join('\n'),
    );
  });

  it('gives no such note for a public URL', () => {
    const lines = reachLines({ ...local, baseUrl: 'https://hooks.example.com', webhooks: [{ name: 'Plug&Paid', url: 'https://hooks.example.com/hooks/abc' }] });
    expect(lines.join('\n')).to.not.contain('cannot reach');
  });

  it('judges localhost, private and public addresses', () => {
    expect(unreachableReason('http://localhost:8787')).to.equal('localhost is this machine only');
    expect(unreachableReason('http://[::1]:8787')).to.equal('::1 is this machine only');
    expect(unreachableReason('http://192.168.1.20:8787')).to.equal('192.168.1.20 is a private address');
    expect(unreachableReason('http://0.0.0.0:8787')).to.equal('0.0.0.0 is an unspecified address');
    expect(unreachableReason('https://203.0.113.9')).to.equal('203.0.113.9 is a reserved address');
    expect(unreachableReason('https://8.8.8.8')).to.equal(undefined);
    expect(unreachableReason('https://abc.ngrok.app')).to.equal(undefined);
  });

  it("calls the runtime's API the admin API, not Plug&Paid's, and shows the inspector", () => {
    const lines = reachLines(local);
    expect(lines).to.include("  Admin API:   http://127.0.0.1:8787/api (this runtime's own API for the CLI and scripts, not Plug&Paid's)");
    expect(lines).to.include('  Inspector:   http://127.0.0.1:8787/ (sign in with the admin token)');
    expect(lines.join('\n')).to.not.contain('API base');
  });
});
