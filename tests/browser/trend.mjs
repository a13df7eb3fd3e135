// A report of the third of three runs remembered in one history database:
//   node trend.mjs REPORT.html RUN1.json RUN2.json RUN3.json
// The trend chart has one point per run, oldest first, with each run's new, known and resolved
// as its own JSON report counted them; the counts and the new/known filter agree.
import assert from 'node:assert/strict';
import { articles, launch, readJson, run, waitShown, withPage } from './lib.mjs';

const [html, ...jsons] = process.argv.slice(2);
const runs = jsons.map(readJson);

async function trend(page) {
  assert.ok(await page.isVisible('#trend-chart'), 'the trend chart is drawn');
  const points = await page.$$eval('#trend-chart g.run', (gs) => gs.map((g) => ({
    at: g.dataset.checkedAt, new: +g.dataset.new, known: +g.dataset.known, resolved: +g.dataset.resolved,
  })));
  assert.equal(points.length, runs.length, 'one point per run');
  runs.forEach((r, i) => {
    const s = r.summary;
    assert.deepEqual([points[i].new, points[i].known, points[i].resolved], [s.new, s.known, s.resolved ?? 0],
      `run ${i + 1}: chart point vs its JSON summary ${JSON.stringify(s)}`);
  });
  const times = points.map((p) => Date.parse(p.at));
  assert.ok(times.every((t, i) => !Number.isNaN(t) && (i === 0 || t > times[i - 1])), `oldest first: ${points.map((p) => p.at)}`);
  const label = await page.$eval('#trend-chart', (s) => [s.getAttribute('role'), s.getAttribute('aria-labelledby')]);
  assert.equal(label[0], 'img');
  assert.ok(label[1] && (await page.$(`[id="${label[1].split(' ')[0]}"]`)), 'the chart is labelled');
  const rows = await page.$$eval('#trend details table tbody tr', (r) => r.length);
  assert.equal(rows, runs.length, 'the chart as a table');

  const last = runs.at(-1).summary;
  const counts = await page.$$eval('#counts tr[data-count]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.count, +r.querySelector('td').textContent.trim()])));
  assert.deepEqual([counts.new, counts.known, counts.resolved], [last.new, last.known, last.resolved ?? 0], '#counts');

  await page.selectOption('#f-seen', 'new');
  await waitShown(page, last.new, 'new only');
  const seen = await articles(page);
  assert.ok(seen.filter((a) => a.visible).every((a) => a.seen === 'new'), 'only new findings shown');
  await page.selectOption('#f-seen', 'known');
  await waitShown(page, last.known, 'known only');
  if (last.resolved) assert.ok(await page.isVisible('#resolved'), 'the resolved findings are listed');
}

run(async () => {
  const browser = await launch();
  try {
    await withPage(browser, html, {}, trend);
  } finally {
    await browser.close();
  }
});
