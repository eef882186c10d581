/**
 * The console in a real browser: Debian's Chromium driven by playwright-core against the server listening
 * on 127.0.0.1. Without Chromium these tests fail (.ci/run installs it). Screenshots of each page are
 * written to test-artifacts/console/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SYSTEM } from '../../src/server';
import { ADMIN, IDS, indicator, TAXII, type TestServer } from '../helpers/server';
import { amber, green, PASSWORD, seed, startConsoleServer } from './helpers';

jest.setTimeout(120_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'console');
const HOSTILE = '<img src=x onerror=alert(1)>';

let s: TestServer;
let browser: Browser;
const dialogs: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}; install Debian's chromium package (.ci/run does).`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  s = await startConsoleServer();
  await seed(s, 'private-feed', [amber(1), green(2), indicator(3, { name: HOSTILE, description: '<script>alert(2)</script>' }), relationshipFrom(2, 3)]);
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

function relationshipFrom(a: number, b: number): Record<string, unknown> {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: 'relationship--00000000-0000-4000-8000-0000000000aa',
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    relationship_type: 'related-to',
    source_ref: indicator(a).id,
    target_ref: indicator(b).id,
    object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
  };
}

async function signedIn(user: string, password = PASSWORD): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${s.url}/console/`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/console/collections/');
  return { context, page };
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('the console in Chromium', () => {
  test('When a curator uploads a bundle with a broken object, fixes it and submits, and a second curator approves, Then an anonymous TAXII poll returns the object', async () => {
    const good = indicator(501, { name: 'Lazarus wallet drainer C2' });
    const broken = indicator(502, { name: 'TraderTraitor staging host', pattern: "[ipv4-addr:value = '10.0.0.1'" });
    const { context, page } = await signedIn('erin');
    await shot(page, 'collections');
    await page.getByRole('row', { name: /Inbox/ }).getByRole('link', { name: 'Upload a bundle' }).click();
    await page.locator('#bundle').fill(JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects: [good, broken] }, null, 2));
    await page.getByRole('button', { name: 'Check only' }).click();
    await see(page.locator('#verdicts')).toContainText('1 valid, 1 rejected; nothing stored');
    await see(page.locator('tr.rejected')).toContainText(broken.id as string);
    await see(page.locator('tr.rejected')).toContainText('pattern');
    await shot(page, 'upload-with-error');
    expect((await s.rt.services.review.list(SYSTEM, 'api1', { inbox: 'inbox' })).items).toEqual([]);
    // The text area keeps the bundle: fix the pattern there and submit again.
    const text = await page.locator('#bundle').inputValue();
    await page.locator('#bundle').fill(text.replace("'10.0.0.1'\"", "'10.0.0.1']\""));
    await page.getByRole('button', { name: 'Validate and submit' }).click();
    await see(page.locator('#verdicts')).toContainText('2 accepted, 0 rejected');
    expect((await s.rt.services.review.list(SYSTEM, 'api1', { inbox: 'inbox' })).items.map((x) => x.stixId).sort()).toEqual([good.id, broken.id].sort());
    await shot(page, 'upload-fixed');
    await context.close();

    const bob = await signedIn('bob');
    await bob.page.getByRole('link', { name: 'Review', exact: true }).click();
    await see(bob.page.locator('table.submissions')).toContainText(broken.id as string);
    await shot(bob.page, 'review-queue');
    await bob.page.getByRole('link', { name: broken.id as string }).click();
    await shot(bob.page, 'review-submission');
    await bob.page.getByRole('button', { name: 'Approve' }).click();
    await see(bob.page.locator('p.ok')).toHaveText('Approved and published.');
    await see(bob.page.locator('dd.state')).toHaveText('approved');
    await bob.context.close();

    const poll = await fetch(`${s.url}/api1/collections/public-feed/objects/?match[id]=${broken.id}`, { headers: { Accept: TAXII } });
    expect(poll.status).toBe(200);
    const body = (await poll.json()) as { objects: Array<{ id: string; pattern: string }> };
    expect(body.objects.map((o) => [o.id, o.pattern])).toEqual([[broken.id, "[ipv4-addr:value = '10.0.0.1']"]]);
  });

  test('When the submitter tries to approve its own submission with four eyes on, Then the page says why and nothing is published', async () => {
    const own = indicator(601);
    const { context, page } = await signedIn('erin');
    await page.goto(`${s.url}/console/collections/api1/${IDS.writable}/upload`);
    await page.locator('#bundle').fill(JSON.stringify({ objects: [own] }));
    await page.getByRole('button', { name: 'Validate and submit' }).click();
    await see(page.locator('#verdicts')).toContainText('1 accepted');
    await page.getByRole('link', { name: 'review queue' }).click();
    await page.getByRole('link', { name: own.id as string }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await see(page.locator('p.error')).toContainText(/own submission|four/i);
    await shot(page, 'review-four-eyes');
    await context.close();
  });

  test('When an object is named with markup, Then its pages show the name as text and run nothing; its relationship links in both directions', async () => {
    const { context, page } = await signedIn('bob');
    await page.getByRole('link', { name: 'Private feed' }).click();
    await see(page.locator('table.objects').getByRole('link', { name: HOSTILE })).toBeVisible();
    await shot(page, 'objects');
    await page.locator('table.objects').getByRole('link', { name: HOSTILE }).click();
    await see(page.locator('h1')).toHaveText(HOSTILE);
    await see(page.locator('img')).toHaveCount(0);
    await see(page.locator('ul.refs-in')).toContainText('related-to');
    await shot(page, 'object');
    await page.locator('ul.refs-in a').first().click();
    await see(page.locator('ul.refs-out')).toContainText(indicator(3).id as string);
    await page.locator('ul.refs-out a', { hasText: indicator(3).id as string }).click();
    await see(page.locator('h1')).toHaveText(HOSTILE);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  test('When an administrator sets up a partner at TLP:GREEN with a grant and a token, Then the partner, signed in, sees no amber object anywhere', async () => {
    const admin = await signedIn(ADMIN.user, ADMIN.password);
    await admin.page.getByRole('link', { name: 'Partners' }).click();
    const userForm = admin.page.locator('form', { has: admin.page.getByRole('button', { name: 'Create user' }) });
    await userForm.getByLabel('User name').fill('partner-bank');
    await userForm.getByLabel('Password').fill('partner-password-1');
    await userForm.getByLabel('Clearance').selectOption('green');
    await admin.page.getByRole('button', { name: 'Create user' }).click();
    await see(admin.page.locator('p.ok')).toHaveText('User created.');
    await admin.page.getByLabel('Collection').selectOption(IDS.private);
    await admin.page.getByLabel('Right').selectOption('read');
    await admin.page.getByRole('button', { name: 'Grant' }).click();
    await see(admin.page.locator('table.grants')).toContainText('Private feed');
    await shot(admin.page, 'admin-user');
    await admin.page.getByRole('link', { name: '← Partners' }).click();
    await admin.page.locator('form', { has: admin.page.getByRole('button', { name: 'Create token' }) }).getByLabel('Name').fill('partner-bank-siem');
    await admin.page.locator('form', { has: admin.page.getByRole('button', { name: 'Create token' }) }).getByLabel('Acts as user').selectOption('partner-bank');
    await admin.page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await admin.page.locator('#token-secret').innerText()).trim();
    expect(secret).toMatch(/^taxii_/);
    await shot(admin.page, 'admin-token-once');
    await admin.page.reload();
    await see(admin.page.locator('table.tokens')).toContainText('partner-bank-siem');
    expect(await admin.page.content()).not.toContain(secret);
    await admin.context.close();

    // The token works for TAXII, with the partner's clearance.
    const viaToken = await fetch(`${s.url}/api1/collections/private-feed/objects/`, { headers: { Accept: TAXII, Authorization: `Bearer ${secret}` } });
    expect(((await viaToken.json()) as { objects: Array<{ id: string }> }).objects.map((o) => o.id)).not.toContain(amber(1).id);

    const { context, page } = await signedIn('partner-bank', 'partner-password-1');
    await see(page.locator('main')).not.toContainText('Inbox');
    await page.getByRole('link', { name: 'Private feed' }).click();
    await see(page.locator('table.objects')).toContainText('green indicator 2');
    await see(page.locator('main')).not.toContainText('amber indicator');
    await shot(page, 'partner-objects');
    await page.locator('table.objects').getByRole('link', { name: 'green indicator 2' }).click();
    await see(page.locator('main')).not.toContainText('amber');
    const direct = await page.goto(`${s.url}/console/collections/api1/${IDS.private}/objects/${amber(1).id}`);
    expect(direct?.status()).toBe(404);
    await see(page.locator('main')).not.toContainText('amber indicator');
    // The review page names no inbox the partner has no right on (not even by a 404 naming its collection).
    await page.goto(`${s.url}/console/review/api1/`);
    await see(page.locator('main')).toContainText('No review inbox that you may see');
    expect((await page.goto(`${s.url}/console/admin/`))?.status()).toBe(403);
    await context.close();
  });

  test('When a form is posted without the CSRF token, Then it is refused and nothing is stored', async () => {
    const { context } = await signedIn('erin');
    const r = await context.request.post(`${s.url}/console/collections/api1/${IDS.writable}/upload`, { form: { bundle: JSON.stringify({ objects: [indicator(701)] }) } });
    expect(r.status()).toBe(403);
    await context.close();
    const list = await s.rt.services.review.list(SYSTEM, 'api1', { inbox: 'inbox' });
    expect(list.items.some((x) => x.stixId === indicator(701).id)).toBe(false);
  });
});

// playwright-core has no test runner; a small web-first assertion that retries like @playwright/test's.
type Loc = import('playwright-core').Locator;
function see(loc: Loc) {
  const retry = async (check: () => Promise<boolean>, what: () => Promise<string>) => {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(await what());
  };
  const text = () => loc.innerText().catch(() => '<missing>');
  return {
    toContainText: (t: string | RegExp) => retry(async () => (typeof t === 'string' ? (await text()).includes(t) : t.test(await text())), async () => `expected "${String(t)}" in: ${(await text()).slice(0, 500)}`),
    toHaveText: (t: string) => retry(async () => (await text()).trim() === t, async () => `expected text "${t}", got "${(await text()).slice(0, 300)}"`),
    toHaveCount: (n: number) => retry(async () => (await loc.count()) === n, async () => `expected ${n} elements, got ${await loc.count()}`),
    toBeVisible: () => retry(() => loc.isVisible(), async () => 'expected a visible element'),
    not: {
      toContainText: (t: string) => retry(async () => !(await text()).includes(t), async () => `did not expect "${t}" in: ${(await text()).slice(0, 500)}`),
    },
  };
}
