// Browser tests of the web front end: the real morgue.cgi behind lighttpd
// (scripts/serve), driven in headless Chromium (Debian's) by playwright-core,
// and every kind of page checked by the Nu HTML Checker (vnu.jar).
//
// Run by CTest (tests/CMakeLists.txt) with MORGUE_SOURCE_DIR, MORGUE_BUILD_DIR
// and MORGUE_SCREENSHOTS set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const source = process.env.MORGUE_SOURCE_DIR;
const build = process.env.MORGUE_BUILD_DIR;
const shots = process.env.MORGUE_SCREENSHOTS ?? join(build, 'screenshots');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

let work, server, browser, base;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not come up`);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'morgue-browser-'));
  const db = join(work, 'db');
  // corpus/, and five articles of 2021 for the histogram: four months with matches, seven without.
  const harbour = join(work, 'harbour.jsonl');
  writeFileSync(harbour, [['a', '2021-01-10'], ['b', '2021-03-15'], ['c', '2021-03-20'], ['d', '2021-06-02'], ['e', '2021-11-30']]
    .map(([id, date]) => JSON.stringify({ id, date, title: `Harbour strike, day ${id}`, text: 'Dockers strike at the harbour.' }))
    .join('\n') + '\n');
  execFileSync(join(build, 'indexer', 'morgue-index'), ['--quiet', '--db', db, join(source, 'corpus'), harbour]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(join(source, 'scripts', 'serve'), ['--cgi', join(build, 'searcher', 'morgue.cgi'), '--port', String(port), '--db', db], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(`${base}/morgue.cgi`);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(work, { recursive: true, force: true });
});

test('search from the home page: results with the original words marked', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/`);
  await page.getByLabel('Search the archive').fill('Diaz-Canel');
  await page.keyboard.press('Enter');
  await page.waitForURL(/q=Diaz-Canel/);
  assert.match(await page.locator('h1.summary').innerText(), /^3 matches/);
  assert.equal(await page.locator('ol.results > li').count(), 3);
  const marks = await page.locator('ol.results mark').allInnerTexts();
  assert.ok(marks.includes('Díaz'), `marks: ${marks}`);  // the accented original, for an unaccented query
  assert.ok(marks.includes('Canel'));
  // The search box keeps the query; landmarks are there.
  assert.equal(await page.getByLabel('Search the archive').inputValue(), 'Diaz-Canel');
  assert.equal(await page.locator('main').count(), 1);
  assert.equal(await page.getByRole('search').count(), 1);
  await page.close();
});

