// driftwatch's HTML report: filters, search, side-by-side diffs, copy buttons, permalinks.
// The page is whole without this script; it only adds the interactions. It reads the page and
// writes text through textContent only: nothing from the data is ever parsed as markup.
(function () {
  'use strict';
  document.documentElement.setAttribute('data-js', 'on');
  var form = document.getElementById('filters');
  var shown = document.getElementById('shown');
  var list = Array.prototype.slice.call(document.querySelectorAll('article.finding'));
  var keys = ['target', 'kind', 'status', 'seen', 'check'];
  var texts = null;
  var pending = 0;

  function value(id) {
    var el = document.getElementById(id);
    return el ? el.value : '';
  }

  // One pass over the findings; an article changes only when its state does, so a filter
  // over 10,000 findings touches only those that appear or go.
  function apply() {
    pending = 0;
    var want = keys.map(function (k) { return value('f-' + k); });
    var query = value('f-text').trim().toLowerCase();
    if (query && !texts) {
      texts = list.map(function (a) { return a.textContent.toLowerCase(); });
    }
    var n = 0;
    for (var i = 0; i < list.length; i++) {
      var a = list[i];
      var ok = true;
      for (var k = 0; k < keys.length && ok; k++) {
        ok = !want[k] || a.getAttribute('data-' + keys[k]) === want[k];
      }
      if (ok && query) ok = texts[i].indexOf(query) !== -1;
      if (a.hidden === ok) a.hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = n + ' of ' + list.length + ' shown';
    shown.setAttribute('data-shown', String(n));
    remember(want, query);
  }

  // The filters live in the address's query (`?status=modified&kind=aws_sqs_queue&q=…`), so a
  // filtered view can be shared as a link and survives a reload; a permalink's `#f-…` stays.
  function remember(want, query) {
    if (!window.history || !window.history.replaceState) return;
    var params = new URLSearchParams();
    keys.forEach(function (k, i) { if (want[i]) params.set(k, want[i]); });
    if (query) params.set('q', query);
    var search = params.toString();
    var url = window.location.pathname + (search ? '?' + search : '') + window.location.hash;
    try { window.history.replaceState(null, '', url); } catch (e) { /* some viewers refuse */ }
  }

  // Filters named in the address are applied at load: only values a list offers are taken.
  function restore() {
    var params;
    try { params = new URLSearchParams(window.location.search); } catch (e) { return false; }
    var any = false;
    keys.forEach(function (k) {
      var el = document.getElementById('f-' + k);
      var v = params.get(k);
      if (!el || !v) return;
      for (var i = 0; i < el.options.length; i++) {
        if (el.options[i].value === v) { el.value = v; any = true; }
      }
    });
    var q = params.get('q');
    var text = document.getElementById('f-text');
    if (q && text) { text.value = q; any = true; }
    return any;
  }

  function schedule() {
    if (!pending) pending = window.requestAnimationFrame(apply);
  }

  if (form && shown) {
    form.hidden = false;
    form.addEventListener('change', schedule);
    form.addEventListener('input', schedule);
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    form.addEventListener('reset', function () { window.setTimeout(apply, 0); });
    if (restore()) apply();
  }

  // The side-by-side view of a unified diff: context on both sides, a run of removed lines
  // beside the run of added lines that follows it.
  function sideBySide(pre) {
    var table = document.createElement('table');
    table.className = 'sbs-view';
    var head = table.createTHead().insertRow();
    ['Expected', 'Actual'].forEach(function (t) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t;
      head.appendChild(th);
    });
    var body = table.createTBody();
    var dels = [];
    var adds = [];
    function row(left, right, lc, rc) {
      var tr = body.insertRow();
      var l = tr.insertCell();
      var r = tr.insertCell();
      l.textContent = left;
      r.textContent = right;
      if (lc) l.className = lc;
      if (rc) r.className = rc;
    }
    function flush() {
      for (var i = 0; i < Math.max(dels.length, adds.length); i++) {
        row(i < dels.length ? dels[i] : '', i < adds.length ? adds[i] : '',
          i < dels.length ? 'del' : '', i < adds.length ? 'add' : '');
      }
      dels = [];
      adds = [];
    }
    Array.prototype.forEach.call(pre.children, function (line) {
      var t = line.textContent.replace(/\n$/, '');
      if (line.classList.contains('del')) { if (adds.length) flush(); dels.push(t.slice(1)); return; }
      if (line.classList.contains('add')) { adds.push(t.slice(1)); return; }
      flush();
      if (line.classList.contains('hunk')) row(t, t, 'hunk', 'hunk');
      else row(t.slice(1), t.slice(1), '', '');
    });
    flush();
    return table;
  }

  function toggleSideBySide(button) {
    var details = button.closest('details');
    var pre = details.querySelector('pre.udiff');
    var table = details.querySelector('table.sbs-view');
    var on = button.getAttribute('aria-pressed') !== 'true';
    if (on && !table) {
      table = sideBySide(pre);
      pre.parentNode.insertBefore(table, pre.nextSibling);
    }
    pre.hidden = on;
    if (table) table.hidden = !on;
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
  }

  function copy(button) {
    var code = button.parentNode.querySelector('pre.import');
    var text = code ? code.textContent : '';
    function done() { button.textContent = 'Copied'; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text) && done(); });
    } else if (fallback(text)) {
      done();
    }
  }

  // Pages opened from a file may not get the clipboard API: a selected, off-screen text area.
  function fallback(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('button');
    if (!button) return;
    if (button.classList.contains('sbs')) toggleSideBySide(button);
    else if (button.classList.contains('copy')) copy(button);
  });
  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (b) {
    b.hidden = false;
  });

  // A diff gets its side-by-side button when it is first open: a page of 10,000 folded diffs
  // carries none of them until asked.
  function addButton(details) {
    if (!details.classList.contains('diff') || details.querySelector('button.sbs')) return;
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'sbs';
    b.setAttribute('aria-pressed', 'false');
    b.textContent = 'Side by side';
    details.insertBefore(b, details.querySelector('pre.udiff'));
  }
  Array.prototype.forEach.call(document.querySelectorAll('details.diff[open]'), addButton);
  document.addEventListener('toggle', function (e) {
    if (e.target.open) addButton(e.target);
  }, true);

  // A permalink shows its finding even when the filters hid it, with its diffs unfolded.
  function reveal() {
    var id = '';
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    if (!target || !target.classList.contains('finding')) return;
    if (target.hidden && form) {
      form.reset();
      apply();
    }
    Array.prototype.forEach.call(target.querySelectorAll('details.diff'), function (d) { d.open = true; });
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  reveal();

  // On paper every diff is shown: folded ones would print as one line.
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details.diff'), function (d) { d.open = true; });
  });
})();
