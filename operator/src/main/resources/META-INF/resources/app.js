/*
 * ecs-bluegreen-operator dashboard. Plain JavaScript, no framework, no build step, nothing fetched from
 * elsewhere. This file draws a service's card (with its commands), the held-source banners, the sources
 * and the queue; overview.js polls (the overview, or the open service's detail) and hands the answers
 * over through window.BlueGreenDashboard. A card is redrawn only when its service changed.
 *
 * Safety: every server-provided string reaches the page through textContent or setAttribute, never as
 * markup (hook details are excerpts of third-party answers). The API token is kept in sessionStorage
 * (gone when the tab closes), sent only in the Authorization header of same-origin requests, and never
 * put in a URL.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'bluegreen.api-token';
  var ROLLOUT_PHASES = ['Deploying', 'TestTraffic', 'AwaitingPromotion', 'Shifting', 'Baking'];
  var COMMANDS = [
    { name: 'promote', label: 'Promote', phases: ['AwaitingPromotion'] },
    { name: 'abort', label: 'Abort', phases: ROLLOUT_PHASES },
    { name: 'retry', label: 'Retry', phases: ['RolledBack', 'Failed'] }
  ];
  /** The removal guard's reasons (desired/RemovalGuard), in words. */
  var HOLD_REASONS = {
    AllServicesRemoved: 'its newest snapshot declares none of its services any more',
    TooManyServicesRemoved: 'its newest snapshot removes more than the allowed share of its services in one change',
    EmptyAtStart: 'its first read since the operator started declares no service at all; the operator keeps no '
      + 'snapshot across restarts, so it cannot tell an empty source from one emptied while it was down'
  };
  var SHOWN_REMOVED = 10;
  var SHOWN_HOOKS = 6;
  var SHOWN_MEASUREMENTS = 8;

  var cards = new Map();      // service name -> { key, el }
  var phases = new Map();     // service name -> last phase seen
  var results = new Map();    // service name -> { text, kind, status }
  var holdsKey = null;        // what the held-source banner was drawn from
  var holdResult = null;      // the answer to the latest Confirm: { text, kind, status }
  var memoryToken = '';       // when sessionStorage is unavailable

  function $(id) { return document.getElementById(id); }

  /** An element with attributes and children; strings become text nodes, never markup. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') node.textContent = String(v);
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // ---- token -------------------------------------------------------------------------------------

  function token() {
    try { return window.sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return memoryToken; }
  }

  function setToken(value) {
    memoryToken = value;
    try {
      if (value) window.sessionStorage.setItem(TOKEN_KEY, value);
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* private mode: memory only */ }
    showTokenState();
  }

  function showTokenState() {
    var state = $('token-state');
    if (token()) {
      state.textContent = 'Token set for this tab (sessionStorage; gone when the tab closes).';
      state.className = 'token-state set';
    } else {
      state.textContent = 'No token: the buttons will be refused.';
      state.className = 'token-state';
    }
  }

  function headers() {
    var h = { Accept: 'application/json' };
    var t = token();
    if (t) h.Authorization = 'Bearer ' + t;
    return h;
  }

  // ---- formatting --------------------------------------------------------------------------------

  function time(iso) {
    if (!iso) return '—';
    return String(iso).replace('T', ' ').replace(/(\.\d+)?Z$/, 'Z');
  }

  function number(v) {
    if (v === null || v === undefined) return '—';
    var n = Number(v);
    if (!isFinite(n)) return String(v);
    if (Number.isInteger(n)) return String(n);
    return String(parseFloat(n.toPrecision(4)));
  }

  function mono(text) {
    return { cls: 'mono nowrap', text: text === null || text === undefined ? '—' : text };
  }

  function badge(kind, value, text, field) {
    return el('span', { class: 'badge ' + kind + '-' + value, 'data-field': field, text: text || value });
  }

  // ---- rendering ---------------------------------------------------------------------------------

  /** What decides whether a card is redrawn: the view without the time of the latest pass. */
  function cardKey(svc) {
    var copy = Object.assign({}, svc);
    if (copy.status) {
      copy.status = Object.assign({}, copy.status);
      delete copy.status.lastReconcileTime;
    }
    return JSON.stringify(copy) + '|' + JSON.stringify(results.get(svc.name) || null);
  }

  function phaseOf(svc) {
    return svc.status && svc.status.phase ? svc.status.phase : null;
  }

  /** What a revision runs and where it came from ("greeter:2.0.0 from git 1a2b3c4 ..."), or '' when unknown. */
  function runs(rev, st) {
    var l = st && st.revisions && rev ? st.revisions[rev] : null;
    return l && l.text ? l.text : '';
  }

  /** The revision's images ("greeter:2.0.0"), or the revision id when they are unknown. */
  function shortName(rev, st) {
    var l = st && st.revisions && rev ? st.revisions[rev] : null;
    return l && l.images && l.images.length ? l.images.join(', ') : rev;
  }

  function revisionRole(rev, st) {
    if (st && rev === st.activeRevision) return { cls: 'rev-blue', role: 'blue, active' };
    if (st && rev === st.desiredRevision) return { cls: 'rev-green', role: 'green, desired' };
    return { cls: 'rev-other', role: 'other' };
  }

  function weightBar(title, listener, weights, st, name) {
    var entries = Object.keys(weights || {}).map(function (rev) { return [rev, Number(weights[rev]) || 0]; });
    entries.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
    var summary = entries.length
      ? entries.map(function (e) { return e[0] + ' ' + e[1] + '%'; }).join(', ')
      : 'no traffic';
    var bar = el('div', {
      class: 'bar', 'data-bar': listener, role: 'img',
      'aria-label': title + ' traffic of ' + name + ': ' + summary
    });
    var legend = el('ul', { class: 'legend', 'data-legend': listener });
    entries.forEach(function (e) {
      var r = revisionRole(e[0], st);
      if (e[1] > 0) {
        var seg = el('div', {
          class: 'segment ' + r.cls, 'data-revision': e[0], 'data-weight': e[1],
          title: e[0] + (runs(e[0], st) ? ' ' + runs(e[0], st) : '') + ' (' + r.role + '): ' + e[1] + '%', 'aria-hidden': 'true',
          text: e[1] >= 15 ? shortName(e[0], st) + ' ' + e[1] + '%' : e[1] + '%'
        });
        seg.style.width = e[1] + '%';
        bar.appendChild(seg);
      }
      legend.appendChild(el('li', { 'data-revision': e[0], 'data-weight': e[1] },
        el('span', { class: 'swatch ' + r.cls, 'aria-hidden': 'true' }),
        el('span', { class: 'mono', text: e[0] }), ' ' + e[1] + '% (' + r.role + ')',
        runs(e[0], st) ? el('span', { class: 'runs', 'data-field': 'runs', text: ' ' + runs(e[0], st) }) : null));
    });
    if (!entries.length) bar.appendChild(el('span', { class: 'none', text: 'no traffic' }));
    return el('div', { class: 'weights', 'data-weights': listener },
      el('div', { class: 'weights-title', text: title + ' listener' }), bar, legend);
  }

  function table(field, columns, rows) {
    var head = el('tr');
    columns.forEach(function (c) { head.appendChild(el('th', { scope: 'col', text: c })); });
    var body = el('tbody');
    rows.forEach(function (cells) {
      var tr = el('tr');
      cells.forEach(function (cell) {
        if (cell && typeof cell === 'object' && cell.nodeType) tr.appendChild(el('td', null, cell));
        else if (cell && typeof cell === 'object' && cell.detail !== undefined) {
          // long texts (a hook's answer) are clamped to a few lines; the whole text is in the tooltip
          tr.appendChild(el('td', { class: 'detail' }, el('span', { class: 'clamp', title: cell.detail, text: cell.detail })));
        } else if (cell && typeof cell === 'object') tr.appendChild(el('td', { class: cell.cls, text: cell.text }));
        else tr.appendChild(el('td', { text: cell === null || cell === undefined ? '—' : cell }));
      });
      body.appendChild(tr);
    });
    return el('div', { class: 'table-wrap' }, el('table', { 'data-table': field }, el('thead', null, head), body));
  }

  function section(title, field, content, emptyText) {
    var s = el('section', { class: 'part', 'data-section': field }, el('h3', { text: title }));
    s.appendChild(content || el('p', { class: 'none-yet', text: emptyText }));
    return s;
  }

  function fact(dl, label, field, value) {
    dl.appendChild(el('dt', { text: label }));
    dl.appendChild(el('dd', { 'data-field': field, class: 'mono', text: value === null || value === undefined ? '—' : value }));
  }

  function renderService(svc) {
    var st = svc.status || null;
    var phase = phaseOf(svc);
    var name = svc.name;
    var titleId = 'title-' + name;
    var orphaned = svc.state === 'ORPHANED' || phase === 'Orphaned';
    var card = el('article', {
      class: 'service' + (orphaned ? ' orphaned' : ''), id: 'service-' + name, 'data-service': name,
      'data-phase': phase || 'Pending', 'data-orphaned': orphaned ? 'true' : null, 'aria-labelledby': titleId
    });

    var what = [svc.strategy, svc.promotion ? svc.promotion + ' promotion' : null,
      svc.cluster && svc.service ? svc.cluster + '/' + svc.service : null].filter(Boolean).join(' · ');
    var head = el('header', { class: 'service-head' },
      el('h2', { id: titleId, text: name }),
      badge('phase', phase || 'Pending', phase || 'not reconciled yet', 'phase'),
      what ? el('span', { class: 'what', text: what }) : null,
      orphaned ? el('span', { class: 'badge state-orphaned', 'data-field': 'state', text: 'ORPHANED' })
        : svc.state && svc.state !== 'READY' ? el('span', { class: 'badge phase-Invalid', 'data-field': 'state', text: svc.state }) : null);
    card.appendChild(head);
    if (orphaned) {
      card.appendChild(el('p', { class: 'orphan-note', 'data-field': 'orphaned',
        text: 'Orphaned: no file in the sources declares ' + name + ' any more. It is still watched (green\'s health, '
          + 'the rollback alarms and the analysis still roll it back) but takes no new step, and nothing is deleted in AWS. '
          + 'Restore its file to resume it.' }));
    }

    if (st) {
      card.appendChild(el('p', { class: 'reason', 'data-field': 'reason' },
        el('span', { class: 'code', text: st.reason || '' }), st.message ? ' — ' + st.message : ''));
      if (st.consecutiveFailures > 0) {
        var reconciling = (st.conditions || []).filter(function (c) { return c.type === 'Reconciling' && !c.status; })[0];
        card.appendChild(el('p', { class: 'warning', 'data-field': 'failures',
          text: (st.consecutiveFailures === 1 ? 'The latest pass failed' : st.consecutiveFailures + ' passes in a row failed')
            + (reconciling && reconciling.message ? ': ' + reconciling.message : '') }));
      }
    } else {
      card.appendChild(el('p', { class: 'reason', 'data-field': 'reason', text: 'Waiting for the first pass.' }));
    }

    var dl = el('dl', { class: 'facts' });
    fact(dl, 'Active revision', 'active-revision', st && st.activeRevision);
    fact(dl, 'Active runs', 'active-runs', st && st.activeRevision ? runs(st.activeRevision, st) || 'not known yet' : null);
    fact(dl, 'Desired revision', 'desired-revision', st && st.desiredRevision);
    fact(dl, 'Desired runs', 'desired-runs', st && st.desiredRevision ? runs(st.desiredRevision, st) || 'not known yet' : null);
    fact(dl, 'Step', 'step', st && st.steps > 0 ? 'Step ' + st.step + ' of ' + st.steps : 'none');
    fact(dl, 'Phase since', 'since', st && time(st.lastTransitionTime));
    // with leases on (several replicas), the replica holding the service's lease: the only one that writes to it
    var owner = svc.owner || (st && st.owner);
    if (owner) fact(dl, 'Owner', 'owner', owner);
    card.appendChild(dl);

    card.appendChild(weightBar('Production', 'production', st && st.productionWeights, st, name));
    card.appendChild(weightBar('Test', 'test', st && st.testWeights, st, name));

    var actions = el('div', { class: 'actions', role: 'group', 'aria-label': 'Commands for ' + name });
    COMMANDS.forEach(function (c) {
      var allowed = phase !== null && c.phases.indexOf(phase) >= 0;
      var b = el('button', {
        type: 'button', class: 'cmd cmd-' + c.name, id: c.name + '-' + name, 'data-command': c.name,
        'data-service': name, 'aria-label': c.label + ' ' + name, disabled: !allowed,
        title: allowed ? c.label + ' ' + name + ' (needs the API token)' : c.label + ' applies in ' + c.phases.join(', ')
      }, c.label);
      b.addEventListener('click', function () { send(name, c); });
      actions.appendChild(b);
    });
    card.appendChild(actions);
    var result = results.get(name);
    card.appendChild(el('p', {
      class: 'command-result' + (result ? ' ' + result.kind : ''), 'data-field': 'command-result',
      'data-status': result ? result.status : null, text: result ? result.text : ''
    }));

    if (svc.problems && svc.problems.length) {
      var problems = el('ul', { class: 'problems', 'data-field': 'problems' });
      svc.problems.forEach(function (p) { problems.appendChild(el('li', { text: p })); });
      card.appendChild(section('Problems in the files', 'problems', problems));
    }

    var hooks = st && st.hooks ? st.hooks.slice(0, SHOWN_HOOKS) : [];
    card.appendChild(section('Latest hooks', 'hooks', hooks.length ? table('hooks',
      ['Hook', 'Point', 'Revision', 'Outcome', 'Attempts', 'Took', 'Started', 'Detail'],
      hooks.map(function (h) {
        return [h.name + ' (' + h.kind + ')', h.point, mono(h.revision), badge('outcome', h.outcome), h.attempts,
          h.duration, mono(time(h.startedAt)), { detail: h.detail || '' }];
      })) : null, 'No hook has run yet.'));

    var measurements = st && st.analysis ? st.analysis.slice(0, SHOWN_MEASUREMENTS) : [];
    card.appendChild(section('Latest analysis', 'analysis', measurements.length ? table('analysis',
      ['Check', 'Kind', 'Verdict', 'Value', 'Threshold', 'At', 'Detail'],
      measurements.map(function (m) {
        return [m.check, m.kind, badge('verdict', m.verdict), mono(number(m.value)), mono(m.threshold),
          mono(time(m.at)), { detail: m.detail || '' }];
      })) : null, 'No measurement yet.'));

    var history = st && st.history ? st.history : [];
    card.appendChild(section('Rollout history', 'history', history.length ? table('history',
      ['Revision', 'Runs', 'From', 'Started', 'Ended', 'Outcome', 'Why'],
      history.map(function (r) {
        return [mono(r.revision), { detail: runs(r.revision, st) }, mono(r.from), mono(time(r.startedAt)), mono(r.endedAt ? time(r.endedAt) : 'in progress'),
          badge('outcome', r.outcome || 'InProgress', r.outcome || 'in progress'), { detail: r.why || '' }];
      })) : null, 'No rollout yet.'));

    if (st && st.conditions && st.conditions.length) {
      var conditions = el('ul', { class: 'conditions', 'data-field': 'conditions' });
      st.conditions.forEach(function (c) {
        conditions.appendChild(el('li', { 'data-condition': c.type },
          el('strong', { text: c.type }), ' ' + (c.status ? 'True' : 'False') + ' (' + (c.reason || '') + ')'
            + (c.message ? ': ' + c.message : '')));
      });
      card.appendChild(section('Conditions', 'conditions', conditions));
    }
    return card;
  }

  function renderSources(sources) {
    var node = $('sources');
    node.textContent = '';
    (sources || []).forEach(function (s, i) {
      if (i > 0) node.appendChild(document.createTextNode(' · '));
      // a held source reads fine but is not in force: "held" rather than "healthy"
      var text = s.source + (!s.healthy ? ': ' + (s.error || 'failing') : s.hold ? ': held (' + s.hold.reason + ')' : ': healthy')
        + (s.invalidFiles && s.invalidFiles.length ? ', ' + s.invalidFiles.length + ' invalid file(s)' : '');
      node.appendChild(el('span', { class: s.healthy && !s.hold ? 'ok' : 'bad', 'data-source': s.source, text: text }));
    });
  }

  // ---- held sources -----------------------------------------------------------------------------

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function names(list) {
    var shown = list.slice(0, SHOWN_REMOVED).join(', ');
    return list.length > SHOWN_REMOVED ? shown + ' and ' + (list.length - SHOWN_REMOVED) + ' more' : shown;
  }

  /** How long ago, as people read it: 42 s, 5 min, 3 h, 2 d. */
  function ago(iso) {
    var seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (!isFinite(seconds)) return '';
    if (seconds < 120) return seconds + ' s';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
    return Math.round(seconds / 86400) + ' d';
  }

  /** What a confirmation of the hold does, in the words of the prompt and the button. */
  function orphaning(s) {
    var removed = s.hold.removed || [];
    if (!removed.length) {
      return 'No service will be orphaned: since the operator started, ' + s.source + ' has declared none. Services in AWS '
        + 'that it declared before the restart are not watched either way.';
    }
    return plural(removed.length, 'service', 'services') + ' will be orphaned: ' + names(removed) + '. '
      + (removed.length === 1 ? 'It stays' : 'They stay') + ' watched (health, alarms and analysis still roll back) but '
      + 'take' + (removed.length === 1 ? 's' : '') + ' no new step. Nothing is deleted in AWS.';
  }

  function renderHold(s) {
    var hold = s.hold;
    var removed = hold.removed || [];
    var box = el('div', { class: 'hold', role: 'group', 'aria-labelledby': 'hold-title-' + s.source,
      'data-held-source': s.source, 'data-reason': hold.reason, 'data-removals': removed.length });
    box.appendChild(el('h2', { id: 'hold-title-' + s.source, text: 'Source ' + s.source + ' is held' }));
    var summary = removed.length
      ? 'Its newest snapshot would remove ' + plural(removed.length, 'service', 'services') + ' of '
        + s.services + ': ' + names(removed) + '.'
      : 'It declares no service at all on its first read since the operator started.';
    box.appendChild(el('p', { 'data-field': 'hold-summary', text: summary + ' The last good snapshot stays in force.' }));
    var since = el('span', { 'data-field': 'hold-age', 'data-since': hold.since, text: ago(hold.since) });
    box.appendChild(el('p', { 'data-field': 'hold-since' }, 'Held since ', el('span', { class: 'mono', text: time(hold.since) }),
      ' (', since, ' ago), revision ', el('span', { class: 'mono', text: hold.revision || '—' }), '.'));
    box.appendChild(el('p', { 'data-field': 'hold-why' }, el('span', { class: 'code', text: hold.reason }),
      ': ' + (HOLD_REASONS[hold.reason] || hold.message || '') + '.'));
    box.appendChild(el('p', { 'data-field': 'hold-todo' },
      'What to do: if the files went by mistake, restore them; the hold ends by itself at the next read. '
        + 'If the removal is intended, confirm it with the button (it needs the API token) or run ',
      el('code', { 'data-field': 'hold-command', text: 'bluegreen sources confirm ' + s.source }), '.'));
    var button = el('button', { type: 'button', class: 'cmd cmd-confirm', 'data-confirm-source': s.source,
      'aria-label': 'Confirm the removal held for ' + s.source,
      title: 'Confirm the removal held for ' + s.source + ' (needs the API token)' },
      removed.length ? 'Confirm: orphan ' + plural(removed.length, 'service', 'services') : 'Confirm the empty source');
    button.addEventListener('click', function () { confirmHold(s); });
    box.appendChild(el('div', { class: 'actions' }, button));
    return box;
  }

  /** The banner above everything: each held source, why, since when, and what to do. */
  function renderHolds(sources) {
    var node = $('holds');
    var held = (sources || []).filter(function (s) { return s.hold; });
    var key = JSON.stringify(held.map(function (s) { return [s.source, s.services, s.hold]; })) + '|' + JSON.stringify(holdResult);
    if (key !== holdsKey) {
      var focused = document.activeElement;
      var refocus = focused && node.contains(focused) && focused.getAttribute('data-confirm-source');
      node.textContent = '';
      held.forEach(function (s) { node.appendChild(renderHold(s)); });
      if (holdResult) {
        node.appendChild(el('p', { class: 'command-result ' + holdResult.kind, 'data-field': 'hold-result',
          'data-status': String(holdResult.status), text: holdResult.text }));
      }
      node.hidden = !held.length && !holdResult;
      node.className = 'holds' + (held.length ? ' active' : '');
      holdsKey = key;
      if (refocus) {
        var again = node.querySelector('[data-confirm-source="' + refocus + '"]');
        if (again) again.focus();
      }
    } else {
      Array.prototype.forEach.call(node.querySelectorAll('[data-field=hold-age]'), function (span) {
        span.textContent = ago(span.getAttribute('data-since'));
      });
    }
  }

  function setHoldResult(result) {
    holdResult = result;
    holdsKey = null;
    announce(result.text);
  }

  function confirmHold(s) {
    var prompt = 'Confirm the removal held for source ' + s.source + '?\n\n' + orphaning(s)
      + '\n\nThe held snapshot (revision ' + (s.hold.revision || 'unknown') + ') takes effect now.';
    if (!window.confirm(prompt)) {
      setHoldResult({ kind: 'pending', status: 'cancelled', text: 'Confirmation for ' + s.source + ' cancelled; still held.' });
      poll();
      return;
    }
    var sentWithToken = !!token();
    post('api/v1/sources/confirm?source=' + encodeURIComponent(s.source)).then(function (answer) {
      var body = answer.body;
      var status = answer.status;
      if (status === 200) {
        var n = (s.hold.removed || []).length;
        return { kind: 'ok', status: status, text: 'Confirmed: the held snapshot of ' + s.source + ' is in force; '
          + (n ? plural(n, 'service is', 'services are') + ' orphaned and still watched.' : 'no service was orphaned.') };
      }
      if (status === 401) {
        return { kind: 'error', status: status, text: 'Confirm refused (401): '
          + (sentWithToken ? 'the operator did not accept the API token set for this tab; check it and enter it again.'
            : 'this needs the operator\'s API token; enter it above.') };
      }
      if (status === 409) {
        return { kind: 'error', status: status, text: 'Confirm refused (409): ' + s.source
          + ' is not held any more (its files returned, or someone confirmed first).' };
      }
      var message = body && body.message ? body.message : '';
      return { kind: 'error', status: status, text: 'Confirm failed: HTTP ' + status + (message ? ': ' + message : '') };
    }).catch(function (e) {
      return { kind: 'error', status: 'network', text: 'Confirm not sent: ' + (e && e.message ? e.message : e) };
    }).then(function (result) {
      setHoldResult(result);
      poll();
    });
  }

  /** The reconcile queue: services ready for a pass that no worker took yet, and the oldest wait. */
  function renderQueue(queue) {
    var node = $('queue');
    if (!queue) { node.textContent = ''; return; }
    node.setAttribute('data-ready', String(queue.ready));
    node.textContent = queue.ready > 0
      ? 'Queue: ' + queue.ready + ' service(s) waiting for a pass, the oldest for ' + Math.round(queue.oldestWaitSeconds) + ' s'
      : 'Queue: empty';
  }

  function render(data) {
    var container = $('services');
    var services = data && Array.isArray(data.services) ? data.services : [];
    var seen = new Set();
    var changes = [];
    services.forEach(function (svc, i) {
      seen.add(svc.name);
      var key = cardKey(svc);
      var card = cards.get(svc.name);
      if (!card || card.key !== key) {
        var fresh = renderService(svc);
        if (card) {
          var focused = document.activeElement;
          var refocus = focused && card.el.contains(focused) && focused.getAttribute('data-command');
          container.replaceChild(fresh, card.el);
          if (refocus) {
            var again = fresh.querySelector('[data-command="' + refocus + '"]');
            if (again && !again.disabled) again.focus();
          }
        }
        card = { key: key, el: fresh };
        cards.set(svc.name, card);
      }
      if (container.children[i] !== card.el) container.insertBefore(card.el, container.children[i] || null);
      var phase = phaseOf(svc);
      var before = phases.get(svc.name);
      if (before !== undefined && before !== phase) changes.push(svc.name + ': ' + (before || 'new') + ' → ' + (phase || 'pending'));
      phases.set(svc.name, phase);
    });
    Array.from(cards.keys()).forEach(function (name) {
      if (!seen.has(name)) {
        container.removeChild(cards.get(name).el);
        cards.delete(name);
        phases.delete(name);
      }
    });
    if (changes.length) announce(changes.join('; '));
    $('empty').hidden = services.length > 0;
    container.setAttribute('aria-busy', 'false');
    renderMeta(data);
  }

  /** What the page shows above the services whatever the view: held sources, sources, queue, when. */
  function renderMeta(data) {
    renderHolds(data && data.sources);
    renderSources(data && data.sources);
    renderQueue(data && data.queue);
    $('updated').textContent = 'Updated ' + new Date().toLocaleTimeString();
  }

  function announce(text) {
    $('live').textContent = text;
  }

  function showProblem(text) {
    var p = $('problem');
    p.textContent = text;
    p.hidden = false;
  }

  function clearProblem() {
    var p = $('problem');
    p.hidden = true;
    p.textContent = '';
  }

  // ---- polling: overview.js reads what the view shows (the overview, or the open service) ------

  function poll() {
    if (window.BlueGreenOverview) window.BlueGreenOverview.refresh();
  }

  // ---- commands ----------------------------------------------------------------------------------

  /** A same-origin POST with the token header: resolves to { status, body } (body null unless JSON). */
  function post(path) {
    var req;
    try {
      req = fetch(path, { method: 'POST', headers: headers(), cache: 'no-store', credentials: 'same-origin' });
    } catch (e) {
      req = Promise.reject(e);
    }
    return req.then(function (res) {
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        return { status: res.status, body: body };
      });
    });
  }

  function setResult(name, result) {
    results.set(name, result);
    var card = cards.get(name);
    if (card) {
      var p = card.el.querySelector('[data-field="command-result"]');
      p.textContent = result.text;
      p.className = 'command-result ' + result.kind;
      p.setAttribute('data-status', String(result.status));
    }
    announce(result.text);
  }

  function send(name, command) {
    var sentWithToken = !!token();
    setResult(name, { text: command.label + ' ' + name + ': sending…', kind: 'pending', status: 'pending' });
    post('api/v1/services/' + encodeURIComponent(name) + '/' + command.name).then(function (answer) {
      var body = answer.body;
      var message = body && body.message ? body.message : '';
      var status = answer.status;
      if (status === 202) {
        return { kind: 'ok', status: status, text: message || command.name + ' accepted for ' + name };
      }
      if (status === 401) {
        return { kind: 'error', status: status, text: command.label + ' refused (401): '
          + (sentWithToken ? 'the operator did not accept the API token set for this tab; check it and enter it again.'
            : 'this needs the operator\'s API token; enter it above.') };
      }
      if (status === 409) {
        return { kind: 'error', status: status, text: command.label + ' refused (409): ' + (message || 'not in this phase') };
      }
      if (status === 404) {
        return { kind: 'error', status: status, text: command.label + ' failed (404): ' + (message || 'no service named ' + name) };
      }
      return { kind: 'error', status: status, text: command.label + ' failed: HTTP ' + status + (message ? ': ' + message : '') };
    }).catch(function (e) {
      return { kind: 'error', status: 'network', text: command.label + ' not sent: ' + (e && e.message ? e.message : e) };
    }).then(function (result) {
      setResult(name, result);
      poll();
    });
  }

  // ---- start -------------------------------------------------------------------------------------

  function start() {
    $('token-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var field = $('token');
      var value = field.value.trim();
      field.value = '';
      if (/[^\x21-\x7e]/.test(value)) {
        showProblem('An API token is printable ASCII without spaces; that one was not kept.');
        return;
      }
      setToken(value);
      announce(value ? 'Token set for this tab.' : 'Token cleared.');
      poll();
    });
    $('token-forget').addEventListener('click', function () {
      setToken('');
      $('token').value = '';
      announce('Token forgotten.');
    });
    document.addEventListener('visibilitychange', function () { if (!document.hidden) poll(); });
    showTokenState();
    poll();
  }

  /** For overview.js: the card, the banners and the helpers, so that both draw alike. */
  window.BlueGreenDashboard = {
    el: el, badge: badge, table: table, mono: mono, time: time, ago: ago, headers: headers, render: render, renderMeta: renderMeta,
    announce: announce, showProblem: showProblem, clearProblem: clearProblem
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
