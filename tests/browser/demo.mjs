// The demo's HTML report in Chromium, against its JSON twin from the same run:
//   node demo.mjs REPORT.html REPORT.json SCREENSHOT_DIR
// The counts and findings a user sees, the filters and search used through the page's own
// controls, a permalink, the side-by-side diff, the copy button, and screenshots for the README.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  articles, expectedCounts, expectedFindings, launch, readJson, run, tally, waitShown, withPage,
} from './lib.mjs';

const [html, json, shots] = process.argv.slice(2);
const report = readJson(json);
const findings = expectedFindings(report).filter((f) => f.status !== 'in_sync');

async function countsAndArticles(page) {
  const counts = await page.$$eval('#counts tr[data-count]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.count, r.querySelector('td').textContent.trim()])));
  const want = expectedCounts(report);
  for (const [name, n] of Object.entries(want)) {
    assert.equal(counts[name], String(n), `#counts row ${name}: page says ${counts[name]}, JSON ${n}`);
  }
  const seen = await articles(page);
  assert.equal(seen.length, findings.length, 'one article per finding');
  assert.deepEqual(tally(seen, 'status'), tally(findings, 'status'), 'articles per status');
  assert.deepEqual(tally(seen, 'kind'), tally(findings, 'kind'), 'articles per kind');
  assert.ok(seen.every((a) => a.visible), 'every finding is shown before any filter');
  assert.equal(new Set(seen.map((a) => a.id)).size, seen.length, 'no two findings share a permalink');
  // Each article's permalink is its own anchor, and its badge says its status in words.
  const own = await page.$$eval('article.finding', (list) => list.filter((a) => {
    const link = a.querySelector(`h3 a[href="#${CSS.escape(a.id)}"]`);
    return link && link.textContent.trim();
  }).length);
  assert.equal(own, seen.length, 'every article links to itself');
  const badges = await page.$$eval('article.finding', (list) => list.map((a) =>
    [a.dataset.status, a.querySelector('.badge')?.textContent.trim().toLowerCase() || '']));
  for (const [status, text] of badges) {
    assert.ok(text.includes(status), `a ${status} finding's badge says ${JSON.stringify(text)}`);
  }
  // The order the console reads: broken, modified, missing, unmanaged, then warnings.
  const order = ['broken', 'modified', 'missing', 'unmanaged', 'warning'];
  const ranks = seen.map((a) => order.indexOf(a.status));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'articles in console order');
  const coverage = await page.$$eval('#coverage tr[data-kind]', (rows) => rows.map((r) =>
    [r.dataset.kind, +r.dataset.in_sync, +r.dataset.modified, +r.dataset.missing, +r.dataset.unmanaged]));
  const all = expectedFindings(report).filter((f) => !f.check);
  for (const [kind, ...n] of coverage) {
    const of = (s) => all.filter((f) => f.kind === kind && f.status === s).length;
    assert.deepEqual(n, ['in_sync', 'modified', 'missing', 'unmanaged'].map(of), `coverage of ${kind}`);
  }
  assert.equal(coverage.length, new Set(all.map((f) => f.kind)).size, 'one coverage row per kind');
}

// What is shown after a filter: exactly the articles `pred` keeps, and #shown says so.
async function expectShown(page, pred, what) {
  const want = findings.filter(pred).length;
  await waitShown(page, want, what);
  const seen = await articles(page);
  const visible = seen.filter((a) => a.visible);
  assert.equal(visible.length, want, `${what}: articles visible`);
  assert.ok(visible.every(pred), `${what}: a visible article does not match`);
  const out = await page.$eval('#shown', (o) => [o.textContent, o.dataset.total]);
  assert.equal(out[1], String(findings.length), `${what}: data-total`);
  assert.match(out[0], new RegExp(`\\b${want} of ${findings.length} shown`), `${what}: #shown text`);
  return visible;
}

