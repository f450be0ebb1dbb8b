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
  var drawn = new Map();       // name -> { key, el, search }
  var shownEls = [];           // the row elements in the table, in order
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
      return res.json().then(function (data) {
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
    if (performance.mark) performance.mark('bg-overview-data');
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

  function searchText(r) {
    var labels = r.labels || {};
    return (r.name + '\n' + Object.keys(labels).map(function (k) { return k + '=' + labels[k]; }).join('\n')
      + (r.owner ? '\n' + r.owner : '')).toLowerCase();
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
    var text = drawnEntry(r).search;
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

  function revision(text, field) {
    return el('td', { class: 'mono rev', 'data-cell': field, title: text || null, text: text || '—' });
  }

  function weightBar(r) {
    var weights = r.productionWeights || {};
    var revs = Object.keys(weights).sort(function (a, b) { return weights[b] - weights[a] || (a < b ? -1 : 1); });
    var summary = revs.length ? revs.map(function (v) { return v + ' ' + weights[v] + '%'; }).join(', ') : 'no traffic';
    var bar = el('div', { class: 'wbar', 'data-cell': 'production', role: 'img', title: summary,
      'aria-label': 'Production traffic of ' + r.name + ': ' + summary });
    revs.forEach(function (v) {
      var w = Number(weights[v]) || 0;
      if (w <= 0) return;
      var cls = v === r.activeRevision ? 'rev-blue' : v === r.desiredRevision ? 'rev-green' : 'rev-other';
      var seg = el('span', { class: 'wseg ' + cls, 'data-revision': v, 'data-weight': w });
      seg.style.width = w + '%';   // CSSOM, not a style attribute: allowed by style-src 'self'
      bar.appendChild(seg);
    });
    // green's share while production lists it (a rollout under way); otherwise the largest share
    var green = r.desiredRevision && r.desiredRevision !== r.activeRevision && weights[r.desiredRevision] !== undefined
      ? Number(weights[r.desiredRevision]) || 0 : null;
    return el('td', null, el('div', { class: 'bar-cell' }, bar,
      el('span', { class: 'wtext', text: green === null ? (revs.length ? weights[revs[0]] + '%' : '—') : green + '% green' })));
  }

  function since(iso) {
    return iso ? D.ago(iso) + ' ago' : '—';
  }

  function rowEl(r) {
    var phase = phaseOf(r);
    var orphaned = r.state === 'ORPHANED' || phase === 'Orphaned';
    var tr = el('tr', { 'data-row': r.name, 'data-phase': phase, 'data-attention': r.attention ? 'true' : null,
      'data-orphaned': orphaned ? 'true' : null, class: r.attention ? 'attention' : null });
    var labels = r.labels || {};
    var nameCell = el('td', { class: 'name' }, el('a', { href: '#/services/' + encodeURIComponent(r.name), 'data-open': r.name, text: r.name }));
    // with leases on, the replica that holds the service's lease (the one that writes to it); before the
    // labels, so that a narrow column clips labels rather than the owner
    if (r.owner) nameCell.appendChild(el('span', { class: 'owner', 'data-cell': 'owner', title: 'Held by operator replica ' + r.owner, text: r.owner }));
    var keys = Object.keys(labels);
    if (keys.length) {
      var list = el('span', { class: 'labels', 'data-cell': 'labels' });
      keys.slice(0, 3).forEach(function (k) { list.appendChild(el('span', { class: 'label', text: k + '=' + labels[k] })); });
      if (keys.length > 3) list.appendChild(el('span', { class: 'label more', text: '+' + (keys.length - 3) }));
      nameCell.appendChild(list);
    }
    if (r.state && r.state !== 'READY') nameCell.appendChild(el('span', { class: 'state', 'data-cell': 'state', text: r.state }));
    tr.appendChild(nameCell);
    tr.appendChild(el('td', { 'data-cell': 'phase', title: r.reason || null },
      D.badge('phase', phase, r.phase ? phase : 'not reconciled yet', null)));
    tr.appendChild(revision(r.activeRevision, 'active'));
    tr.appendChild(revision(r.desiredRevision, 'desired'));
    tr.appendChild(weightBar(r));
    tr.appendChild(el('td', { 'data-cell': 'step', class: 'num', text: r.steps > 0 ? r.step + '/' + r.steps : '—' }));
    tr.appendChild(el('td', { 'data-cell': 'since', 'data-since': r.since || null, title: r.since ? D.time(r.since) : null,
      text: since(r.since) }));
    return tr;
  }

  /** The drawn row of the service, redrawn only when the row changed. */
  function drawnEntry(r) {
    var key = JSON.stringify(r);
    var entry = drawn.get(r.name);
    if (!entry || entry.key !== key) {
      entry = { key: key, el: rowEl(r), search: searchText(r) };
      drawn.set(r.name, entry);
    }
    return entry;
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

  /** Filters, sorts and shows the rows; only changed rows are rebuilt. Records how long it took. */
  function draw() {
    if (route.name !== null) return;
    var t0 = performance.now();
    var filter = $('phase-filter').value || 'all';
    var words = $('search').value.toLowerCase().split(/\s+/).filter(Boolean);
    var list = [];
    rows.forEach(function (r) { if (passes(r, filter, words)) list.push(r); });
    list.sort(comparator($('sort').value, $('attention-first').checked));
    var els = list.map(function (r) { return drawnEntry(r).el; });
    drawn.forEach(function (entry, name) { if (!rows.has(name)) drawn.delete(name); });
    var body = $('rows-body');
    var same = els.length === shownEls.length && els.every(function (e, i) { return e === shownEls[i]; });
    if (!same) {
      var fragment = document.createDocumentFragment();
      els.forEach(function (e) { fragment.appendChild(e); });
      body.textContent = '';
      body.appendChild(fragment);
      shownEls = els;
    }
    renderCounts();
    $('shown').textContent = list.length === rows.size ? rows.size + ' services'
      : list.length + ' of ' + rows.size + ' services shown';
    var empty = $('overview-empty');
    empty.hidden = list.length > 0 || version === null;
    empty.textContent = rows.size ? 'No service matches these filters.' : 'No services declared in the sources.';
    var table = $('rows');
    void table.offsetHeight;   // lay out now, so that the time below includes it
    var ms = performance.now() - t0;
    table.setAttribute('data-rows', String(list.length));
    table.setAttribute('data-render-ms', ms.toFixed(1));
    table.setAttribute('aria-busy', 'false');
    if (!drawnOnce && version !== null) {
      drawnOnce = true;
      // after the next frame is painted: from the navigation to a first screen with every row
      window.requestAnimationFrame(function () {
        setTimeout(function () {
          if (performance.mark) performance.mark('bg-overview-first-screen');
          table.setAttribute('data-first-screen-ms', performance.now().toFixed(1));
          table.setAttribute('data-first-render-ms', ms.toFixed(1));
        }, 0);
      });
    }
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