test('a facet link adds a filter, and removing it brings the results back', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/morgue.cgi?q=trafficking`);
  assert.match(await page.locator('h1.summary').innerText(), /^5 matches/);
  await page.locator('aside .facet', { hasText: 'Sources' }).getByRole('link', { name: 'NPR' }).click();
  await page.waitForURL(/source=NPR/);
  assert.match(await page.locator('h1.summary').innerText(), /^1 match\b/);
  assert.match(await page.locator('ol.results h2').innerText(), /Cuba says it dismantled/);
  await page.getByRole('link', { name: 'Remove filter source: NPR' }).click();
  await page.waitForURL((url) => !url.search.includes('source='));
  assert.match(await page.locator('h1.summary').innerText(), /^5 matches/);
  await page.close();
});

test('a histogram bar narrows to its week, with a second click on it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/morgue.cgi?q=trafficking`);
  // September to November 2023: weeks, those of October empty slots on a true time axis.
  assert.equal(await page.locator('#hist-h').textContent(), 'Matches by week');
  assert.ok(await page.locator('svg.histogram rect.empty').count() >= 4);
  await page.screenshot({ path: join(shots, 'results.png'), fullPage: true });
  const bar = page.locator('svg.histogram a.bar').first();
  const [, count] = (await bar.getAttribute('aria-label')).match(/: (\d+) match/);
  const since = await bar.getAttribute('data-since');
  await bar.click();
  await bar.click();
  await page.waitForURL(new RegExp(`since=${since}&until=`));
  assert.match(await page.locator('h1.summary').innerText(), new RegExp(`^${count} match`));
  for (const date of await page.locator('ol.results time').allInnerTexts()) assert.match(date, /September 2023/);
  await page.screenshot({ path: join(shots, 'filtered.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the histogram: a span with empty months, each bar a link to its month', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/morgue.cgi?q=harbour`);
  assert.equal(await page.locator('#hist-h').textContent(), 'Matches by month');
  // January to November 2021: four months with matches, seven without, in the order of time.
  const bars = page.locator('svg.histogram a.bar');
  assert.deepEqual(await bars.evaluateAll((as) => as.map((a) => a.dataset.since)), ['2021-01', '2021-03', '2021-06', '2021-11']);
  assert.equal(await page.locator('svg.histogram rect.empty').count(), 7);
  assert.match(await bars.nth(1).getAttribute('href'), /since=2021-03&until=2021-03/);
  await page.screenshot({ path: join(shots, 'histogram-months.png'), fullPage: true });
  await page.close();
});

test('two clicks on the histogram select a range and narrow the search to it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/morgue.cgi?q=harbour`);
  assert.match(await page.locator('h1.summary').innerText(), /^5 matches/);
  await page.locator('svg.histogram a.bar[data-since="2021-03"]').click();
  // The first click picks the start of the range and says what comes next.
  assert.match(await page.locator('.hist-status').innerText(), /^From Mar 2021: now click the last bar/);
  assert.equal(await page.locator('svg.histogram a.picked').count(), 1);
  await page.screenshot({ path: join(shots, 'histogram-range-start.png'), fullPage: false });
  await page.locator('svg.histogram a.bar[data-since="2021-06"]').click();
  await page.waitForURL(/since=2021-03&until=2021-06/);
  assert.match(await page.locator('h1.summary').innerText(), /^3 matches/);
  for (const date of await page.locator('ol.results time').allInnerTexts()) assert.match(date, /(March|June) 2021/);
  // Fifteen March to 2 June: weeks now.
  assert.equal(await page.locator('#hist-h').textContent(), 'Matches by week');
  await page.screenshot({ path: join(shots, 'histogram-range.png'), fullPage: true });
  await page.close();
});

test('a drag from one bar to another selects the range between', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/morgue.cgi?q=harbour`);
  const from = await page.locator('svg.histogram a.bar[data-since="2021-01"] rect').boundingBox();
  const to = await page.locator('svg.histogram a.bar[data-since="2021-03"] rect').boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height - 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForURL(/since=2021-01&until=2021-03/);
  assert.match(await page.locator('h1.summary').innerText(), /^3 matches/);
  await page.close();
});

test('the keyboard narrows to one bar (Enter twice), and a month shows its days', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/morgue.cgi?q=harbour`);
  const march = page.locator('svg.histogram a.bar[data-since="2021-03"]');
  await march.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');  // forgets the first pick
  assert.equal(await page.locator('svg.histogram a.picked').count(), 0);
  await march.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.waitForURL(/since=2021-03&until=2021-03/);
  assert.match(await page.locator('h1.summary').innerText(), /^2 matches/);
  // Every day of March, the month asked for: 15 and 20 March with matches, the others empty slots.
  assert.equal(await page.locator('#hist-h').textContent(), 'Matches by day');
  const days = page.locator('svg.histogram a.bar');
  assert.deepEqual(await days.evaluateAll((as) => as.map((a) => a.getAttribute('aria-label'))),
                   ['15 Mar 2021: 1 match', '20 Mar 2021: 1 match']);
  assert.equal(await page.locator('svg.histogram rect.empty').count(), 31 - 2);
  await page.screenshot({ path: join(shots, 'histogram-days.png'), fullPage: true });
  // Without the script, a bar is a plain link: one click narrows to its day.
  const plain = await browser.newPage({ javaScriptEnabled: false });
  await plain.goto(page.url());
  await plain.locator('svg.histogram a.bar').first().click();
  await plain.waitForURL(/since=2021-03-15&until=2021-03-15/);
  assert.match(await plain.locator('h1.summary').innerText(), /^1 match\b/);
  await plain.close();
  await page.close();
});