async function filters(page) {
  assert.ok(await page.isVisible('#filters'), 'the filter form is shown with scripts on');
  const options = (id) => page.$$eval(`#${id} option`, (o) => o.map((x) => x.value).filter(Boolean).sort());
  assert.deepEqual(await options('f-kind'), Object.keys(tally(findings, 'kind')).sort(), '#f-kind options');
  assert.deepEqual(await options('f-status'), ['broken', 'missing', 'modified', 'unmanaged', 'warning']);
  const checks = Object.keys(tally(findings.filter((f) => f.check), 'check')).sort();
  if (checks.length) assert.deepEqual(await options('f-check'), checks, '#f-check options');

  // A kind chosen with the keyboard: focus the select, arrow down to it.
  const kinds = tally(findings, 'kind');
  const kind = Object.keys(kinds).sort((a, b) => kinds[b] - kinds[a])[0];
  await page.focus('#f-kind');
  for (let i = 0; i < 40 && (await page.inputValue('#f-kind')) !== kind; i++) {
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await page.inputValue('#f-kind'), kind, 'arrow keys reach the kind');
  await expectShown(page, (f) => f.kind === kind, `kind ${kind}`);

  await page.selectOption('#f-status', 'modified');
  await expectShown(page, (f) => f.kind === kind && f.status === 'modified', `${kind} and modified`);
  await page.selectOption('#f-kind', '');
  await expectShown(page, (f) => f.status === 'modified', 'modified');
  await page.selectOption('#f-status', 'unmanaged');
  await expectShown(page, (f) => f.status === 'unmanaged', 'unmanaged');
  await page.selectOption('#f-status', 'broken');
  await expectShown(page, (f) => f.status === 'broken', 'broken');
  await page.selectOption('#f-status', '');
  if (checks.length) {
    await page.click('#f-check');
    await page.selectOption('#f-check', checks[0]);
    await expectShown(page, (f) => f.check === checks[0], `check ${checks[0]}`);
    await page.selectOption('#f-check', '');
  }
  await expectShown(page, () => true, 'no filter');

  // The search box, typed into: case-insensitive, over the finding's text.
  const unmanaged = findings.find((f) => f.status === 'unmanaged');
  if (unmanaged) {
    await page.click('#f-text');
    await page.keyboard.type(unmanaged.id.toUpperCase());
    const hits = await expectShown(page, (f) => f.id === unmanaged.id || (f.text || '').includes(unmanaged.id),
      `search ${unmanaged.id.toUpperCase()}`);
    assert.ok(hits.some((a) => a.status === 'unmanaged' && a.text.includes(unmanaged.id)));
    await page.fill('#f-text', '');
  }
  await page.click('#f-text');
  await page.keyboard.type('ENABLE_sqs');
  await page.waitForFunction(() => document.getElementById('shown').dataset.shown !== document.getElementById('shown').dataset.total);
  const seen = await articles(page);
  for (const a of seen) {
    assert.equal(a.visible, a.text.toLowerCase().includes('enable_sqs'), `search enable_sqs: ${a.id}`);
  }
  assert.ok(seen.some((a) => a.visible), 'the demo changes ENABLE_SQS');
  await page.fill('#f-text', 'no-such-text-anywhere-4f1');
  await waitShown(page, 0, 'a search that matches nothing');
}

// A filtered view is a link: the filters are in the address's query, and a page opened with
// them shows what they keep (values no list offers are ignored).
async function sharedFilters(page) {
  await page.selectOption('#f-status', 'modified');
  await expectShown(page, (f) => f.status === 'modified', 'modified');
  const query = new URL(page.url()).searchParams;
  assert.equal(query.get('status'), 'modified', `the address says the filter: ${page.url()}`);
  await page.fill('#f-text', 'ENABLE_sqs');
  await page.waitForFunction(() => new URL(window.location.href).searchParams.get('q') === 'enable_sqs');
}

async function openedFiltered(page) {
  assert.equal(await page.inputValue('#f-status'), 'modified');
  const kinds = tally(findings.filter((f) => f.status === 'modified'), 'kind');
  const kind = Object.keys(kinds).sort()[0];
  assert.equal(await page.inputValue('#f-kind'), kind);
  await expectShown(page, (f) => f.status === 'modified' && f.kind === kind, 'opened with ?status&kind');
}

