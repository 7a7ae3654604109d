// Changing a cluster: send, which sends a change (or its preview) and writes its result (showResult: the sentence, and the
// command it wrote linked beside it), and CHANGES, each form's command. Loaded before console.js, whose DOMContentLoaded wires
// the forms to them; approvals.js and offsets.js send their own.
'use strict';

// unchangedSinceVersion (withVersion): refused if someone changed the cluster since the page showed it;
// what the executor records meanwhile (every few seconds during a roll) is no conflict.
// A dry run (preview) writes nothing: it shows the decision and the fields the command would change.
async function send(type, payload, withVersion, { clusterId = console_.selected, out = $('result'), preview = false } = {}) {
  const command = { clusterId, type, payload };
  if (withVersion && console_.cluster) { command.unchangedSinceVersion = console_.cluster.version; }
  showResult(out, 'muted', (preview ? 'previewing ' : 'sending ') + type + '...');
  const r = await api(preview ? '/v1/commands?dryRun=true' : '/v1/commands?wait=true',
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(command) });
  const b = r.body || {};
  const would = preview ? ' would be' : '';
  // the command written, linked beside the result; a preview and a refusal (4xx with an error) wrote none
  const written = preview ? null : b.commandId;
  if (written) { loadHistoryWith(clusterId, written); } // so that its link finds its row
  if (r.status === 200) {
    showResult(out, 'ok', type + (preview ? ' would be accepted as version ' : ' accepted: version ') + b.version, written);
    // the gateway had not read the new state when it answered: the page shows it once the watch brings it
    if (b.readModelBehind) { out.textContent += ' (this gateway still had version ' + b.readModelBehind.version + ' when it answered)'; }
    // an approval, veto or withdrawal: what became of the proposal (an approved change may still be refused, decided again)
    if (b.proposal) {
      out.textContent += '; ' + b.proposal.type + ' proposed by ' + b.proposal.issuer + ': ' + b.proposal.state
        + (b.proposal.state === 'PENDING' ? ', ' + b.awaitingApprovals + ' more approval(s) to go' : '')
        + (b.proposal.reason ? ' (' + b.proposal.reason + ')' : '');
      if (b.proposal.state === 'REFUSED') { out.className = 'error'; }
    }
    if (preview) {
      (b.changes || []).forEach(c => {
        out.appendChild(document.createElement('br'));
        out.appendChild(document.createTextNode(c.path + ': ' + JSON.stringify(c.before) + ' \u2192 ' + JSON.stringify(c.after)));
      });
    }
    return !preview;
  } else if (r.status === 202 && b.awaitingApprovals) {
    // recorded as a proposal under the cluster's approval policy: nothing changes until others approve it
    showResult(out, 'muted', type + (preview ? ' would wait' : ' recorded, waiting') + ' for ' + b.awaitingApprovals + ' approval'
      + (b.awaitingApprovals === 1 ? '' : 's') + ' by someone else', written);
    return !preview;
  } else if (r.status === 202) {
    showResult(out, 'muted', type + ' written, not decided yet', written);
  } else if ((r.status === 409 || r.status === 422) && b.error === undefined) {
    // a decision; a 409 with an error (NODES_BEHIND: fold nodes not upgraded yet) was refused before anything was written
    showResult(out, 'error', type + would + ' rejected, ' + b.code + ': ' + b.reason, written);
  } else {
    showResult(out, 'error', type + ' refused (' + r.status + (b.field ? ', ' + b.field : '') + '): ' + (b.error || 'no reason given'));
  }
  return false;
}

// A change's result: its sentence in out and, in the element beside it (out's id and -command), the command it wrote as a
// link to the command's History row (commands.js), as everywhere the page names a command; nothing there without one
function showResult(out, className, text, commandId) {
  out.className = className;
  out.textContent = text;
  writeWithCommands($(out.id + '-command'), commandId ? ['command ', commandRef(commandId)] : []);
}

function typedWindows() {
  return $('windows-text').value.split('\n').map(w => w.trim()).filter(Boolean);
}