test('stories collapse, and an article opens with the query marked', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/morgue.cgi?q=trafficking&collapse=1`);
  assert.match(await page.locator('h1.summary').innerText(), /\bstor(y|ies)\b/);
  await page.locator('details.versions summary').first().click();
  assert.ok(await page.locator('details.versions li a').count() >= 3);
  await page.goto(`${base}/morgue.cgi?q=Rodriguez`);
  await page.locator('ol.results h2 a').first().click();
  await page.waitForURL(/doc=[0-9a-z]{13}&/);
  assert.ok((await page.locator('article.full mark').allInnerTexts()).includes('Rodríguez'));
  await page.screenshot({ path: join(shots, 'article.png'), fullPage: true });
  await page.close();
});

test('a story page: its versions on a timeline, reached from the collapsed results', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/morgue.cgi?q=trafficking&collapse=1`);
  await page.getByRole('link', { name: /5 versions — see the story/ }).click();
  await page.waitForURL(/story=[0-9a-f]{16}$/);
  assert.equal(await page.locator('ol.timeline > li').count(), 5);
  assert.match(await page.locator('ol.timeline > li').first().innerText(), /The earliest version/);
  assert.match(await page.locator('ol.timeline > li').nth(1).innerText(), /Shares \d+% of its text/);
  await page.screenshot({ path: join(shots, 'story.png'), fullPage: true });
  await page.close();
});

test('the CSV download holds every match', async () => {
  const page = await browser.newPage({ acceptDownloads: true });
  await page.goto(`${base}/morgue.cgi?q=trafficking`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download all matches (CSV)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'morgue-export.csv');
  const file = join(work, 'export.csv');
  await download.saveAs(file);
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);  // the byte-order mark spreadsheets look for
  const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
  assert.equal(lines[0], 'rank,id,date,source,byline,title,url,lang,score,path');
  assert.equal(lines.length, 1 + 5);  // the header and the five matches
  await page.close();
});

test('on a phone the results come before the facets, and headline matches are marked', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${base}/morgue.cgi?q=trafficking`);
  const results = await page.locator('ol.results').boundingBox();
  const facets = await page.locator('aside.refine').boundingBox();
  assert.ok(results.y < facets.y, `results at ${results.y}, facets at ${facets.y}`);
  assert.ok((await page.locator('ol.results h2 mark').allInnerTexts()).includes('trafficking'));
  await page.screenshot({ path: join(shots, 'phone.png'), fullPage: false });
  await page.close();
});

test('the advanced search form narrows by date and orders the results', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/morgue.cgi?q=trafficking`);
  await page.locator('details.advanced summary').click();
  await page.getByLabel('From').fill('2023-09');
  await page.getByLabel('to', { exact: true }).fill('2023-09');
  await page.getByLabel('Order').selectOption('date');
  await page.screenshot({ path: join(shots, 'advanced.png'), fullPage: false });
  await page.getByLabel('Search the archive').press('Enter');
  await page.waitForURL(/since=2023-09&until=2023-09&.*sort=date/);
  assert.match(await page.locator('h1.summary').innerText(), /^2 matches/);
  for (const date of await page.locator('ol.results time').allInnerTexts()) assert.match(date, /September 2023/);
  // The form stays open with what is in force.
  assert.equal(await page.getByLabel('From').inputValue(), '2023-09');
  await page.close();
});

