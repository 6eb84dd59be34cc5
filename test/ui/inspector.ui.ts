import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { Receiver, TestRuntime } from '../helpers/runtime';

const SHOTS = mkdtempSync(join(tmpdir(), 'plugnpaid-ui-'));

describe('the event inspector, in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let runtime: TestRuntime;
  let receiver: Receiver;

  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    receiver = await new Receiver().start();
    // One attempt only, so a failing destination dead-letters at once.
    runtime = await new TestRuntime(undefined, { retryScheduleMs: [0] }).start();
  });
  after(async () => {
    await browser?.close();
    await runtime?.destroy();
    await receiver?.stop();
    console.log(`      screenshots: ${SHOTS}`);
  });

  async function signIn(page: Page, token: string): Promise<void> {
    await page.goto(runtime.url);
    await page.getByLabel('Admin token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs in, sends a sample, shows the event with its bundle, and replays a dead delivery', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('dialog', (dialog) => dialog.accept());
    await signIn(page, runtime.runtime.adminToken);

    const webhook = page.locator('article[data-webhook]').first();
    await expect(await webhook.locator('h3').textContent()).to.equal('Plug&Paid');
    const hook = await runtime.defaultWebhook();
    await page.getByText(hook.url).waitFor();
    await page.screenshot({ path: join(SHOTS, 'webhooks.png'), fullPage: true });

    await webhook.getByLabel('Sample to send').selectOption('watch-one-time-sale');
    await webhook.getByRole('button', { name: 'Send sample' }).click();
    const row = page.locator('#events tr').first();
    await row.getByText('new_simple_sale').waitFor();
    await row.click();
    await page.locator('#event-detail [data-bundle]').first().waitFor();
    const bundleText = await page.locator('#event-detail').textContent();
    expect(bundleText).to.contain('ord_8f3k2j');
    expect(bundleText).to.contain('watch-one-time-sale: 1 bundle(s)');
    await page.screenshot({ path: join(SHOTS, 'event.png'), fullPage: true });

    receiver.answer = () => ({ status: 500 });
    await webhook.getByLabel('Module').selectOption('watch-order-refunded');
    await webhook.getByLabel('Destination URL').fill(receiver.url);
    await webhook.getByRole('button', { name: 'Add trigger' }).click();
    await webhook.getByText(`→ ${receiver.url}`).waitFor();
    await webhook.getByLabel('Sample to send').selectOption('watch-order-refunded');
    await webhook.getByRole('button', { name: 'Send sample' }).click();
    await page.locator('#events tr', { hasText: 'refund' }).first().click();
    const replay = page.getByRole('button', { name: 'Replay delivery' });
    await replay.waitFor();
    expect(await page.locator('#event-detail [data-delivery] .status-dead').count()).to.equal(1);

    receiver.answer = () => ({ status: 200 });
    await replay.click();
    await page.locator('#event-detail [data-delivery] .status-delivered').waitFor();
    expect(receiver.received).to.have.length(1);
    await page.screenshot({ path: join(SHOTS, 'delivery.png'), fullPage: true });
    if (process.env.UPDATE_README_SCREENSHOT) copyFileSync(join(SHOTS, 'event.png'), join(DEFAULT_APP_DIR, 'docs', 'inspector-event.png'));
    await page.close();
  });

  it('works at phone width', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, runtime.runtime.adminToken);
    await page.locator('article[data-webhook]').first().waitFor();
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).to.be.at.most(0);
    await page.screenshot({ path: join(SHOTS, 'phone.png'), fullPage: true });
    await page.close();
  });

  it('shows nothing to a wrong token', async () => {
    const page = await browser.newPage();
    await signIn(page, 'not-the-token');
    await page.getByText('That admin token was not accepted.').waitFor();
    expect(await page.locator('#app').isHidden()).to.equal(true);
    const hook = await runtime.defaultWebhook();
    expect(await page.content()).to.not.contain(hook.url);
    expect(await page.locator('#events tr').count()).to.equal(0);
    await page.close();
  });
});

mkdirSync(SHOTS, { recursive: true });
