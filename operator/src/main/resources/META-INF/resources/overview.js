/*
 * ecs-bluegreen-operator dashboard: the overview (#/) and the router. Plain JavaScript, no framework, no
 * build step, nothing fetched from elsewhere; app.js draws the cards (window.BlueGreenDashboard).
 *
 * One request per refresh: on the overview, GET api/v1/overview?since=VERSION with If-None-Match, which
 * answers 304 when nothing changed, else only the rows changed since VERSION and the names removed; on a
 * service's page (#/services/NAME), GET api/v1/overview/services/NAME (its card and events), 304 when
 * unchanged. Every server-provided string reaches the page as text, never as markup.
 */
(function () {
  'use strict';

  var D = window.BlueGreenDashboard;
  var POLL_MS = 2000;
  var HIDDEN_POLL_MS = 10000;
  /** The phases in the operator's order (plan/Phase), for sorting and the filter. */
  var PHASES = ['Steady', 'Deploying', 'TestTraffic', 'AwaitingPromotion', 'Shifting', 'Baking', 'RollingBack',
    'RolledBack', 'Failed', 'Invalid', 'Orphaned', 'Queued', 'Pending'];
  /** The counts at the top; each is also a filter. */
  var GROUPS = [
    { id: 'steady', label: 'Steady', phases: ['Steady'] },
    { id: 'progressing', label: 'Progressing', phases: ['Deploying', 'TestTraffic', 'Shifting', 'Baking', 'RollingBack', 'Queued'] },
    { id: 'awaiting', label: 'Awaiting promotion', phases: ['AwaitingPromotion'] },
    { id: 'failed', label: 'Failed or rolled back', phases: ['Failed', 'RolledBack'] },
    { id: 'invalid', label: 'Invalid', phases: ['Invalid'] },
    { id: 'other', label: 'Orphaned or not reconciled', phases: ['Orphaned', 'Pending'] }
  ];
  /** Phases that wait for a person (api/Overview.NEEDS_A_PERSON). */
  var NEEDS_A_PERSON = ['AwaitingPromotion', 'Failed', 'RolledBack', 'Invalid'];

  var rows = new Map();        // name -> row as the operator sent it
  var drawn = new Map();       // name -> { row, el, search }: el null until the row is shown
  var shownEls = [];           // the row elements in the table, in order
  var shownNames = [];         // their names
  var version = null;          // what the page holds; sent as since= and If-None-Match
  var detailTag = null;        // the ETag of the open service's answer
  var route = { name: null };  // null: the overview
  var overviewHash = '#/';     // where "All services" goes back to, with the filters
  var drawnOnce = false;
  var meta = {};               // the latest sources and queue, whichever view read them
  var timer = null;
  var inFlight = false;
  var again = false;

  function $(id) { return document.getElementById(id); }
  var el = D.el;

  function phaseOf(row) { return row.phase || 'Pending'; }

  // ---- the route: #/ (with ?q=&phase=&sort=&attention=) or #/services/NAME ------------------------

  function readRoute() {
    var hash = window.location.hash || '#/';
    var m = /^#\/services\/([^/?#]+)$/.exec(hash);
    if (m) {
      var name;
      try { name = decodeURIComponent(m[1]); } catch (e) { name = m[1]; }
      return { name: name };
    }
    var query = hash.indexOf('?') >= 0 ? hash.substring(hash.indexOf('?') + 1) : '';
    var params = new URLSearchParams(query);
    if (params.has('q')) $('search').value = params.get('q');
    if (params.has('phase')) $('phase-filter').value = params.get('phase');
    if (params.has('sort')) $('sort').value = params.get('sort');
    if (params.has('attention')) $('attention-first').checked = params.get('attention') !== '0';
    if (!$('phase-filter').value) $('phase-filter').value = 'all';
    if (!$('sort').value) $('sort').value = 'name';
    return { name: null };
  }

  /** The overview's filters in the URL, so that a view can be shared; replaces the entry, no history. */
  function writeFilters() {
    var params = new URLSearchParams();
    if ($('search').value.trim()) params.set('q', $('search').value.trim());
    if ($('phase-filter').value !== 'all') params.set('phase', $('phase-filter').value);
    if ($('sort').value !== 'name') params.set('sort', $('sort').value);
    if (!$('attention-first').checked) params.set('attention', '0');
    var query = params.toString();
    overviewHash = '#/' + (query ? '?' + query : '');
    if (window.location.hash !== overviewHash) window.history.replaceState(null, '', overviewHash);
  }

  function show() {
    route = readRoute();
    var detail = route.name !== null;
    $('overview').hidden = detail;
    $('detail').hidden = !detail;
    $('back').setAttribute('href', overviewHash);
    detailTag = null;
    $('events-body').textContent = '';
    $('detail-missing').hidden = true;
    if (detail) {
      document.title = route.name + ' · ecs-bluegreen-operator';
    } else {
      document.title = 'ecs-bluegreen-operator';
      D.render({ services: [], sources: meta.sources, queue: meta.queue });   // the card left behind goes
      draw();
    }
    refresh();
  }

  // ---- polling -------------------------------------------------------------------------------------

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, document.hidden ? HIDDEN_POLL_MS : POLL_MS);
  }

  function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    clearTimeout(timer);
    var name = route.name;
    var path = name === null
      ? 'api/v1/overview' + (version ? '?since=' + encodeURIComponent(version) : '')
      : 'api/v1/overview/services/' + encodeURIComponent(name);
    var tag = name === null ? version : detailTag;
    if (name === null && !drawnOnce) mark('bg-overview-fetch');
    var headers = D.headers();
    if (tag) headers['If-None-Match'] = '"' + tag + '"';
    var req;
    try {
      req = fetch(path, { headers: headers, cache: 'no-store', credentials: 'same-origin' });
    } catch (e) {
      req = Promise.reject(e);
    }
    req.then(function (res) {
      if (name !== route.name) return null;   // the view changed meanwhile: its own read follows
      if (res.status === 304) {
        D.clearProblem();
        D.renderMeta(meta);   // nothing new, but a Confirm's answer or the held-since ages may be
        if (name === null) refreshAges();
        return null;
      }
      if (res.status === 401) {
        D.showProblem('Reading needs the API token here (bluegreen.api.open-reads=false): enter it above.');
        return null;
      }
      if (res.status === 404 && name !== null) {
        D.clearProblem();
        var missing = $('detail-missing');
        missing.textContent = 'No service named ' + name + ' (its file may be gone). ';
        missing.appendChild(el('a', { href: overviewHash, text: 'Back to all services' }));
        missing.hidden = false;
        D.render({ services: [], sources: meta.sources, queue: meta.queue });
        return null;
      }
      if (!res.ok) {
        D.showProblem('The operator answered HTTP ' + res.status + ' to ' + path.split('?')[0] + '; retrying.');
        return null;
      }
      var etag = (res.headers.get('ETag') || '').replace(/^W\//, '').replace(/"/g, '');
      var timed = name === null && !drawnOnce;
      return res.text().then(function (text) {
        if (timed) mark('bg-overview-body');
        var data = JSON.parse(text);
        if (timed) mark('bg-overview-parsed');
        if (name !== route.name) return;
        D.clearProblem();
        if (name === null) takeOverview(data);
        else takeDetail(data, etag);
      });
    }).catch(function (e) {
      D.showProblem('Cannot reach the operator (' + (e && e.message ? e.message : e) + '); retrying.');
    }).then(function () {
      inFlight = false;
      if (again) { again = false; refresh(); } else schedule();
    });
  }

  // ---- the overview --------------------------------------------------------------------------------

  function takeOverview(data) {
    var changes = [];
    if (data.full) {
      var fresh = new Map();
      (data.services || []).forEach(function (r) { fresh.set(r.name, r); });
      if (drawnOnce) noteChanges(fresh, changes);
      rows = fresh;
    } else {
      var delta = new Map();
      (data.services || []).forEach(function (r) { delta.set(r.name, r); });
      noteChanges(delta, changes);
      delta.forEach(function (r, name) { rows.set(name, r); });
      (data.removed || []).forEach(function (name) { rows.delete(name); });
    }
    version = data.version;
    meta = { sources: data.sources, queue: data.queue };
    D.renderMeta(data);
    draw();
    refreshAges();
    if (changes.length) D.announce(changes.slice(0, 10).join('; ') + (changes.length > 10 ? '; and ' + (changes.length - 10) + ' more' : ''));
  }

  function noteChanges(next, changes) {
    next.forEach(function (r, name) {
      var before = rows.get(name);
      if (before && phaseOf(before) !== phaseOf(r)) changes.push(name + ': ' + phaseOf(before) + ' → ' + phaseOf(r));
    });
  }

  function groupOf(phase) {
    for (var i = 0; i < GROUPS.length; i++) if (GROUPS[i].phases.indexOf(phase) >= 0) return GROUPS[i];
    return GROUPS[GROUPS.length - 1];
  }

  /** The operator sends a steady row's label once, as the active revision's. */
  function desiredLabel(r) {
    return r.desired || (r.desiredRevision && r.desiredRevision === r.activeRevision ? r.active : null);
  }

  function searchText(r) {
    var labels = r.labels || {};
    // what the revisions run and the commit (or object version) too: "greeter:2.0.0" or a SHA finds them
    var revs = [r.active, desiredLabel(r)].filter(Boolean).map(function (l) { return l.images + '\n' + l.source; });
    return (r.name + '\n' + Object.keys(labels).map(function (k) { return k + '=' + labels[k]; }).join('\n') + '\n'
      + revs.join('\n') + (r.owner ? '\n' + r.owner : '')).toLowerCase();
  }

  /** Whether a row passes the phase filter and every word of the search (name, label key=value or owning replica). */
  function passes(r, filter, words) {
    var phase = phaseOf(r);
    if (filter !== 'all') {
      var kind = filter.substring(0, filter.indexOf(':'));
      var value = filter.substring(filter.indexOf(':') + 1);
      if (kind === 'group' && groupOf(phase).id !== value) return false;
      if (kind === 'phase' && phase !== value) return false;
      if (kind === 'attention' && !r.attention) return false;
    }
    if (!words.length) return true;
    var text = entryOf(r).search;
    for (var i = 0; i < words.length; i++) if (text.indexOf(words[i]) < 0) return false;
    return true;
  }

  function progress(r) { return r.steps > 0 ? r.step / r.steps : -1; }

  function comparator(sort, attentionFirst) {
    return function (a, b) {
      if (attentionFirst && a.attention !== b.attention) return a.attention ? -1 : 1;
      var d = 0;
      if (sort === 'phase') d = PHASES.indexOf(phaseOf(a)) - PHASES.indexOf(phaseOf(b));
      else if (sort === 'since') d = (b.since ? Date.parse(b.since) : 0) - (a.since ? Date.parse(a.since) : 0);
      else if (sort === 'step') d = progress(b) - progress(a);
      return d || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    };
  }

  // ---- rows: cloned from the page's <template>, built only when shown, appended a screen first ----------

  /** Rows appended before the first paint: a screen of them (about 22 px each), the rest follow per frame. */
  function firstScreenRows() { return Math.max(40, Math.ceil(window.innerHeight / 22)); }
  /** Rows appended per animation frame after the first screen. */
  var CHUNK = 400;

  var rowTemplate = null;      // <tr> of #row-template, cloned per row

  /**
   * A revision as people recognise it: what it runs (greeter:2.0.0) and where it came from (the commit's
   * short SHA, the S3 version or ETag), the id and the whole label in the tooltip; the id alone when
   * nothing more is known.
   */
  function revisionCell(td, revision, label) {
    if (!revision) {
      td.textContent = '—';
      return;
    }
    td.setAttribute('data-revision', revision);
    td.setAttribute('title', label ? label.text : revision);
    if (!label) {
      td.textContent = revision;
      return;
    }
    td.appendChild(el('span', { class: 'rev-images', 'data-images': label.images || null, text: label.images || revision }));
    if (label.source) td.appendChild(document.createTextNode(' '));
    if (label.source) td.appendChild(el('span', { class: 'rev-source', 'data-source': label.source, text: label.source }));
  }

  function weightBar(td, r) {
    var weights = r.productionWeights || {};
    var revs = Object.keys(weights).sort(function (a, b) { return weights[b] - weights[a] || (a < b ? -1 : 1); });
    var summary = revs.length ? revs.map(function (v) { return v + ' ' + weights[v] + '%'; }).join(', ') : 'no traffic';
    var bar = td.firstChild.firstChild;
    bar.setAttribute('title', summary);
    bar.setAttribute('aria-label', 'Production traffic of ' + r.name + ': ' + summary);
    revs.forEach(function (v) {
      var w = Number(weights[v]) || 0;
      if (w <= 0) return;
      var cls = v === r.activeRevision ? 'rev-blue' : v === r.desiredRevision ? 'rev-green' : 'rev-other';
      var seg = document.createElement('span');
      seg.className = 'wseg ' + cls;
      seg.setAttribute('data-revision', v);
      seg.setAttribute('data-weight', String(w));
      seg.style.width = w + '%';   // CSSOM, not a style attribute: allowed by style-src 'self'
      bar.appendChild(seg);
    });
    // green's share while production lists it (a rollout under way); otherwise the largest share
    var green = r.desiredRevision && r.desiredRevision !== r.activeRevision && weights[r.desiredRevision] !== undefined
      ? Number(weights[r.desiredRevision]) || 0 : null;
    bar.nextSibling.textContent = green === null ? (revs.length ? weights[revs[0]] + '%' : '—') : green + '% green';
  }

  function since(iso) {
    return iso ? D.ago(iso) + ' ago' : '—';
  }

  /** One row: a clone of the template filled with text and attributes only (no markup from the server). */
  function rowEl(r) {
    if (!rowTemplate) rowTemplate = $('row-template').content.firstElementChild;
    var phase = phaseOf(r);
    var orphaned = r.state === 'ORPHANED' || phase === 'Orphaned';
    var tr = rowTemplate.cloneNode(true);
    tr.setAttribute('data-row', r.name);
    tr.setAttribute('data-phase', phase);
    if (r.attention) {
      tr.setAttribute('data-attention', 'true');
      tr.className = 'attention';
    }
    if (orphaned) tr.setAttribute('data-orphaned', 'true');
    var cells = tr.cells;
    var nameCell = cells[0];
    var link = nameCell.firstChild;
    link.setAttribute('href', '#/services/' + encodeURIComponent(r.name));
    link.setAttribute('data-open', r.name);
    link.textContent = r.name;
    var labels = r.labels || {};
    // a source state (INVALID, ORPHANED) right after the name: a long name with an owner and labels clips
    // what comes last, and the state is what an on-call engineer must not miss
    if (r.state && r.state !== 'READY') nameCell.appendChild(el('span', { class: 'state', 'data-cell': 'state', text: r.state }));
    // with leases on, the replica that holds the service's lease (the one that writes to it); before the
    // labels, so that a narrow column clips labels rather than the owner
    if (r.owner) nameCell.appendChild(el('span', { class: 'owner', 'data-cell': 'owner', title: 'Held by operator replica ' + r.owner, text: r.owner }));
    var keys = Object.keys(labels);
    if (keys.length) {
      // every label in the tooltip: the column shows three at most and may clip those
      var list = el('span', { class: 'labels', 'data-cell': 'labels',
        title: keys.map(function (k) { return k + '=' + labels[k]; }).join('\n') });
      keys.slice(0, 3).forEach(function (k) { list.appendChild(el('span', { class: 'label', text: k + '=' + labels[k] })); });
      if (keys.length > 3) list.appendChild(el('span', { class: 'label more', text: '+' + (keys.length - 3) }));
      nameCell.appendChild(list);
    }
    if (r.reason) cells[1].setAttribute('title', r.reason);
    var badge = cells[1].firstChild;
    badge.className = 'badge phase-' + phase;
    badge.textContent = r.phase ? phase : 'not reconciled yet';
    revisionCell(cells[2], r.activeRevision, r.active);
    revisionCell(cells[3], r.desiredRevision, desiredLabel(r));
    weightBar(cells[4], r);
    cells[5].textContent = r.steps > 0 ? r.step + '/' + r.steps : '—';
    if (r.since) {
      cells[6].setAttribute('data-since', r.since);
      cells[6].setAttribute('title', D.time(r.since));
    }
    cells[6].textContent = since(r.since);
    return tr;
  }

  /**
   * What is known of a row: its search text at once, its element only once it is shown. A row that
   * changed arrives as another object, so identity tells a changed row without comparing contents.
   */
  function entryOf(r) {
    var entry = drawn.get(r.name);
    if (!entry || entry.row !== r) {
      entry = { row: r, el: null, search: searchText(r) };
      drawn.set(r.name, entry);
    }
    return entry;
  }

  function elementOf(r) {
    var entry = entryOf(r);
    if (!entry.el) entry.el = rowEl(r);
    return entry.el;
  }

  function renderCounts() {
    var counts = {};
    GROUPS.forEach(function (g) { counts[g.id] = 0; });
    var attention = 0;
    rows.forEach(function (r) {
      counts[groupOf(phaseOf(r)).id]++;
      if (r.attention) attention++;
    });
    var filter = $('phase-filter').value;
    var node = $('counts');
    var tiles = [{ id: 'all', label: 'All', n: rows.size, filter: 'all' },
      { id: 'attention', label: 'Needing a person', n: attention, filter: 'attention:yes' }]
      .concat(GROUPS.map(function (g) { return { id: g.id, label: g.label, n: counts[g.id], filter: 'group:' + g.id }; }));
    var key = JSON.stringify(tiles) + filter;
    if (node.getAttribute('data-key') === key) return;
    node.setAttribute('data-key', key);
    node.textContent = '';
    tiles.forEach(function (t) {
      var b = el('button', { type: 'button', class: 'count count-' + t.id + (t.n === 0 ? ' zero' : ''), 'data-count': t.id,
        'data-n': t.n, 'aria-pressed': filter === t.filter ? 'true' : 'false', title: 'Show ' + t.label.toLowerCase() },
        el('span', { class: 'n', text: String(t.n) }), el('span', { class: 'what', text: t.label }));
      b.addEventListener('click', function () {
        $('phase-filter').value = filter === t.filter ? 'all' : t.filter;
        controlsChanged();
      });
      node.appendChild(b);
    });
  }

  var drawing = 0;   // the draw whose rows are being appended; an older one stops

  function mark(name) {
    if (performance.mark) performance.mark(name);
  }

  /** After the frame that follows has been painted. */
  function afterPaint(then) {
    window.requestAnimationFrame(function () { setTimeout(then, 0); });
  }

  /**
   * Filters and sorts every row (data only: search, filter and sort never need the elements), then shows
   * the list: a screen of rows at once, painted before the rest are appended a chunk per frame, so the
   * first screen does not wait for a thousand rows. Rows are built once and rebuilt only when they
   * changed. The table says how many rows it shows (data-rows) once all are in, and aria-busy meanwhile.
   */
  function draw() {
    if (route.name !== null) return;
    var t0 = performance.now();
    var filter = $('phase-filter').value || 'all';
    var words = $('search').value.toLowerCase().split(/\s+/).filter(Boolean);
    var list = [];
    rows.forEach(function (r) { if (passes(r, filter, words)) list.push(r); });
    list.sort(comparator($('sort').value, $('attention-first').checked));
    drawn.forEach(function (entry, name) { if (!rows.has(name)) drawn.delete(name); });
    renderCounts();
    $('shown').textContent = list.length === rows.size ? rows.size + ' services'
      : list.length + ' of ' + rows.size + ' services shown';
    var empty = $('overview-empty');
    empty.hidden = list.length > 0 || version === null;
    empty.textContent = rows.size ? 'No service matches these filters.' : 'No services declared in the sources.';

    var table = $('rows');
    var body = $('rows-body');
    var settled = table.getAttribute('aria-busy') !== 'true';
    if (settled && (drawnOnce || version === null) && list.length === shownNames.length && list.every(function (r, i) { return r.name === shownNames[i]; })) {
      // the same rows in the same order (a poll's delta): only the rows that changed are replaced
      list.forEach(function (r, i) {
        var e = elementOf(r);
        if (e !== shownEls[i]) {
          body.replaceChild(e, shownEls[i]);
          shownEls[i] = e;
        }
      });
      table.setAttribute('data-render-ms', (performance.now() - t0).toFixed(1));
      return;
    }
    var id = ++drawing;
    var first = !drawnOnce && version !== null;
    if (first) drawnOnce = true;
    table.setAttribute('aria-busy', 'true');
    shownNames = list.map(function (r) { return r.name; });
    var els = [];
    var n = Math.min(list.length, firstScreenRows());
    var fragment = document.createDocumentFragment();
    for (var i = 0; i < n; i++) {
      var e = elementOf(list[i]);
      els.push(e);
      fragment.appendChild(e);
    }
    body.textContent = '';
    body.appendChild(fragment);
    shownEls = els;
    if (first) {
      mark('bg-first-rows-built');
      void body.offsetHeight;   // lay the first screen out now, so that the marks tell building from layout
      mark('bg-first-rows-laid-out');
      afterPaint(function () {
        mark('bg-first-screen');
        table.setAttribute('data-first-screen-ms', performance.now().toFixed(1));
        table.setAttribute('data-first-render-ms', (performance.now() - t0).toFixed(1));
      });
    }
    function finish() {
      afterPaint(function () {
        if (id !== drawing) return;
        table.setAttribute('data-rows', String(list.length));
        table.setAttribute('data-render-ms', (performance.now() - t0).toFixed(1));
        table.setAttribute('aria-busy', 'false');
        if (first) {
          mark('bg-all-rows');
          table.setAttribute('data-full-render-ms', performance.now().toFixed(1));
        }
      });
    }
    function more() {
      if (id !== drawing) return;   // another draw took over
      var upTo = Math.min(list.length, shownEls.length + CHUNK);
      var chunk = document.createDocumentFragment();
      for (var j = shownEls.length; j < upTo; j++) {
        var e2 = elementOf(list[j]);
        shownEls.push(e2);
        chunk.appendChild(e2);
      }
      body.appendChild(chunk);
      if (upTo < list.length) window.requestAnimationFrame(more);
      else finish();
    }
    if (n < list.length) afterPaint(more);
    else finish();
  }

  /** "5 min ago" moves on without any change in the rows. */
  function refreshAges() {
    shownEls.forEach(function (tr) {
      var cell = tr.lastChild;
      var iso = cell && cell.getAttribute('data-since');
      if (iso) {
        var text = since(iso);
        if (cell.textContent !== text) cell.textContent = text;
      }
    });
  }

  function controlsChanged() {
    writeFilters();
    draw();
  }

  // ---- one service ---------------------------------------------------------------------------------

  function takeDetail(data, etag) {
    detailTag = etag || null;
    meta = { sources: data.sources, queue: data.queue };
    D.render({ services: data.service ? [data.service] : [], sources: data.sources, queue: data.queue });
    renderEvents(data.events || []);
  }

  function renderEvents(events) {
    var node = $('events-body');
    node.textContent = '';
    if (!events.length) {
      node.appendChild(el('p', { class: 'none-yet', text: 'No events since the operator started.' }));
      return;
    }
    node.appendChild(D.table('events', ['When', 'Event', 'Revision', 'Phase', 'Reason', 'Message'],
      events.map(function (e) {
        return [D.mono(D.time(e.at)), e.type, D.mono(e.revision), e.phase, e.reason, { detail: e.message || '' }];
      })));
  }

  // ---- start ---------------------------------------------------------------------------------------

  function start() {
    var filter = $('phase-filter');
    filter.appendChild(el('option', { value: 'all', text: 'all phases' }));
    filter.appendChild(el('option', { value: 'attention:yes', text: 'needing a person' }));
    var groups = el('optgroup', { label: 'Groups' });
    GROUPS.forEach(function (g) { groups.appendChild(el('option', { value: 'group:' + g.id, text: g.label })); });
    filter.appendChild(groups);
    var phases = el('optgroup', { label: 'Phases' });
    PHASES.forEach(function (p) { phases.appendChild(el('option', { value: 'phase:' + p, text: p })); });
    filter.appendChild(phases);

    $('controls').addEventListener('submit', function (event) { event.preventDefault(); });
    $('search').addEventListener('input', controlsChanged);
    ['phase-filter', 'sort', 'attention-first'].forEach(function (id) { $(id).addEventListener('change', controlsChanged); });
    // a click anywhere on a row opens the service; the name is the link for the keyboard
    $('rows-body').addEventListener('click', function (event) {
      var tr = event.target.closest('tr[data-row]');
      if (!tr || event.target.closest('a')) return;
      window.location.hash = '#/services/' + encodeURIComponent(tr.getAttribute('data-row'));
    });
    window.addEventListener('hashchange', show);
    document.addEventListener('visibilitychange', function () { if (!document.hidden) refresh(); });
    window.BlueGreenOverview = { refresh: refresh };
    route = readRoute();
    if (route.name === null) writeFilters();
    show();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
