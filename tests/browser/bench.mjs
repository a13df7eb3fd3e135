// Times a large HTML report in Chromium (demo/bench_html.py runs it):
//   node bench.mjs REPORT.html REPORT.json REPEAT
// Prints JSON: per fresh load, navigation start to first paint and to the load event; a status
// filter changed through the page's select, and a search typed into its box, each until the
// page has painted the result; and Chromium's main-thread metrics of the load. Fails when the
// page shows the wrong number of findings.
import assert from 'node:assert/strict';
import { expectedFindings, launch, open, readJson, run, waitShown } from './lib.mjs';

const [html, json, repeatArg] = process.argv.slice(2);
const repeat = Number(repeatArg || 3);
const findings = expectedFindings(readJson(json)).filter((f) => f.status !== 'in_sync');

// Milliseconds from `start` until a frame after `act` has been painted.
async function untilPainted(page, act) {
  const t = Date.now();
  await act();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return Date.now() - t;
}

// Chromium's cumulative main-thread time, in ms, by what it was spent on.
async function mainThread(cdp) {
  const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
  return {
    script: m.ScriptDuration * 1000, layout: m.LayoutDuration * 1000,
    style: m.RecalcStyleDuration * 1000, tasks: m.TaskDuration * 1000,
  };
}

function record(metrics, what, before, after) {
  for (const k of Object.keys(after)) (metrics[`${what}: ${k}`] ||= []).push(after[k] - (before?.[k] || 0));
}

async function once(browser, times, metrics) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    let cdp;
    const page = await open(context, html, {
      before: async (p) => {
        cdp = await context.newCDPSession(p);
        await cdp.send('Performance.enable');
      },
    });
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const paint = Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]));
      return { load: n.loadEventEnd - n.startTime, fp: paint['first-paint'], fcp: paint['first-contentful-paint'] };
    });
    const loaded = await mainThread(cdp);
    record(metrics, 'load', null, loaded);
    const push = (k, v) => { if (v !== undefined) (times[k] ||= []).push(v); };
    push('load', nav.load);
    push('first_paint', nav.fp);
    push('first_contentful_paint', nav.fcp);
    push('articles', await page.$$eval('article.finding', (l) => l.length));

    const missing = findings.filter((f) => f.status === 'missing').length;
    const beforeFilter = await mainThread(cdp);
    push('filter', await untilPainted(page, async () => {
      await page.selectOption('#f-status', 'missing');
      await waitShown(page, missing, 'missing only');
    }));
    record(metrics, 'filter', beforeFilter, await mainThread(cdp));
    await page.selectOption('#f-status', '');
    await waitShown(page, findings.length, 'no filter');
    const search = async (text) => {
      const n = findings.filter((f) => f.id.includes(text)).length;
      return untilPainted(page, async () => {
        await page.fill('#f-text', text);
        await waitShown(page, n, `search ${text}`);
      });
    };
    const beforeSearch = await mainThread(cdp);
    push('search', await search('bench-new-01'));
    record(metrics, 'search', beforeSearch, await mainThread(cdp));
    push('search_again', await search('bench-new-02'));
    const problems = await page.problems();
    assert.deepEqual(problems, [], 'the page did what it must not');
  } finally {
    await context.close();
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

run(async () => {
  const browser = await launch();
  const times = {};
  const metrics = {};
  try {
    for (let i = 0; i < repeat; i++) await once(browser, times, metrics);
    assert.ok(times.articles.every((n) => n === findings.length), `articles: ${times.articles}`);
    delete times.articles;
    console.log(JSON.stringify({
      browser: browser.version(),
      findings: findings.length,
      times,
      metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, median(v)])),
    }));
  } finally {
    await browser.close();
  }
});
