// The cluster view's approvals (four eyes), as cox approvals list shows them: the policy (spec.approvalPolicy), each
// change waiting for approvals (spec.proposals: what it would do, who asked, who approved so far, until when) with the
// buttons the signed-in person may use on it, and the latest outcomes (status.proposalOutcomes); and the policy form's
// command, and the create form's policy. Loaded before console.js, whose render calls showApprovals, whose CHANGES names
// approvalPolicyCommand and whose create form takes newClusterPolicy.
'use strict';

function showApprovals(c) {
  const policy = c.spec.approvalPolicy;
  writeWithCommands($('approval-policy'), policy && policy.rules.length
    ? [policy.rules.map(r => r.commands.join(', ') + ': ' + r.approvals + ' approval' + (r.approvals === 1 ? '' : 's')).join('; ')
      + ' by people other than the proposer; a proposal expires after ' + policy.expiresAfterHours + ' h (set by ' + policy.issuer
      + ' at ' + policy.setAt + ', command ', commandRef(policy.commandId), ')']
    : ['No approval policy: every change takes effect once accepted.']);
  const pending = Object.entries(c.spec.proposals || {});
  fill($('proposals').tBodies[0], pending, (tr, [id, p]) => {
    tr.dataset.command = id;
    cell(tr, p.type); cell(tr, what(p.command)); cell(tr, p.issuer); cell(tr, p.proposedAt);
    cell(tr, p.approvals.length + ' of ' + p.approvalsNeeded + (p.approvals.length ? ' (' + p.approvals.map(a => a.issuer).join(', ') + ')' : ''));
    cell(tr, p.expiresAt); commandCell(tr, id);
    const actions = tr.appendChild(document.createElement('td'));
    // the fold refuses the proposer's own approval and a second one by the same person: no button is offered for either;
    // the proposer may withdraw it, anyone else approve or reject it (the gateway checks their roles)
    const me = console_.principal;
    if (me === p.issuer) {
      button(actions, 'Withdraw', 'withdraw', () => decide('WithdrawProposal', id));
    } else if (!p.approvals.some(a => a.issuer === me)) {
      button(actions, 'Approve', 'approve', () => decide('ApproveCommand', id));
      button(actions, 'Reject', 'reject', () => decide('RejectProposal', id));
    } else {
      actions.textContent = 'approved by you';
      actions.className = 'muted';
    }
  });
  $('proposals').hidden = pending.length === 0;
  const ended = (c.status.proposalOutcomes || []).slice().reverse();
  fill($('proposal-outcomes').tBodies[0], ended, (tr, o) => {
    tr.dataset.command = o.commandId;
    cell(tr, o.type); cell(tr, o.state + (o.version ? ' (v' + o.version + ')' : '')); cell(tr, o.issuer);
    cell(tr, (o.approvers || []).join(', ')); cell(tr, o.by); cell(tr, o.at); commandCell(tr, o.commandId); cell(tr, o.reason);
  });
  $('proposal-outcomes').hidden = ended.length === 0;
  $('proposals-none').hidden = pending.length + ended.length > 0;
}

// the proposed command's own fields, as an approver must read them before approving
function what(command) {
  if (!command || typeof command !== 'object') { return 'stored in a schema this console cannot read: see cox approvals list'; }
  const payload = Object.assign({}, command.payload);
  delete payload.type;
  const version = command.unchangedSinceVersion ? ' (decided on version ' + command.unchangedSinceVersion + ')' : '';
  return JSON.stringify(payload) + version;
}

function button(parent, text, className, onClick) {
  const b = parent.appendChild(document.createElement('button'));
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  b.addEventListener('click', onClick);
}

// a rejection or a withdrawal says why; the reason box is shared by the rows' buttons
function decide(type, commandId) {
  const reason = $('proposal-reason').value.trim();
  if (type === 'RejectProposal' && !reason) {
    showResult($('result'), 'error', 'Say why in the reason box before rejecting: the proposer and the audit read it.');
    return;
  }
  send(type, Object.assign({ commandId }, reason ? { reason } : {}), false);
}

// One widget for a policy's fields, in the policy form and the create form: each slot gets a copy of the template, its
// inputs named after the slot's prefix. Before console.js's own listener, which wires the forms.
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('.approval-policy-fields').forEach(slot => {
    const fields = $('approval-policy-fields').content.cloneNode(true);
    fields.querySelectorAll('input').forEach(input => { input.id = slot.dataset.prefix + '-' + input.dataset.field; });
    slot.replaceWith(fields);
  });
});

// the policy the fields of that prefix describe, SetApprovalPolicy's payload and CreateCluster's approvalPolicy alike;
// no commands typed: no rules
function approvalPolicy(prefix) {
  const commands = $(prefix + '-commands').value.split(',').map(t => t.trim()).filter(Boolean);
  const policy = { rules: commands.length ? [{ commands, approvals: Number($(prefix + '-approvals').value) }] : [] };
  const hours = $(prefix + '-expires').value.trim();
  if (hours) { policy.expiresAfterHours = Number(hours); }
  return policy;
}

// the policy replaces the one the page shows, so it carries the page's version; no commands typed clears it
function approvalPolicyCommand() {
  return ['SetApprovalPolicy', approvalPolicy('policy'), true];
}

// a new cluster is born with a policy only when commands are typed; hours without them would quietly give none, so the
// form is invalid then, as cox create-cluster refuses --expires-after-hours without --require
function newClusterPolicy() {
  const policy = approvalPolicy('new-policy');
  $('new-policy-expires').setCustomValidity(policy.rules.length || !policy.expiresAfterHours
    ? '' : 'Name the changes needing approval, or leave the hours empty: without them the cluster has no approval policy');
  return policy.rules.length ? { approvalPolicy: policy } : {};
}
