// The cluster view's Connectors table: each connector asked for (connectors) beside what the Connect workers
// report of it (status.connectors), then the cluster's mirrors with their connectors' state, the connectors Coxswain
// leaves alone and why Connect could not be asked, as cox connector list and cox mirror list show them. Loaded before console.js, whose render calls showConnectors.
'use strict';

function showConnectors(c) {
  const seen = c.status.connectors || {};
  fill($('connectors').tBodies[0], Object.entries(c.connectors || {}), (tr, [name, asked]) => {
    const s = seen[name];
    tr.dataset.connector = name;
    tr.title = s && s.error ? s.error : '';
    cell(tr, name); cell(tr, asked.connectorClass); cell(tr, asked.state);
    cell(tr, s ? s.state : 'not yet observed'); cell(tr, s ? s.tasks + '/' + asked.tasksMax : '-');
    cell(tr, s ? s.failedTasks : '-'); cell(tr, carriedOut(asked.restart, s, 'restarted'));
    cell(tr, carriedOut(asked.offsetReset, s, 'offsetsReset')); cell(tr, s && s.error ? s.error : '');
  });
  // mirrors (SetMirror) run as connectors <name>-source and <name>-checkpoint: each with their state, or why it runs none
  const notRunnable = c.status.mirrorsNotRunnable || {};
  const mirrors = Object.entries((c.spec && c.spec.mirrors) || {}).map(([name, m]) => name + ' from ' + m.sourceCluster + ': '
    + (notRunnable[name] ? 'not runnable: ' + notRunnable[name]
      : [name + '-source', name + '-checkpoint'].filter(n => seen[n]).map(n => n + ' ' + seen[n].state).join(', ') || 'not yet observed'));
  $('connectors-mirrors').textContent = mirrors.length ? 'Mirrors: ' + mirrors.join('; ') : '';
  const unmanaged = c.status.unmanagedConnectors || [];
  $('connectors-unmanaged').textContent = unmanaged.length ? 'Not managed by Coxswain (left alone): ' + unmanaged.join(', ') : '';
  $('connectors-unreachable').textContent = c.status.connectUnreachable
    ? 'Connect unreachable: ' + c.status.connectUnreachable + ' (states as last observed)' : '';
}

// the latest RestartConnector or ResetConnectorOffsets: carried out once the report names its command
// (status.connectors.<name>.restarted or .offsetsReset, the field done)
function carriedOut(request, seen, done) {
  if (!request) { return '-'; }
  if (!seen || seen[done] !== request.commandId) { return 'pending'; }
  return seen[done + 'Refused'] ? 'refused: ' + seen[done + 'Refused'] : 'done';
}