test('"About this archive", linked from every page: its facts in tables, each year a link to its search', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/morgue.cgi?q=trafficking`);
  await page.getByRole('contentinfo').getByRole('link', { name: 'About this archive' }).click();
  await page.waitForURL(/about=1$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'About this archive');
  for (const name of ['The index', 'The last indexing run', 'Articles per year', 'Articles per source', 'Articles per language']) {
    assert.equal(await page.getByRole('heading', { level: 2, name }).count(), 1, name);
  }
  const fact = (name) => page.locator('table.facts tr', { has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) }).locator('td').innerText();
  const articles = await fact('Articles');
  assert.match(articles, /^\d+$/);
  assert.equal(await fact('Articles added'), articles);  // one run from scratch added them all
  await page.screenshot({ path: join(shots, 'about.png'), fullPage: true });
  const year = page.locator('section[aria-labelledby="about-years"] tbody tr').first();
  const [label, count] = await year.locator('td').allInnerTexts();
  await year.getByRole('link').click();
  await page.waitForURL(new RegExp(`since=${label}&until=${label}`));
  assert.match(await page.locator('h1.summary').innerText(), new RegExp(`^${count} match`));
  await page.close();
});

test('an XSS payload in q is shown as text and never runs', async () => {
  const page = await browser.newPage();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  const payload = '<script>window.__xss=1;alert(1)</script><img src=x onerror="window.__xss=2">"\'><svg onload=alert(3)>';
  const response = await page.goto(`${base}/morgue.cgi?q=${encodeURIComponent(payload)}`);
  assert.match(response.headers()['content-security-policy'], /default-src 'none'/);
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(dialogs, 0);
  assert.equal(await page.locator('script').count(), 0);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.getByLabel('Search the archive').inputValue(), payload);
  assert.ok((await page.locator('main').innerText()).includes('<script>window.__xss=1;'));
  await page.close();
});

test('keyboard: the skip link and the search form work without a mouse', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/morgue.cgi?q=cuba`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.match(page.url(), /#main$/);
  await page.close();
});

test('every kind of page is valid HTML5 (Nu HTML Checker)', async () => {
  const found = await (await fetch(`${base}/morgue.cgi?q=Diaz-Canel&format=json`)).json();
  const id = found.results[0].id;
  const pages = {
    home: '/morgue.cgi',
    results: '/morgue.cgi?q=trafficking',
    months: '/morgue.cgi?q=harbour',
    days: '/morgue.cgi?q=harbour&since=2021-03&until=2021-03',
    collapsed: '/morgue.cgi?q=trafficking&collapse=1&sort=date',
    filtered: '/morgue.cgi?q=cuba&source=BBC&since=2023-09&until=2023-09',
    empty: '/morgue.cgi?q=zebra',
    suggestion: '/morgue.cgi?q=trafficing',
    like: `/morgue.cgi?like=${id}`,
    article: `/morgue.cgi?doc=${id}&q=Diaz-Canel`,
    story: `/morgue.cgi?story=${found.results[0].story}`,
    about: '/morgue.cgi?about=1',
    languages: '/morgue.cgi?q=cuba&lang=en&size=2&page=2',
    missing: '/morgue.cgi?doc=0000000000000',
    syntax: '/morgue.cgi?q=%28cuba',
    xss: `/morgue.cgi?q=${encodeURIComponent('<script>alert(1)</script>')}`,
  };
  const files = [];
  for (const [name, path] of Object.entries(pages)) {
    const r = await fetch(base + path);
    assert.match(r.headers.get('content-type'), /text\/html/, name);
    const file = join(work, `${name}.html`);
    writeFileSync(file, await r.text());
    files.push(file);
  }
  const vnu = join(source, 'tests', 'browser', 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  try {
    execFileSync('java', ['-jar', vnu, '--errors-only', ...files], { stdio: 'pipe' });
  } catch (e) {
    assert.fail(`vnu found errors:\n${e.stderr}`);
  }
});