// an empty box (blank lines too) is not "any time": the form is invalid unless that is ticked, so windows
// forgotten or deleted by mistake clear nothing; ticked, the box is set aside
function checkWindows() {
  const anyTime = $('windows-any-time').checked;
  $('windows-text').disabled = anyTime;
  $('windows-text').setCustomValidity(anyTime || typedWindows().length
    ? '' : 'Type the windows, one per line, or tick "any time" to remove every window');
}

// Each change form: the command it sends, and whether it carries the version the page shows.
const CHANGES = {
  'scale-form': () => ['ScaleBrokers', { brokers: Number($('scale-brokers').value) }, true],
  'upgrade-form': () => ['UpgradeKafka', { kafkaVersion: $('upgrade-version').value.trim() }, true],
  'component-form': () => {
    const component = $('component-name').value;
    const replicas = Number($('component-replicas').value);
    return replicas === 0 ? ['RemoveComponent', { component }, true] : ['SetComponent', { component, replicas }, true];
  },
  'resize-form': () => {
    const payload = { role: $('resize-role').value };
    [['cpuRequest', 'resize-cpu'], ['cpuLimit', 'resize-cpu-limit'], ['memory', 'resize-memory'], ['heap', 'resize-heap']]
      .forEach(([field, id]) => { const v = $(id).value.trim(); if (v) { payload[field] = v; } });
    return ['UpdateResources', payload, true];
  },
  'storage-form': () => ['ExpandStorage', { size: $('storage-size').value.trim() }, true],
  // the throttle is typed in MiB/s, how people think of replication rates; left empty, the installation's applies.
  // Carries the page's version: a rebalance is asked for against the brokers the page shows
  'rebalance-form': () => {
    const payload = {};
    const reason = $('rebalance-reason').value.trim();
    const throttle = $('rebalance-throttle').value.trim();
    if (reason) { payload.reason = reason; }
    if (throttle) { payload.throttleBytesPerSecond = Number(throttle) * MIB; }
    return ['RebalanceCluster', payload, true];
  },
  // carries the page's version, as the other cluster-wide changes do: what the page shows is what it was asked against
  'ca-form': () => {
    const reason = $('ca-reason').value.trim();
    return ['ReplaceClusterCa', reason ? { reason } : {}, true];
  },
  // carries the page's version: the step is chosen from the setting the page shows, and a step taken meanwhile
  // by someone else is refused rather than followed by a second one
  'client-auth-form': () => ['ChangeClientAuthentication', { clientAuthentication: $('client-auth-setting').value }, true],
  // carries the page's version: the windows replace the ones the page shows (checkWindows keeps an empty box from clearing them)
  // carries the page's version: the labels replace the ones the page shows
  'labels-form': () => ['SetClusterLabels', { labels: typedLabels() }, true],
  'policy-form': approvalPolicyCommand,
  'windows-form': () => ['SetMaintenanceWindows', { windows: $('windows-any-time').checked ? [] : typedWindows() }, true],
  // a new user may do nothing until its ACLs are set; its name is new, so the page's version is not what it was chosen against
  'user-form': () => ['CreateUser', { name: $('user-name').value.trim(), acls: [], authentication: $('user-authentication').value }, false],
  // the user chosen by its row; the page's version is not what a new password is chosen against
  'rotate-form': () => {
    const reason = $('rotate-reason').value.trim();
    return ['RotateUserPassword', Object.assign({ name: console_.user }, reason ? { reason } : {}), false];
  },
  'topic-form': () => ['CreateTopic', { name: $('topic-name').value.trim(), partitions: Number($('topic-partitions').value),
    replicationFactor: Number($('topic-replication').value) }, false],
  // carries the page's version, as the topic's count the person read is what the new total was chosen against
  'partitions-form': () => ['IncreasePartitions', { name: $('partitions-topic').value.trim(), partitions: Number($('partitions-count').value) }, true],
  // likewise: the factor was chosen against the brokers and the topic the page shows
  'replication-form': () => ['ChangeReplicationFactor', { name: $('replication-topic').value.trim(),
    replicationFactor: Number($('replication-factor').value) }, true],
  'reset-form': offsetResetCommand,
};

function operationCommand(type) {
  const op = console_.cluster && console_.cluster.status.operation;
  if (!op) { return; }
  const reason = $('operation-reason').value.trim();
  send(type, Object.assign({ operationId: op.operationId }, reason ? { reason } : {}), true);
}
