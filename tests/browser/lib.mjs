// Shared by the browser checks of driftwatch's HTML report: launching Debian's Chromium through
// playwright-core (never a downloaded browser), opening a report file while recording everything
// a user would never want from it (console errors, page errors, CSP violations, requests to
// anything but the file itself), and what the report's JSON twin says the page must show.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

// The flags a closed network needs: without them Chromium keeps calling Google's hosts.
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  const executablePath = process.env.DRIFTWATCH_CHROMIUM || '/usr/bin/chromium';
  // playwright-core makes and deletes a fresh profile folder per launch.
  return chromium.launch({ executablePath, headless: true, args: FLAGS });
}

// Installed before any of the page's own code runs; CDP injects it past the page's CSP.
function listenForViolations() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
  });
}

// Opens `file` in a new page of `context` and records what must never happen; `problems()`
// lists them (call it at the end of a check, the page still open).
// `hash` is appended to the file's URL as it is: `#f-…`, or `?status=modified` (filters).
export async function open(context, file, { hash = '', js = true, before } = {}) {
  const url = pathToFileURL(file).href;
  const seen = [];
  const page = await context.newPage();
  if (before) await before(page);
  if (js) await page.addInitScript(listenForViolations);
  page.on('console', (m) => {
    if (m.type() === 'error') seen.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    // The file itself, whatever query (the filters) and fragment (a permalink) it is opened with.
    if (r.url().split(/[?#]/)[0] !== url) seen.push(`request to ${r.url()}`);
  });
  page.on('requestfailed', (r) => seen.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  // Anything on the network is refused, so a leak is a recorded request, never a fetch.
  await page.route(/^(https?|wss?|ftp):/, (route) => {
    seen.push(`network request to ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(url + hash, { waitUntil: 'load' });
  page.problems = async () => {
    const out = [...seen];
    if (js) {
      const csp = await page.evaluate(() => window.__cspViolations || ['(listener lost)']);
      out.push(...csp.map((v) => `CSP violation: ${v}`));
    }
    return out;
  };
  return page;
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// The findings as the console and the page group them: one per (target, kind, id) that
// drifted, with the status of the group (missing or unmanaged when any entry says so, else
// modified), then one per check finding.
export function expectedFindings(report) {
  const groups = new Map();
  for (const r of report.resources) {
    const key = JSON.stringify([r.target ?? null, r.kind, r.id]);
    if (!groups.has(key)) groups.set(key, { target: r.target ?? '', kind: r.kind, id: r.id, statuses: [] });
    groups.get(key).statuses.push(r.status);
  }
  const out = [];
  for (const g of groups.values()) {
    const status = ['missing', 'unmanaged', 'modified'].find((s) => g.statuses.includes(s)) || 'in_sync';
    out.push({ ...g, status, check: '' });
  }
  for (const c of report.checks || []) {
    out.push({
      target: c.target ?? '', kind: c.kind, id: c.id, check: c.check,
      status: c.severity === 'error' ? 'broken' : 'warning', text: c.message,
    });
  }
  return out;
}

// The numbers of #counts as the JSON report gives them, grouped as the console counts.
export function expectedCounts(report) {
  const all = expectedFindings(report);
  const n = (s) => all.filter((f) => f.status === s).length;
  const counts = {
    modified: n('modified'), missing: n('missing'), unmanaged: n('unmanaged'), in_sync: n('in_sync'),
    broken: n('broken'), warnings: n('warning'), errors: (report.errors || []).length,
  };
  for (const k of ['new', 'known', 'resolved']) {
    if (report.summary?.[k] !== undefined) counts[k] = report.summary[k];
  }
  return counts;
}

export function tally(list, key) {
  const out = {};
  for (const x of list) out[x[key]] = (out[x[key]] || 0) + 1;
  return out;
}

// Each finding article as a user sees it: rendered or not, and its data attributes.
export async function articles(page) {
  return page.$$eval('article.finding', (list) => list.map((a) => ({
    id: a.id,
    visible: a.getClientRects().length > 0,
    kind: a.dataset.kind, status: a.dataset.status, check: a.dataset.check || '',
    target: a.dataset.target || '', seen: a.dataset.seen || '',
    text: a.textContent,
  })));
}

// Waits until #shown says `n` are shown (the page filters on the next animation frame).
export async function waitShown(page, n, what) {
  try {
    await page.waitForFunction((want) => {
      const o = document.getElementById('shown');
      return o && o.dataset.shown === String(want);
    }, n, { timeout: 5000 });
  } catch {
    const now = await page.$eval('#shown', (o) => `${o.textContent} (data-shown=${o.dataset.shown})`);
    throw new Error(`${what}: #shown should say ${n} shown, says ${now}`);
  }
}

// Runs `main`, printing the failure and exiting non-zero so the Rust test shows it.
export function run(main) {
  main().then(() => process.exit(0), (e) => {
    console.error(e && e.stack ? e.stack : String(e));
    process.exit(1);
  });
}

// Opens `file` in a fresh context (`options` as for browser.newContext, plus `hash`), runs
// `check(page)`, then fails if the page did anything it must never do.
export async function withPage(browser, file, options, check) {
  const { hash, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  try {
    const page = await open(context, file, { hash, js: contextOptions.javaScriptEnabled !== false });
    await check(page);
    const problems = await page.problems();
    if (problems.length) throw new Error(`the page did what it must not:\n  ${problems.join('\n  ')}`);
  } finally {
    await context.close();
  }
}
