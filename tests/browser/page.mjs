// What any report must be in Chromium, whatever it holds:
//   node page.mjs REPORT.html REPORT.json
// With scripts disabled every finding is readable and the filters (which need the script) are
// hidden; the dark theme follows the user's setting; the filters are reached with Tab, each
// with its label.
import assert from 'node:assert/strict';
import { articles, expectedFindings, launch, readJson, run, withPage } from './lib.mjs';

const [html, json] = process.argv.slice(2);
const findings = expectedFindings(readJson(json)).filter((f) => f.status !== 'in_sync');

async function withoutScripts(page) {
  assert.equal(await page.getAttribute('html', 'data-js'), 'off', 'no script ran');
  assert.ok(!(await page.isVisible('#filters')), 'the filter form is hidden without scripts');
  const seen = await articles(page);
  assert.equal(seen.length, findings.length, 'one article per finding');
  const hidden = seen.filter((a) => !a.visible).map((a) => a.id);
  assert.deepEqual(hidden, [], 'every finding is shown without scripts');
  for (const sel of ['button.sbs', 'button.copy']) {
    const shown = await page.$$eval(sel, (b) => b.filter((x) => x.getClientRects().length).length);
    assert.equal(shown, 0, `${sel} does nothing without scripts, so it is hidden`);
  }
  // Collapsed diffs still open by hand (details/summary need no script).
  const closed = page.locator('details.diff:not([open])').first();
  if (await closed.count()) {
    await closed.locator('summary').click();
    assert.ok(await closed.locator('pre.udiff').isVisible(), 'a collapsed diff opens without scripts');
  }
}

async function background(browser, colorScheme) {
  let color;
  await withPage(browser, html, { colorScheme }, async (page) => {
    color = await page.evaluate(() => {
      const body = getComputedStyle(document.body).backgroundColor;
      const transparent = body === 'rgba(0, 0, 0, 0)' || body === 'transparent';
      return transparent ? getComputedStyle(document.documentElement).backgroundColor : body;
    });
  });
  return color;
}

// Relative luminance of an rgb() colour, roughly: enough to tell dark from light.
function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

async function keyboard(page) {
  const controls = await page.$$eval('#filters select, #filters input', (c) => c.map((x) => x.id));
  assert.ok(controls.includes('f-kind') && controls.includes('f-status') && controls.includes('f-text'),
    `filter controls: ${controls}`);
  for (const id of controls) {
    const label = await page.$$eval(`label[for="${id}"]`, (l) => l.map((x) => x.textContent.trim()));
    assert.ok(label.length === 1 && label[0], `#${id} has one label`);
  }
  const reached = [];
  for (let i = 0; i < 80 && reached.length < controls.length; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.id);
    if (controls.includes(id) && !reached.includes(id)) reached.push(id);
  }
  assert.deepEqual(reached, controls, 'Tab reaches every filter control, in order');
  // And a control reached with Tab works from the keyboard: a status picked with the arrows.
  await page.focus('#f-status');
  await page.keyboard.press('ArrowDown');
  const status = await page.inputValue('#f-status');
  assert.ok(status, 'the arrow key picked a status');
  const want = findings.filter((f) => f.status === status).length;
  await page.waitForFunction((n) => document.getElementById('shown').dataset.shown === String(n), want);
}

run(async () => {
  const browser = await launch();
  try {
    await withPage(browser, html, { javaScriptEnabled: false }, withoutScripts);
    const light = await background(browser, 'light');
    const dark = await background(browser, 'dark');
    assert.notEqual(light, dark, 'the dark theme changes the background');
    assert.ok(luminance(dark) < 0.3 && luminance(light) > 0.7, `light ${light}, dark ${dark}`);
    await withPage(browser, html, {}, keyboard);
  } finally {
    await browser.close();
  }
});
