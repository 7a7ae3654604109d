// Coxswain's web console: plain JavaScript over the gateway's REST API, no build step.
// Every value from the API is written with textContent, never as HTML.
'use strict';

const TOKEN_KEY = 'coxswain.token';
const console_ = { token: sessionStorage.getItem(TOKEN_KEY), selected: null, cluster: null, watch: null, refresh: null, user: null,
  principal: null };
const $ = id => document.getElementById(id);

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: 'Bearer ' + console_.token, Accept: 'application/json' }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  return { status: response.status, body };
}

function cell(tr, text) {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null || text === '' ? '-' : String(text);
  tr.appendChild(td);
  return td;
}

function fill(tbody, rows, makeRow) {
  tbody.replaceChildren();
  rows.forEach(r => { const tr = document.createElement('tr'); makeRow(tr, r); tbody.appendChild(tr); });
}

// ---- signing in ------------------------------------------------------------------------------

async function signIn(token) {
  console_.token = token;
  const r = await api('/v1/whoami');
  if (r.status !== 200) {
    $('sign-in-error').textContent = r.status === 401
      ? 'The gateway does not know this token: use one from its tokens file.'
      : 'The gateway answered ' + r.status + ': ' + (r.body && r.body.error ? r.body.error : 'no reason given');
    console_.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  const me = r.body;
  console_.principal = me.principal;
  const roles = !me.rolesEnforced ? 'may issue every command'
    : me.roles.length === 0 ? (me.reads === 'by-role' ? 'no roles: may read nothing' : 'no roles: may read only')
    : 'roles: ' + me.roles.map(role => role.name).join(', ') + (me.reads === 'by-role' ? '; sees only the clusters they cover' : '');
  $('who').textContent = 'signed in as ' + me.principal + ' (' + roles + ')';
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  await loadClusters();
  console_.refresh = setInterval(loadClusters, 5000);
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
}

// ---- the clusters ----------------------------------------------------------------------------

async function loadClusters() {
  const path = clustersPath();
  const r = await api(path);
  if (path !== clustersPath()) { return; } // the filter changed meanwhile: its own answer follows
  showFilterProblem(r);
  if (r.status !== 200) { return; }
  $('clusters-empty').hidden = r.body.length > 0 || path !== '/v1/clusters';
  fill($('clusters').tBodies[0], r.body, (tr, c) => {
    tr.dataset.cluster = c.clusterId;
    tr.classList.toggle('selected', c.clusterId === console_.selected);
    cell(tr, c.clusterId); markStateNote(cell(tr, c.version), c.note); markBlocked(cell(tr, c.phase), c.blocked);
    [c.kafkaVersion, c.brokers, c.updatedAt, labelText(c.labels)].forEach(v => cell(tr, v));
    tr.addEventListener('click', () => select(c.clusterId));
  });
}

async function select(id) {
  console_.selected = id;
  if (console_.watch) { console_.watch.abort(); }
  showResult($('result'), '', '');
  console_.user = null;
  forgetShownCommand();
  $('cluster').hidden = false;
  const r = await api('/v1/clusters/' + encodeURIComponent(id));
  if (r.status === 200) { render(r.body); }
  await loadHistory(id);
  await loadClusters();
  watch(id);
}

// Whether the executor has acted on the latest change asked (status.reconciledIntentVersion, as cox get says it); what it
// refuses meanwhile is the Blocked fact below it (showBlocked)
function actedOn(c) {
  const intent = c.intentVersion || 0;
  const reconciled = c.status.reconciledIntentVersion || 0;
  if (intent <= 0) { return '-'; }
  return reconciled >= intent ? 'every change asked for (the latest at version ' + intent + ')'
    : 'not yet: the change at version ' + intent + (reconciled > 0 ? ' (the executor last acted on version ' + reconciled + ')' : '');
}

function render(c) {
  if (c.clusterId !== console_.selected) { return; }
  console_.cluster = c;
  $('c-id').textContent = c.clusterId;
  $('c-version').textContent = c.version;
  showStateNote(c);
  $('c-labels').textContent = labelText(c.spec.labels);
  if (document.activeElement !== $('labels-text')) { $('labels-text').value = labelLines(c.spec.labels); checkLabels(); }
  $('c-phase').textContent = c.status.phase;
  $('c-acted').textContent = actedOn(c);
  showBlocked(c);
  $('c-kafka').textContent = c.spec.kafkaVersion;
  $('c-controllers').textContent = c.spec.controllers;
  $('c-brokers').textContent = c.spec.brokers;
  $('c-sizing').textContent = sizing(c.spec.resources);
  $('c-storage').textContent = c.spec.storage.size + (c.spec.storage.storageClass ? ' (' + c.spec.storage.storageClass + ')' : '');
  $('c-bootstrap').textContent = c.status.bootstrapServers || '-';
  $('c-client-auth').textContent = CLIENT_AUTHENTICATION[c.spec.clientAuthentication] || c.spec.clientAuthentication;
  $('c-ca').textContent = clusterCa(c.status.ca);
  $('c-ca').title = c.status.ca ? c.status.ca.fingerprint : '';
  $('c-rebalance').textContent = pending(c.spec.rebalance, throttle);
  $('c-ca-replacement').textContent = pending(c.spec.caReplacement);
  const windows = c.spec.maintenanceWindows || [];
  $('c-windows').textContent = windows.length ? windows.join('; ') + ' (UTC)' : 'any time';
  writeWithCommands($('c-deferred'), deferred(c.status.deferred, windows));
  const op = c.status.operation;
  $('c-operation').textContent = op ? [op.operation, op.state, op.reason].filter(Boolean).join(' — ') : 'none';
  // a failed operation waits for a person: retry it at the failed step, or abandon it; a running one can only be abandoned
  $('operation-form').hidden = !op || (op.state !== 'FAILED' && op.state !== 'RUNNING');
  $('operation-retry').hidden = !op || op.state !== 'FAILED';
  if (document.activeElement !== $('scale-brokers')) { $('scale-brokers').value = c.spec.brokers; }
  if (document.activeElement !== $('upgrade-version')) { $('upgrade-version').value = c.spec.kafkaVersion; }
  if (document.activeElement !== $('storage-size')) { $('storage-size').value = c.spec.storage.size; }
  if (document.activeElement !== $('client-auth-setting')) { $('client-auth-setting').value = c.spec.clientAuthentication; }
  if (document.activeElement !== $('windows-text')) { $('windows-text').value = windows.join('\n'); checkWindows(); }
  // what was asked (spec) beside what runs (status): a component is listed from either
  const specs = c.spec.components || {};
  const statuses = c.status.components || {};
  const names = [...new Set([...Object.keys(specs), ...Object.keys(statuses)])].sort();
  fill($('components').tBodies[0], names, (tr, name) => {
    const spec = specs[name];
    const s = statuses[name];
    cell(tr, name); cell(tr, spec ? spec.replicas : 'removing'); cell(tr, spec ? spec.version : '');
    cell(tr, s ? s.ready + '/' + s.desired : 'not yet observed'); cell(tr, s ? (s.versions || []).join(', ') : '');
  });
  showConnectors(c);
  showOffsetResets(c);
  showApprovals(c);
  const replication = c.status.replication || {};
  const refusals = c.status.topicRefusals || {};
  // a topic Kafka refused to create or reconfigure as asked: its answer, until an UpdateTopicConfig fixes it or it is deleted
  fill($('topics').tBodies[0], Object.entries(c.topics || {}), (tr, [name, t]) => {
    tr.dataset.topic = name;
    cell(tr, name); cell(tr, t.partitions); cell(tr, t.replicationFactor + replicationChange(replication[name]));
    const refused = refusals[name];
    const kafka = cell(tr, refused ? 'refused since ' + refused.since + ': ' + refused.reason : '');
    kafka.className = refused ? 'error' : '';
  });
  // users exist only on clusters whose clientAuthentication is OPTIONAL or TLS; each rule as the authorizer reads it.
  // A row is selected for the password rotation below the table; its tooltip says where its credential stands
  const users = c.users || {};
  fill($('users').tBodies[0], Object.entries(users), (tr, [name, u]) => {
    tr.dataset.user = name;
    tr.classList.toggle('selected', name === console_.user);
    tr.title = plainText(credential(u));
    cell(tr, name); cell(tr, u.authentication || 'TLS');
    cell(tr, (u.acls || []).map(a => a.permission + ' ' + a.operations.join(',') + ' on ' + a.resourceType + ' '
      + (a.patternType === 'PREFIXED' ? a.name + '*' : a.name) + (a.host === '*' ? '' : ' from ' + a.host)).join('; ') || 'none: may do nothing');
    tr.addEventListener('click', () => selectUser(name));
  });
  $('users-hint').hidden = Object.keys(users).length === 0;
  showRotation(users[console_.user]);
}

function isScram(u) {
  return u.authentication === 'SCRAM-SHA-512';
}

// a SCRAM user's password: made at creation, or the latest RotateUserPassword's (users.<name>.passwordRotation), as parts
// naming its command: the row's tooltip has the whole id, the rotation form opened by the row links it to the History table
function credential(u) {
  if (!isScram(u)) { return ['a client certificate']; }
  const r = u.passwordRotation;
  return r ? ['password rotated at ' + r.requestedAt + ' (rotation ' + r.generation + ', command ', commandRef(r.commandId), ')'
    + (r.reason ? ' \u2014 ' + r.reason : '')] : ['password set at creation, never rotated'];
}

function selectUser(name) {
  console_.user = name;
  $('rotate-reason').value = '';
  [...$('users').tBodies[0].rows].forEach(tr => tr.classList.toggle('selected', tr.dataset.user === name));
  showRotation((console_.cluster.users || {})[name]);
}

// the rotation asks before it sends: the selected user's row opens this form, which says what will happen;
// a certificate user gets why it has nothing to rotate (Kafka cannot revoke a certificate) and no button
function showRotation(u) {
  const form = $('rotate-form');
  if (!u) { form.hidden = true; console_.user = null; return; }
  const scram = isScram(u);
  writeWithCommands($('rotate-user'), scram
    ? ['Rotate the password of ' + console_.user + ' (', ...credential(u), ') in the Secret ' + console_.cluster.clusterId + '-user-' + console_.user + '?']
    : [console_.user + ' authenticates with a client certificate: it has no password to rotate, and Kafka cannot revoke a certificate.'
      + ' To shut a leaked one out, replace the cluster CA (Replace CA below), or delete the user and create one of another name.']);
  [$('rotate-reason').parentElement, form.querySelector('button[type=submit]'), form.querySelector('button.preview'), $('rotate-note')]
    .forEach(e => { e.hidden = !scram; });
  form.hidden = false;
}

// Server-sent events with the token in a header: EventSource cannot send one, so read the stream.
async function watch(id) {
  const controller = new AbortController();
  console_.watch = controller;
  try {
    const response = await fetch('/v1/clusters/' + encodeURIComponent(id) + '/watch',
      { headers: { Authorization: 'Bearer ' + console_.token }, signal: controller.signal });
    if (response.status !== 200) { $('c-live').textContent = '(not live: ' + response.status + ')'; return; }
    $('c-live').textContent = '(live)';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) { break; }
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split('\n').filter(l => l.startsWith('data: ')).map(l => l.slice(6)).join('\n');
        // the list's row of the cluster followed (its phase, blocked keys, version) agrees with the view at once, not at the list's next 5 s load
        if (data) { render(JSON.parse(data)); loadHistory(id); loadClusters(); }
      }
    }
  } catch (e) {
    if (e.name === 'AbortError') { return; }
  }
  if (console_.watch === controller) { $('c-live').textContent = '(not live: the stream ended; select the cluster again)'; }
}

