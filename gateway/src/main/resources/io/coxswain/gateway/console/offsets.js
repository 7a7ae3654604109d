// The cluster view's consumer group offset resets, as cox offsets list shows them: each reset pending
// (spec.offsetResets: what was asked, by whom, and whether the executor has logged its plan; a Cancel button until it
// is) and each group's
// latest outcome (status.offsetResets); and the reset form's command. Loaded before console.js, whose render
// calls showOffsetResets and whose CHANGES names offsetResetCommand.
'use strict';

function showOffsetResets(c) {
  const pending = Object.entries(c.spec.offsetResets || {});
  fill($('offset-resets').tBodies[0], pending, (tr, [group, r]) => {
    tr.dataset.group = group;
    cell(tr, group); cell(tr, target(r)); cell(tr, (r.topics || []).length ? r.topics.join(', ') : 'every topic it has offsets on');
    cell(tr, r.issuer); cell(tr, r.requestedAt);
    cell(tr, r.plannedAt ? planSize(r.plan) + ' partitions at ' + r.plannedAt : 'not yet'); cell(tr, r.reason); commandCell(tr, r.commandId);
    // once planned, the executor commits it within its next pass: a cancel would be refused, so none is offered
    const action = tr.appendChild(document.createElement('td'));
    if (!r.plannedAt) {
      const cancel = action.appendChild(document.createElement('button'));
      cancel.type = 'button';
      cancel.className = 'cancel-reset';
      cancel.textContent = 'Cancel';
      // carries the page's version: a cancel names only the group, so a newer reset of it asked meanwhile by someone
      // else is refused (VERSION_CONFLICT) rather than withdrawn unseen
      cancel.addEventListener('click', () => send('CancelConsumerGroupOffsetReset', { group }, true));
    }
  });
  $('offset-resets').hidden = pending.length === 0;
  const latest = Object.entries(c.status.offsetResets || {});
  fill($('offset-outcomes').tBodies[0], latest, (tr, [group, o]) => {
    tr.dataset.group = group;
    cell(tr, group); cell(tr, o.state); cell(tr, o.partitions); cell(tr, o.at); commandCell(tr, o.commandId); cell(tr, o.reason);
  });
  $('offset-outcomes').hidden = latest.length === 0;
  $('offset-resets-none').hidden = pending.length + latest.length > 0;
}

function target(r) {
  if (r.to === 'DATETIME') { return 'DATETIME ' + r.datetime; }
  return r.to === 'SHIFT_BY' ? 'SHIFT_BY ' + r.shiftBy : r.to;
}

function planSize(plan) {
  return Object.values(plan || {}).reduce((n, partitions) => n + partitions.length, 0);
}

// the value box means what the target needs: a time for DATETIME, a count for SHIFT_BY, nothing otherwise
function checkResetTarget() {
  const to = $('reset-to').value;
  const value = $('reset-value');
  value.disabled = to !== 'DATETIME' && to !== 'SHIFT_BY';
  value.required = !value.disabled;
  value.placeholder = to === 'DATETIME' ? '2026-12-01T10:00:00Z' : to === 'SHIFT_BY' ? '-500 (back) or 500' : '';
}

// a reset is not chosen against the cluster's version: the executor's plan checks the group itself
function offsetResetCommand() {
  const payload = { group: $('reset-group').value.trim(), to: $('reset-to').value };
  const topics = $('reset-topics').value.split(',').map(t => t.trim()).filter(Boolean);
  if (topics.length) { payload.topics = topics; }
  const value = $('reset-value').value.trim();
  if (payload.to === 'DATETIME') { payload.datetime = value; }
  if (payload.to === 'SHIFT_BY') { payload.shiftBy = Number(value); }
  const reason = $('reset-reason').value.trim();
  if (reason) { payload.reason = reason; }
  return ['ResetConsumerGroupOffsets', payload, false];
}

document.addEventListener('DOMContentLoaded', () => {
  $('reset-to').addEventListener('change', checkResetTarget);
  checkResetTarget();
});
