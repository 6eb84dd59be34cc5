import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { DEFAULT_APP_DIR, loadApp } from '../../src/definition/loader';
import { FakePlatformApi } from '../helpers/fake-platform-api';
import { examplePayload } from '../helpers/payloads';
import { Receiver, TestRuntime } from '../helpers/runtime';

const SHOTS = mkdtempSync(join(tmpdir(), 'plugnpaid-ui-'));
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };
const API_TOKEN = 'pnp_live_ui_T0ken_55aa';
const app = loadApp();

/** Keeps a screenshot; with UPDATE_README_SCREENSHOT set, also as the README's picture of that name. */
async function shot(page: Page, name: string, readme?: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (readme && process.env.UPDATE_README_SCREENSHOT) copyFileSync(join(SHOTS, `${name}.png`), join(DEFAULT_APP_DIR, 'docs', readme));
}

describe('the event inspector, in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let context: BrowserContext;
  let runtime: TestRuntime;
  let receiver: Receiver;
  let platform: FakePlatformApi;
  let hook: { id: string; url: string };

  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    receiver = await new Receiver().start();
    platform = await new FakePlatformApi().start();
    platform.products = [{ id: 'prod_course', name: 'Online course: Bookkeeping basics' }, { id: 'prod_workbook', name: 'Printed workbook' }, { id: 77, title: 'Coaching call' }];
    // One attempt only, so a failing destination dead-letters at once; the API token reaches only the fake API.
    runtime = await new TestRuntime(undefined, { retryScheduleMs: [0], apiToken: API_TOKEN, apiBase: platform.url }).start();
    hook = await runtime.defaultWebhook();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'Europe/Amsterdam' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: runtime.url });
  });
  afterEach(async () => context?.close());
  after(async () => {
    await browser?.close();
    await runtime?.destroy();
    await receiver?.stop();
    await platform?.stop();
    console.log(`      screenshots: ${SHOTS}`);
  });

  async function signIn(page: Page, token = runtime.runtime.adminToken, address = '/'): Promise<void> {
    await page.goto(`${runtime.url}${address}`);
    await page.getByLabel('Admin token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function post(payload: unknown): Promise<number> {
    const answer = await runtime.post(hook.url, JSON.stringify(payload));
    await runtime.runtime.engine.drain();
    return answer.body.event;
  }

  /** Waits until the number of elements matching `selector` satisfies `expected` (the page's CSP forbids waitForFunction). */
  async function rows(page: Page, selector: string, expected: (count: number) => boolean): Promise<void> {
    for (const started = Date.now(); !expected(await page.locator(selector).count()); await page.waitForTimeout(100)) {
      if (Date.now() - started > 20_000) throw new Error(`${selector}: ${await page.locator(selector).count()} elements, not the expected number`);
    }
  }

  const eventRegion = (page: Page) => page.getByRole('region', { name: /^Event / });
  const visibleText = async (page: Page) => (await page.locator('body').innerText());

  /** Runs axe-core in the page (evaluated, not injected as a script, so the page's CSP stays as it is). */
  async function seriousViolations(page: Page): Promise<string[]> {
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  it('shows an empty list that says what to do, then the list beside the detail at 1400×900', async () => {
    const page = await context.newPage();
    await signIn(page);
    await page.getByText('No events yet.').waitFor();
    expect(await page.getByRole('link', { name: 'Webhooks' }).count()).to.be.greaterThan(0);
    expect(await page.getByRole('img', { name: /No events in the last 24 hours/ }).count()).to.equal(1);
    expect(await seriousViolations(page)).to.deep.equal([]);

    // Not the sample's own body, which a later test sends as a new event.
    const sale = examplePayload('new_simple_sale');
    sale.data.order.id = 'ord_first_in_list';
    await post(sale);
    await page.locator('#events tr').first().waitFor();
    const list = (await page.getByRole('region', { name: 'Events' }).boundingBox())!;
    const detail = (await eventRegion(page).boundingBox())!;
    expect(list.x + list.width).to.be.at.most(detail.x);
    expect(detail.y).to.equal(list.y);
    expect(list.y + 100).to.be.below(DESKTOP.height);
    expect(await eventRegion(page).getByText('Choose an event in the list').count()).to.equal(1);
  });

  it('names triggers by module label in the app\'s order, and fills the product filter from listProducts', async () => {
    const page = await context.newPage();
    await signIn(page, undefined, '/#/webhooks');
    const card = page.locator('article[data-webhook]').first();
    await card.getByText(hook.url).waitFor();
    // The view's heading took focus on arrival, without a focus box: it is not a control.
    const focused = () => page.evaluate<string>("document.activeElement.id + ' ' + getComputedStyle(document.activeElement).outlineStyle");
    for (let tries = 0; tries < 50 && !(await focused()).startsWith('webhooks-title'); tries += 1) await page.waitForTimeout(100);
    expect(await focused()).to.equal('webhooks-title none');
    const names = await card.locator('.trigger-name').allTextContents();
    // Grouped as the app groups its modules (groups in order of first appearance), each group in the app's order.
    const groups = [...new Set(app.modules.map((m) => m.group))];
    expect(names).to.deep.equal(groups.flatMap((group) => app.modules.filter((m) => m.group === group).map((m) => m.label)));
    expect(names.indexOf('Watch one time sale')).to.equal(0);
    expect(await card.locator('h4').allTextContents()).to.include.members(['Orders', 'Products', 'Customers', 'Subscriptions']);

    await card.getByLabel('Module').selectOption('watch-order-refunded');
    const products = card.getByRole('listbox', { name: 'Products' });
    await products.waitFor();
    expect(await products.locator('option').allTextContents()).to.deep.equal(['Online course: Bookkeeping basics', 'Printed workbook', 'Coaching call']);
    expect(platform.calls.every((call) => call.authorization === `Bearer ${API_TOKEN}`)).to.equal(true);
    expect(await page.content()).to.not.contain(API_TOKEN);
    await products.selectOption(['prod_workbook', '77']);
    await card.getByLabel('Destination URL').fill('ftp://files.example/hook');
    // Watch order refunded is attached already: the first press warns and names it, the second sends it.
    const existing = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items.find((t: { module: string }) => t.module === 'watch-order-refunded');
    await card.getByRole('button', { name: 'Add trigger' }).click();
    await card.getByRole('status').getByText(`already has a Watch order refunded trigger (${existing.id}): each event would make bundles for both`).waitFor();
    expect(await card.locator('[data-trigger]').count()).to.equal(14);
    await card.getByRole('button', { name: 'Add a second trigger' }).click();
    const refused = card.getByRole('alert').filter({ hasText: 'Could not add the trigger: destination.url must be an http(s) URL' });
    await refused.waitFor();
    await refused.scrollIntoViewIfNeeded();
    await shot(page, 'webhooks', 'inspector-webhooks.png');

    // The destination's placeholder fits its box; what an empty one means is said below it.
    const destination = card.getByLabel('Destination URL');
    expect(await destination.getAttribute('placeholder')).to.equal('https://…');
    const fits = `(() => { const input = document.getElementById(${JSON.stringify(`add-${hook.id}-destination`)}); const c = document.createElement('canvas').getContext('2d'); c.font = getComputedStyle(input).font; return c.measureText(input.placeholder).width < input.clientWidth; })()`;
    expect(await page.evaluate(fits)).to.equal(true);
    expect(await card.getByText('Empty: the bundles are kept for pulling.').count()).to.equal(1);
    // The per-line checkbox sits level with the fields beside it.
    const box = (await card.getByLabel('One bundle per order line').boundingBox())!;
    const field = (await destination.boundingBox())!;
    expect(Math.abs(box.y + box.height / 2 - (field.y + field.height / 2))).to.be.at.most(3);

    await destination.fill(receiver.url);
    await card.getByRole('button', { name: 'Add a second trigger' }).click();
    await card.getByText('products prod_workbook, 77').waitFor();
    await card.getByText('Signing secret for verifying deliveries (shown once)').waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    const refunds = card.locator('.trigger-name', { hasText: 'Watch order refunded' });
    expect(await refunds.count()).to.equal(2);
    // Remove asks first; Cancel keeps the trigger.
    await card.getByRole('button', { name: 'Remove Watch order refunded' }).last().click();
    await card.getByText('Remove Watch order refunded?').waitFor();
    await card.getByRole('button', { name: 'Cancel', exact: true }).click();
    expect(await card.locator('[data-trigger]').count()).to.equal(15);
    await card.getByRole('button', { name: 'Remove Watch order refunded' }).last().click();
    await card.getByRole('button', { name: 'Yes, remove' }).click();
    await rows(page, '[data-trigger]', (n) => n === 14);

    // Every trigger shows its id, with a button to copy it (the polling loop needs one).
    const sale = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items.find((t: { module: string }) => t.module === 'watch-one-time-sale');
    const saleRow = card.locator(`[data-trigger="${sale.id}"]`);
    expect(await saleRow.locator('.trigger-id').textContent()).to.equal(sale.id);
    await saleRow.getByRole('button', { name: 'Copy id of Watch one time sale' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).to.equal(sale.id);
  });

  it('falls back to free text with a note when no API token is configured', async () => {
    const bare = await new TestRuntime().start();
    try {
      const page = await context.newPage();
      await page.goto(`${bare.url}/#/webhooks`);
      await page.getByLabel('Admin token').fill(bare.runtime.adminToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('No API token is configured (PLUGNPAID_API_TOKEN)').waitFor();
      expect(await page.getByRole('textbox', { name: 'Products (ids, comma-separated)' }).count()).to.equal(1);
    } finally {
      await bare.destroy();
    }
  });

  it('sends a sample, lands on its address, and shows the bundle as a labelled, typed tree', async () => {
    const page = await context.newPage();
    await signIn(page, undefined, '/#/webhooks');
    const card = page.locator('article[data-webhook]').first();
    await card.getByLabel('Send a sample', { exact: true }).selectOption('watch-one-time-sale');
    await card.getByRole('button', { name: 'Send sample' }).click();
    await page.waitForURL(/#\/events\/\d+$/);
    const id = page.url().split('/').pop()!;
    const region = page.getByRole('region', { name: `Event ${id}: new_simple_sale` });
    const bundle = region.getByRole('region', { name: /Watch one time sale/ });
    await bundle.waitFor();
    const row = (label: string) => bundle.locator('li.leaf', { has: page.locator(`.field-label:text-is("${label}")`) }).first();
    expect(await row('Order ID').locator('.value').textContent()).to.equal('ord_8f3k2j');
    expect(await row('Total amount').locator('.value').textContent()).to.equal('€129.90');
    const created = row('Created at').locator('time');
    expect(await created.getAttribute('title')).to.equal('2026-11-20T13:03:11.000Z');
    expect(await created.textContent()).to.equal(new Date('2026-11-20T13:03:11Z').toLocaleString('en-US', { timeZone: 'Europe/Amsterdam' }));
    expect(await bundle.locator('summary', { hasText: 'Products' }).first().textContent()).to.contain('2 items');
    // Schema order: the order's fields as the output schema lists them.
    const order = bundle.locator('li.branch', { has: page.locator('summary .field-label:text-is("Order")') }).first();
    expect(await order.locator(':scope > details > ul > li > .field-label').allTextContents()).to.deep.equal(['Order ID', 'Status', 'Total amount', 'Currency', 'Created at']);
    expect(await region.getByText('Watch one time sale: 1 bundle').count()).to.equal(1);
    // Bundles in the app's module order, whichever trigger made its bundle first.
    expect(await region.locator('[data-bundle] h4').allTextContents()).to.deep.equal(['Watch one time sale · bundle 1', 'Watch customers · bundle 1']);

    await row('Total amount').hover();
    await row('Total amount').getByRole('button', { name: 'Copy path of Total amount' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).to.equal('order.amountTotal');
    await row('Order ID').hover();
    await row('Order ID').getByRole('button', { name: 'Copy value of Order ID' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).to.equal('ord_8f3k2j');

    await bundle.getByRole('button', { name: 'Raw JSON' }).click();
    expect(JSON.parse((await bundle.locator('pre.json').textContent())!).order.id).to.equal('ord_8f3k2j');
    expect(await bundle.locator('.tree').isHidden()).to.equal(true);
    await bundle.getByRole('button', { name: 'Raw JSON' }).click();

    // An empty object (a one-time sale has no subscription) is not shown as a "0 fields" block.
    expect(await bundle.locator('summary .field-label:text-is("Subscription")').count()).to.equal(0);
    // Long event types may wrap at their underscores; the text stays the same.
    const typeCell = page.locator(`#events tr[data-event="${id}"] td.type`);
    expect(await typeCell.locator('wbr').count()).to.equal(2);
    expect(await typeCell.textContent()).to.equal('new_simple_sale');

    const payload = region.getByRole('region', { name: 'Payload as received' });
    expect(await payload.locator('.field-label:text-is("amount_total")').count()).to.equal(1);
    // As received: the date exactly as the payload has it, not in local time.
    const payloadCreated = payload.locator('li.leaf', { has: page.locator('.field-label:text-is("created_at")') }).first();
    expect(await payloadCreated.locator('.value').textContent()).to.equal('2026-11-20T14:03:11+01:00');
    expect(await visibleText(page)).to.not.match(/\b(null|undefined|NaN)\b/);
    await shot(page, 'event', 'inspector-event.png');
    expect(await seriousViolations(page)).to.deep.equal([]);
  });

  it('names its app, gives its platform\'s registration steps, and shows a numeric ID without separators', async () => {
    const page = await context.newPage();
    await signIn(page, undefined, '/#/webhooks');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Plug&Paid connector');
    await page.getByText('How to register a URL in Plug&Paid').click();
    const steps = Object.values(app.webhooks)[0].instructions;
    expect(await page.locator('details.help li').allTextContents()).to.deep.equal(steps);
    const sale = examplePayload('new_simple_sale');
    sale.data.order.id = 52841;
    const id = await post(sale);
    await page.goto(`${runtime.url}/#/events/${id}`);
    const bundle = page.getByRole('region', { name: `Event ${id}: new_simple_sale` }).getByRole('region', { name: /Watch one time sale/ });
    await bundle.waitFor();
    const orderId = bundle.locator('li.leaf', { has: page.locator('.field-label:text-is("Order ID")') }).first();
    expect(await orderId.locator('.value').textContent()).to.equal('52841');
  });

  it('says visibly that a sample repeats an event already received, linking to it', async () => {
    const first = (await runtime.api('POST', `/api/webhooks/${hook.id}/samples`, { module: 'watch-order-refunded' })).body.event;
    const page = await context.newPage();
    await signIn(page, undefined, '/#/webhooks');
    const card = page.locator('article[data-webhook]').first();
    await card.getByLabel('Send a sample', { exact: true }).selectOption('watch-order-refunded');
    await card.getByRole('button', { name: 'Send sample' }).click();
    const notice = card.locator('p.notice', { hasText: 'nothing new was stored' });
    await notice.waitFor();
    expect(await notice.isVisible()).to.equal(true);
    expect(await notice.getByRole('link').textContent()).to.equal(`event ${first}`);
    expect(page.url()).to.match(/#\/webhooks$/);
  });

  it('marks schema errors at their field', async () => {
    const payload = examplePayload('new_simple_sale');
    payload.data.order.id = { nested: true };
    payload.data.order.customer.email = 5;
    const id = await post(payload);
    const page = await context.newPage();
    await signIn(page, undefined, `/#/events/${id}`);
    const bundle = eventRegion(page).getByRole('region', { name: /Watch one time sale/ });
    await bundle.waitFor();
    expect(await bundle.getByText('does not match the output schema').count()).to.equal(1);
    const email = bundle.locator('li.leaf.invalid', { has: page.locator('.field-label:text-is("Email")') });
    expect(await email.locator('.field-error').textContent()).to.equal('must match format "email"');
    const orderId = bundle.locator('li.branch.invalid', { has: page.locator('summary .field-label:text-is("Order ID")') });
    expect(await orderId.locator('summary .field-error').textContent()).to.equal('must be string,integer');
  });

  it('gives every view an address: reload keeps it, Back returns to the list', async () => {
    const first = await post({ ...examplePayload('refund'), note: 'first' });
    const page = await context.newPage();
    await signIn(page, undefined, '/#/events');
    await page.locator(`#events tr[data-event="${first}"]`).click();
    await page.waitForURL(new RegExp(`#/events/${first}$`));
    await eventRegion(page).getByRole('heading', { name: `Event ${first}: refund` }).waitFor();
    await page.reload();
    await eventRegion(page).getByRole('heading', { name: `Event ${first}: refund` }).waitFor();
    await page.goBack();
    await page.waitForURL(/#\/events$/);
    await eventRegion(page).getByText('Choose an event in the list').waitFor();
    await page.getByRole('link', { name: 'Webhooks' }).first().click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.goBack();
    await page.waitForURL(/#\/events$/);
    expect(await page.getByRole('region', { name: 'Events' }).isVisible()).to.equal(true);
    await page.goto(`${runtime.url}/#/webhooks/${hook.id}`);
    await page.getByRole('link', { name: '← All webhooks' }).waitFor();
  });

  it('moves through the list with the keyboard', async () => {
    await post({ ...examplePayload('new_simple_sale'), note: 'keyboard one' });
    await post({ ...examplePayload('new_simple_sale'), note: 'keyboard two' });
    const page = await context.newPage();
    await signIn(page, undefined, '/#/events');
    const links = page.locator('#events tr a');
    await links.nth(1).waitFor();
    await links.first().focus();
    await page.keyboard.press('ArrowDown');
    const second = await links.nth(1).textContent();
    expect(await page.evaluate('document.activeElement.textContent')).to.equal(second);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/events/${second}$`));
    await eventRegion(page).getByRole('heading', { name: new RegExp(`^Event ${second}:`) }).waitFor();
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate('document.activeElement.textContent')).to.equal(await links.first().textContent());
  });

  it('searches payloads for an order id or an email, with the other filters', async () => {
    const target = examplePayload('new_simple_sale');
    target.data.order.id = 'ord_find_me_42';
    target.data.order.customer.email = 'searcher@shop.example';
    const found = await post(target);
    await post({ type: 'surprise_event', data: { order: { id: 'ord_find_me_42_other' } } });
    const page = await context.newPage();
    await signIn(page, undefined, '/#/events');
    await page.locator('#events tr').first().waitFor();
    await page.getByRole('searchbox', { name: 'Search payloads' }).fill('ord_find_me_42');
    await rows(page, '#events tr', (n) => n === 2);
    await page.getByLabel('Status').selectOption('processed');
    await rows(page, '#events tr', (n) => n === 1);
    expect(await page.locator('#events tr').first().getAttribute('data-event')).to.equal(String(found));
    await page.getByRole('searchbox', { name: 'Search payloads' }).fill('SEARCHER@shop');
    await page.locator(`#events tr[data-event="${found}"]`).waitFor();
    await rows(page, '#events tr', (n) => n === 1);
    await page.getByRole('searchbox', { name: 'Search payloads' }).fill('nobody-sent-this');
    await page.getByText('No event matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await rows(page, '#events tr', (n) => n > 2);
  });

  it('charts the last 24 hours by status', async () => {
    await post({ type: 'mystery_type', n: 'chart' });
    const page = await context.newPage();
    await signIn(page);
    const chart = page.getByRole('img', { name: /^Events per hour over the last 24 hours\. \d+ events in the last 24 hours: \d+ processed, \d+ unrouted/ });
    await chart.waitFor();
    expect(await chart.locator('rect.bar-processed').count()).to.equal(1);
    expect(await chart.locator('rect.bar-unrouted').count()).to.equal(1);
    expect(await chart.locator('g').count()).to.equal(24);
    const { hours } = (await runtime.api('GET', '/api/activity')).body;
    const last = hours[23];
    expect(await chart.locator('g').last().locator('title').textContent()).to.contain(`${last.processed} processed, ${last.unrouted} unrouted`);
  });

  it('replays a dead delivery', async () => {
    const refunds = await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url: receiver.url } });
    receiver.answer = () => ({ status: 500 });
    const id = await post({ ...examplePayload('refund'), note: 'dead delivery' });
    const page = await context.newPage();
    await signIn(page, undefined, `/#/events/${id}`);
    const replay = page.getByRole('button', { name: 'Replay delivery' });
    await replay.waitFor();
    expect(await page.locator('#event-detail [data-delivery] .status-dead').count()).to.equal(1);
    receiver.answer = () => ({ status: 200 });
    await replay.click();
    await page.locator('#event-detail [data-delivery] .status-delivered').waitFor({ timeout: 20_000 });
    expect(receiver.received).to.have.length(1);
    expect(await page.locator('#event-detail [data-delivery] td').nth(1).textContent()).to.equal('Watch order refunded');
    await shot(page, 'delivery');
    await runtime.api('DELETE', `/api/triggers/${refunds.body.id}`);
  });

  it('shows a refusing destination first in Deliveries, marks its events "1 delivery dead", and replays all its dead at once', async () => {
    const refusing = await new Receiver().start();
    try {
      receiver.answer = () => ({ status: 200 });
      refusing.answer = () => ({ status: 400, body: 'missing field' });
      const add = async (url: string) => (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url } })).body;
      const healthy = await add(receiver.url);
      const failing = await add(refusing.url);
      const before = receiver.received.length;
      const ids = [await post({ ...examplePayload('refund'), note: 'refused 1' }), await post({ ...examplePayload('refund'), note: 'refused 2' })];
      expect(receiver.received.length - before).to.equal(2);

      const page = await context.newPage();
      await signIn(page, undefined, '/#/deliveries');
      const sections = page.locator('#deliveries section[data-trigger]');
      await sections.first().waitFor();
      expect(await sections.first().getAttribute('data-trigger')).to.equal(failing.id);
      expect(await sections.first().textContent()).to.contain('HTTP 400: missing field');
      expect(await sections.first().locator('.dead-deliveries li').count()).to.equal(2);
      expect(await page.locator(`#deliveries section[data-trigger="${healthy.id}"] button`).count()).to.equal(0);
      await shot(page, 'deliveries');

      await page.goto(`${runtime.url}/#/events`);
      await page.locator('#filter-status').selectOption('dead');
      await rows(page, '#events tr', (count) => count === 2);
      expect(await page.locator('#events tr .status-dead').allTextContents()).to.deep.equal(['1 delivery dead', '1 delivery dead']);
      expect(await page.locator('#events tr').first().getAttribute('data-event')).to.equal(String(ids[1]));

      refusing.answer = () => ({ status: 200 });
      await page.goto(`${runtime.url}/#/deliveries`);
      await page.getByRole('button', { name: 'Replay all dead deliveries of Watch order refunded' }).click();
      await runtime.runtime.engine.drain();
      expect(refusing.received.map((request) => JSON.parse(request.body).order.id)).to.have.length(2);
      await page.goto(`${runtime.url}/#/deliveries`);
      await rows(page, '#deliveries .dead-deliveries li', (count) => count === 0);
      for (const trigger of [healthy, failing]) await runtime.api('DELETE', `/api/triggers/${trigger.id}`);
    } finally {
      await refusing.stop();
    }
  });

  it('shows the drift report, how to route an unknown type, and marks payload fields no mapping reads', async () => {
    const sale = examplePayload('new_simple_sale');
    sale.data.order.coupon_code = 'WINTER26';
    const withExtra = await post(sale);
    const unknown = await post({ type: 'order_sent', data: { order: { id: 'ord_drift_1' } } });
    await post({ type: 'order_sent', data: { order: { id: 'ord_drift_2' } } });
    const page = await context.newPage();
    await signIn(page, undefined, '/#/drift');
    const types = page.getByRole('region', { name: /^Unknown event types/ });
    const row = types.locator('tr[data-type="order_sent"]');
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).to.equal('2');
    expect(await row.getByRole('link').textContent()).to.match(/^event \d+$/);
    const unmapped = page.getByRole('region', { name: /^Payload fields no mapping reads/ });
    expect(await unmapped.locator('tr', { hasText: 'data.order.coupon_code' }).count()).to.equal(1);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await shot(page, 'drift', 'inspector-drift.png');

    // Replaying before the alias and a restart would route nothing: the row says what to run then instead.
    expect(await row.locator('td').last().textContent()).to.equal('plugnpaid-connector replay type order_sent');
    expect(await row.getByRole('button').count()).to.equal(0);
    expect((await runtime.api('GET', `/api/events/${unknown}`)).body.status).to.equal('unrouted');

    await page.goto(`${runtime.url}/#/events/${withExtra}`);
    const payload = eventRegion(page).getByRole('region', { name: 'Payload as received' });
    await payload.waitFor();
    const coupon = payload.locator('li.leaf', { has: page.locator('.field-label:text-is("coupon_code")') });
    await coupon.locator('.field-mark').waitFor();
    expect(await coupon.locator('.field-mark').textContent()).to.equal('no mapping reads this');
    expect(await payload.locator('li.leaf', { has: page.locator('.field-label:text-is("amount_total")') }).locator('.field-mark').count()).to.equal(0);
  });

  it('works at phone width, in one column', async () => {
    const phone = await browser.newContext({ viewport: PHONE, locale: 'en-US' });
    try {
      const page = await phone.newPage();
      const id = await post({ ...examplePayload('new_simple_sale'), note: 'phone' });
      await signIn(page, undefined, `/#/events/${id}`);
      await eventRegion(page).getByRole('heading', { name: `Event ${id}: new_simple_sale` }).waitFor();
      const list = (await page.getByRole('region', { name: 'Events' }).boundingBox())!;
      const detail = (await eventRegion(page).boundingBox())!;
      expect(detail.y).to.be.at.least(list.y + list.height);
      expect(detail.width).to.be.above(PHONE.width - 40);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      expect(overflow).to.be.at.most(0);
      await shot(page, 'phone', 'inspector-phone.png');
      expect(await seriousViolations(page)).to.deep.equal([]);
    } finally {
      await phone.close();
    }
  });

  it('shows nothing to a wrong token', async () => {
    const page = await context.newPage();
    await signIn(page, 'not-the-token');
    await page.getByText('That admin token was not accepted.').waitFor();
    expect(await page.locator('#app').isHidden()).to.equal(true);
    expect(await page.content()).to.not.contain(hook.url);
    expect(await page.locator('#events tr').count()).to.equal(0);
  });
});

mkdirSync(SHOTS, { recursive: true });
