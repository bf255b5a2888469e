// Browser tests of the warcoder page in real headless Chromium (Debian's
// `chromium`, driven by playwright-core with executablePath: no browser is
// downloaded). The server is started by the Rust test that runs this file
// (crates/server/tests/browser.rs), which passes:
//   WARCODER_URL   the server's address, e.g. http://127.0.0.1:41234/
//   WARCODER_TOKEN its write token
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   ARTIFACTS      where screenshots go (default ./artifacts)
// Prints one line per test and "N passed, N failed"; exits 1 on a failure.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';

const base = process.env.WARCODER_URL;
const token = process.env.WARCODER_TOKEN;
const artifacts = process.env.ARTIFACTS || 'artifacts';
mkdirSync(artifacts, { recursive: true });

const api = async (path) => (await fetch(new URL(path, base))).json();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const offsite = [];
page.on('request', (r) => { if (!r.url().startsWith(base)) offsite.push(r.url()); });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));

/** Wait until the page has finished more refreshes than `after`. */
async function refreshed(after) {
  await page.waitForFunction((n) => Number(document.body.dataset.ready || 0) > n, after, { timeout: 15000 });
}
const refreshes = () => page.evaluate(() => Number(document.body.dataset.ready || 0));

const tests = [];
const test = (name, f) => tests.push({ name, f });

test('the page loads the store with nothing from elsewhere', async () => {
  const t0 = Date.now();
  await page.goto(new URL(`#token=${token}`, base).toString());
  await refreshed(0);
  await page.waitForSelector('#map path.wc-event');
  console.log(`  first view in ${Date.now() - t0} ms`);
  await page.screenshot({ path: `${artifacts}/01-first-view.png` });
  const stats = await api('api/stats');
  assert.ok(stats.incidents > 0, 'the demo store has incidents');
  assert.deepEqual(offsite, []);
  assert.deepEqual(errors, []);
});

test('the map shows as many circles as the API returns', async () => {
  const view = await api('api/map?cell=1');
  const circles = await page.locator('path.wc-event').count();
  assert.equal(circles, view.points.length);
  assert.ok(circles > 0);
});

test('brushing the timeline filters the list and the map', async () => {
  const before = await api('api/events');
  const days = (await api('api/timeline')).days;
  assert.ok(days.length >= 2, 'the demo spans several days');
  const over = await page.locator('#timeline .u-over').boundingBox();
  const n = await refreshes();
  await page.mouse.move(over.x + 2, over.y + over.height / 2);
  await page.mouse.down();
  await page.mouse.move(over.x + over.width * 0.5, over.y + over.height / 2, { steps: 8 });
  await page.mouse.up();
  await refreshed(n);
  await page.screenshot({ path: `${artifacts}/02-brushed.png` });
  const brush = await page.evaluate(() => window.warcoder.state.brush);
  assert.ok(brush, 'a brush is set');
  const after = await api(`api/events?from=${brush.from}&to=${brush.to}`);
  assert.ok(after.total < before.total, `the brush narrows ${before.total} to ${after.total}`);
  const items = await page.locator('#list li').count();
  assert.equal(items, Math.min(after.total, 50));
  const view = await api(`api/map?from=${brush.from}&to=${brush.to}`);
  assert.equal(await page.locator('path.wc-event').count(), view.points.length);
  const n2 = await refreshes();
  await page.click('#clear-brush');
  await refreshed(n2);
  assert.equal(await page.locator('#list li').count(), Math.min(before.total, 50));
});

test('an event opens with its spans highlighted', async () => {
  await page.click('#list li:first-child');
  await page.waitForSelector('#panel .article mark');
  await page.screenshot({ path: `${artifacts}/03-panel.png`, fullPage: true });
  const ev = await page.evaluate(() => window.warcoder.evidence);
  let checked = 0;
  for (const [i, r] of ev.reports.entries()) {
    const article = page.locator(`#panel .article[data-report="${i}"]`);
    if (r.event.location) {
      // A place mark is drawn unless an earlier mark covers its words.
      for (const p of await article.locator('mark[data-field="place"]').allTextContents()) {
        assert.equal(p, r.event.location.mention);
        checked++;
      }
    }
    const actors = await article.locator('mark[data-field="actor"]').allTextContents();
    const mentions = r.event.actors.map((a) => a.mention);
    for (const a of actors) { assert.ok(mentions.includes(a), `${a} is an actor's mention`); checked++; }
  }
  assert.ok(checked > 0, 'some field is highlighted');
  const estimates = (ev.incident.fatalities?.estimates || []).length + (ev.incident.injured?.estimates || []).length;
  assert.equal(await page.locator('#panel tr.estimate').count(), estimates);
});

test('a correction round-trips: saved, shown, exported', async () => {
  const id = await page.evaluate(() => window.warcoder.evidence.incident.id);
  await page.selectOption('#correct select[name=field]', 'fatalities');
  await page.fill('#correct input[name=low]', '40');
  await page.fill('#correct input[name=best]', '41');
  await page.fill('#correct input[name=high]', '42');
  await page.fill('#correct input[name=note]', 'e2e: hospital list');
  await page.click('#correct button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#correct-status')?.textContent === 'saved', null, { timeout: 15000 });
  await page.screenshot({ path: `${artifacts}/04-corrected.png`, fullPage: true });
  const shown = await page.locator('#panel table.fields').innerText();
  assert.match(shown, /best 41/);
  assert.ok(await page.locator('#panel li.correction').count() >= 1);
  const exported = await (await fetch(new URL('api/export.jsonl', base))).text();
  const rec = exported.trim().split('\n').map((l) => JSON.parse(l)).find((r) => r.id === id);
  assert.equal(rec.fatalities.best, 41);
  assert.equal(rec.corrections.at(-1).note, 'e2e: hospital list');
});

let passed = 0;
let failed = 0;
for (const t of tests) {
  try {
    await t.f();
    passed++;
    console.log(`ok - ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${t.name}\n  ${String(e.stack || e).split('\n').slice(0, 4).join('\n  ')}`);
    if (errors.length) console.log(`  page errors: ${errors.join(' | ')}`);
    await page.screenshot({ path: `${artifacts}/failed-${passed + failed}.png` }).catch(() => {});
  }
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