document.addEventListener('DOMContentLoaded', () => {
  $('operation-retry').addEventListener('click', () => operationCommand('RetryOperation'));
  $('operation-abandon').addEventListener('click', () => operationCommand('AbandonOperation'));
  $('sign-in-form').addEventListener('submit', e => { e.preventDefault(); signIn($('token').value.trim()); });
  $('sign-out').addEventListener('click', signOut);
  $('rotate-cancel').addEventListener('click', () => selectUser(null));
  const newCluster = () => Object.assign({ kafkaVersion: $('new-kafka').value.trim(), controllers: Number($('new-controllers').value),
    brokers: Number($('new-brokers').value), storage: { size: $('new-storage').value.trim() } }, newClusterPolicy());
  ['new-policy-commands', 'new-policy-expires'].forEach(id => $(id).addEventListener('input', newClusterPolicy));
  $('create-form').addEventListener('submit', async e => {
    e.preventDefault();
    const id = $('new-id').value.trim();
    const created = await send('CreateCluster', newCluster(), false, { clusterId: id, out: $('create-result') });
    if (created) { await select(id); }
  });
  $('create-form').querySelector('button.preview').addEventListener('click', () => {
    if ($('create-form').reportValidity()) {
      send('CreateCluster', newCluster(), false, { clusterId: $('new-id').value.trim(), out: $('create-result'), preview: true });
    }
  });
  $('windows-any-time').addEventListener('change', checkWindows);
  $('history-observations').addEventListener('change', () => { if (console_.selected) { loadHistory(console_.selected); } });
  $('windows-text').addEventListener('input', checkWindows);
  Object.entries(CHANGES).forEach(([formId, command]) => {
    const form = $(formId);
    form.addEventListener('submit', e => { e.preventDefault(); send(...command()); });
    form.querySelector('button.preview').addEventListener('click', () => {
      if (form.reportValidity()) {
        const [type, payload, withVersion] = command();
        send(type, payload, withVersion, { preview: true });
      }
    });
  });
  if (console_.token) { signIn(console_.token); }
});