async function permalink(page) {
  const seen = await articles(page);
  const target = seen[seen.length - 1];
  const at = await page.evaluate(() => ({
    target: document.querySelector(':target')?.id, top: document.querySelector(':target')?.getBoundingClientRect().top,
    height: window.innerHeight, scrolled: window.scrollY,
  }));
  assert.equal(at.target, target.id, 'the permalink targets its article');
  assert.ok(at.top >= -1 && at.top < at.height, `the permalinked article is in view (top ${at.top})`);
  assert.ok(at.scrolled > 0, 'the page scrolled to the permalinked article');
}

async function sideBySide(page) {
  const details = page.locator('details.diff').first();
  assert.ok(await details.count(), 'the demo has a diff');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  const button = details.locator('button.sbs');
  await button.waitFor({ state: 'visible', timeout: 5000 });
  const lines = await details.locator('pre.udiff > span').evaluateAll((ls) => ls.map((l) => [l.className, l.textContent.replace(/\n$/, '')]));
  assert.ok(lines.some(([cls]) => cls === 'del') && lines.some(([cls]) => cls === 'add'),
    `the first diff has removed and added lines: ${JSON.stringify(lines)}`);
  // One diff line a row: no blank row between two lines.
  const gaps = await details.locator('pre.udiff > span').evaluateAll((ls) => ls.slice(1).map((l, i) =>
    l.getBoundingClientRect().top - ls[i].getBoundingClientRect().bottom));
  assert.equal(gaps.length, lines.length - 1);
  assert.ok(gaps.every((g) => g < 2), `gaps between diff lines: ${gaps.map(Math.round)} px`);
  await button.click();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  const table = details.locator('table.sbs-view');
  assert.ok(await table.isVisible(), 'the side-by-side table is shown');
  assert.ok(!(await details.locator('pre.udiff').isVisible()), 'the unified diff is hidden');
  const cells = await table.evaluate((t) => Array.from(t.tBodies[0].rows, (r) => [r.cells[0].textContent, r.cells[1].textContent]));
  const left = new Set(cells.map((c) => c[0]));
  const right = new Set(cells.map((c) => c[1]));
  for (const [cls, text] of lines) {
    if (/\bdel\b/.test(cls)) assert.ok(left.has(text.slice(1)), `removed line on the left: ${text}`);
    if (/\badd\b/.test(cls)) assert.ok(right.has(text.slice(1)), `added line on the right: ${text}`);
  }
  await button.click();
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  assert.ok(await details.locator('pre.udiff').isVisible(), 'unified again');
}

async function copy(page) {
  const button = page.locator('button.copy').first();
  if (!(await button.count())) return;
  const block = await page.locator('article.finding:has(button.copy) pre.import').first().textContent();
  assert.match(block, /import \{/, 'the import block');
  await button.click();
  await page.waitForFunction(() => document.querySelector('button.copy').textContent.trim() === 'Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied.trim(), block.trim(), 'the clipboard holds the import block');
}

// The top of the page, then the findings filtered to what changed (a diff in view).
async function screenshots(page) {
  await page.screenshot({ path: join(shots, 'html-report.png') });
  await page.selectOption('#f-status', 'modified');
  await expectShown(page, (f) => f.status === 'modified', 'modified, for the screenshot');
  await page.evaluate(() => document.getElementById('findings').scrollIntoView());
  await page.screenshot({ path: join(shots, 'html-report-findings.png') });
  await page.selectOption('#f-status', '');
  await page.evaluate(() => window.scrollTo(0, 0));
}

run(async () => {
  const browser = await launch();
  try {
    await withPage(browser, html, {}, async (page) => {
      await countsAndArticles(page);
      await screenshots(page);
      await filters(page);
    });
    const last = (await (async () => {
      let id;
      await withPage(browser, html, {}, async (page) => { id = (await articles(page)).at(-1).id; });
      return id;
    })());
    await withPage(browser, html, { hash: `#${last}` }, permalink);
    await withPage(browser, html, {}, sharedFilters);
    const kinds = tally(findings.filter((f) => f.status === 'modified'), 'kind');
    const kind = Object.keys(kinds).sort()[0];
    await withPage(browser, html, { hash: `?status=modified&kind=${kind}&check=%3Cscript%3E` }, openedFiltered);
    await withPage(browser, html, {}, sideBySide);
    await withPage(browser, html, { permissions: ['clipboard-read', 'clipboard-write'] }, copy);
  } finally {
    await browser.close();
  }
});
