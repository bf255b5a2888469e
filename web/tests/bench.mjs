// Speed of the page over a large store, in headless Chromium: the first
// view (navigation to map, timeline and list drawn) and filter changes
// (the page's own time from the change to the map and list redrawn).
// Run by scripts/bench-serve.sh, which builds the store and starts the server:
//   WARCODER_URL=http://127.0.0.1:PORT/ node bench.mjs
import { chromium } from 'playwright-core';

const base = process.env.WARCODER_URL;
const runs = Number(process.env.RUNS || 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = await (await fetch(new URL('api/stats', base))).json();
console.log(`store: ${stats.incidents} incidents, ${stats.documents} documents`);

const firstViews = [];
let page;
for (let i = 0; i < runs; i++) {
  if (page) await page.close();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const t0 = Date.now();
  await page.goto(base);
  await page.waitForFunction(() => Number(document.body.dataset.ready || 0) >= 1 && window.warcoder.firstViewMs, null, { timeout: 30000 });
  firstViews.push(Date.now() - t0);
}
console.log(`first view (navigation to map, timeline, list and basemap drawn): median ${median(firstViews)} ms of ${runs} [${firstViews.join(', ')}]`);

async function change(label, act) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const n = await page.evaluate(() => Number(document.body.dataset.ready));
    await act(i);
    await page.waitForFunction((n) => Number(document.body.dataset.ready) > n, n, { timeout: 30000 });
    times.push(await page.evaluate(() => window.warcoder.lastRefreshMs));
  }
  console.log(`filter change, ${label}: median ${median(times).toFixed(0)} ms of ${runs} [${times.map((t) => t.toFixed(0)).join(', ')}]`);
}
const country = stats.countries[0][0];
const type = stats.event_types[0][0];
const submit = async (fill) => {
  await page.evaluate((fill) => {
    const f = document.querySelector('#filters');
    f.reset();
    for (const [k, v] of Object.entries(fill)) f.elements[k].value = v;
    f.requestSubmit();
  }, fill);
};
await change(`country ${country}`, () => submit({ country }));
await change(`type ${type}`, () => submit({ type }));
await change('free text "police"', () => submit({ q: 'police' }));
await change('all (reset)', () => submit({}));
const last = stats.date_range.last;
await change('timeline brush (one year)', (i) => page.evaluate(([last, i]) => {
  const y = Number(last.slice(0, 4)) - 1 - i;
  window.warcoder.setBrush({ from: `${y}-01-01`, to: `${y}-12-31` });
}, [last, i]));
await browser.close();
