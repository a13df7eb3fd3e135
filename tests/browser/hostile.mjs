// A report whose resources hold markup, script, `javascript:` URLs and bidi controls:
//   node hostile.mjs REPORT.html TEXT...
// Nothing of it runs or changes the page: no script of the data ran, the page has its own one
// script and one style and no image, the body is displayed, every TEXT is there as text, bidi
// controls are shown as `\u{202e}`, no link leaves the page, and search still finds the text.
import assert from 'node:assert/strict';
import { launch, run, waitShown, withPage } from './lib.mjs';

const [html, ...texts] = process.argv.slice(2);
const BIDI = ['\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u202a', '\u202b', '\u202c', '\u202d'];

async function inert(page, scripts) {
  const state = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    scripts: document.querySelectorAll('script').length,
    styles: document.querySelectorAll('style').length,
    // The one <link> allowed: an empty data: icon, so that no favicon is asked for.
    links: Array.from(document.querySelectorAll('link'), (l) => `${l.rel} ${l.getAttribute('href')}`),
    images: document.querySelectorAll('img, image, iframe, object, embed, svg foreignObject').length,
    display: getComputedStyle(document.body).display,
    height: document.body.getBoundingClientRect().height,
    text: document.body.textContent,
    // Attributes the data could have smuggled: handlers, inline styles, outside links.
    handlers: Array.from(document.querySelectorAll('*')).flatMap((e) => Array.from(e.attributes)
      .filter((a) => /^on/i.test(a.name) || a.name === 'style' || a.name === 'srcdoc')
      .map((a) => `${e.tagName} ${a.name}`)),
    hrefs: Array.from(document.querySelectorAll('[href], [src], [action], [formaction]'))
      .map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? e.getAttribute('formaction')),
    ids: Array.from(document.querySelectorAll('[id]'), (e) => e.id),
  }));
  assert.equal(state.pwned, 'undefined', 'a script of the data ran');
  assert.equal(state.scripts, scripts, '<script> elements');
  assert.equal(state.styles, 1, '<style> elements');
  assert.deepEqual(state.links, ['icon data:,'], '<link> elements');
  assert.equal(state.images, 0, 'images or frames from the data');
  assert.notEqual(state.display, 'none', 'the body is displayed');
  assert.ok(state.height > 200, `the body has its height (${state.height})`);
  assert.deepEqual(state.handlers, [], 'handler or style attributes');
  const ids = new Set(state.ids);
  // Every link is to a place on this page (the permalinks, the skip link), but the icon's.
  for (const h of state.hrefs.filter((x) => x !== 'data:,')) {
    assert.ok(/^#./.test(h) && ids.has(decodeURIComponent(h.slice(1))), `a link out of the page: ${h}`);
  }
  for (const t of texts) {
    const shown = BIDI.reduce((s, c) => s.replaceAll(c, `\\u{${c.codePointAt(0).toString(16)}}`), t);
    assert.ok(state.text.includes(shown), `the text ${JSON.stringify(shown)} is on the page as text`);
  }
  for (const c of BIDI) {
    assert.ok(!state.text.includes(c), `a raw bidi control U+${c.codePointAt(0).toString(16)} is on the page`);
  }
  assert.ok(state.text.includes('\\u{202e}'), 'the bidi control is shown as \\u{202e}');
}

async function searchable(page) {
  const needle = '<script>window.__pwned=1</script>';
  await page.fill('#f-text', needle);
  const n = await page.evaluate((t) => Array.from(document.querySelectorAll('article.finding'))
    .filter((a) => a.textContent.toLowerCase().includes(t.toLowerCase())).length, needle);
  assert.ok(n > 0, 'some finding holds the script text');
  await waitShown(page, n, 'a search for the script text');
  assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
}

run(async () => {
  const browser = await launch();
  try {
    await withPage(browser, html, {}, async (page) => {
      await inert(page, 1);
      await searchable(page);
    });
    // Without scripts the page is the same markup: still inert, still whole.
    await withPage(browser, html, { javaScriptEnabled: false }, (page) => inert(page, 1));
  } finally {
    await browser.close();
  }
});
