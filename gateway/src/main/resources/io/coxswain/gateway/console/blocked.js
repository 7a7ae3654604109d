// What the executor refuses for a cluster (status.executorRefusals), as cox get's Blocked: lines say it: the cluster view's
// Blocked fact, one line per key with its reason, since when and the command that caused it (a link to that command's
// row in the History table), and the marker on the cluster list's Phase cell (the list's summary carries the keys as
// blocked). Loaded before console.js, whose render calls showBlocked, whose list calls markBlocked, whose history calls
// isShownCommand and whose select calls forgetShownCommand.
'use strict';

// the command a link chose, highlighted in the History table until another cluster is selected (the table is filled
// again with each version the watch brings)
let shownCommand = null;

function showBlocked(c) {
  const refusals = Object.entries(c.status.executorRefusals || {}).sort(([a], [b]) => a.localeCompare(b));
  const out = $('c-blocked');
  out.replaceChildren();
  refusals.forEach(([key, r]) => {
    const line = out.appendChild(document.createElement('div'));
    line.dataset.key = key;
    // times as the rest of the page shows them: as the state holds them (ISO-8601, UTC)
    line.append(key + ': ' + r.reason + ' (since ' + r.since);
    if (r.commandId) {
      line.append(', command ');
      commandLink(line, r.commandId);
    }
    line.append(')');
  });
  out.hidden = refusals.length === 0;
  $('c-blocked-label').hidden = refusals.length === 0;
}

// the list's Phase cell of a cluster the executor refuses something for: which keys, in the page's colour for a refusal
function markBlocked(td, keys) {
  if (!keys || keys.length === 0) { return; }
  td.textContent += ' \u2014 blocked: ' + keys.join(', ');
  td.className = 'error';
  td.title = 'its changes are not acted on: open the cluster for why and what to do';
}

function commandLink(parent, commandId) {
  const a = parent.appendChild(document.createElement('a'));
  a.href = '#history';
  a.className = 'command';
  a.dataset.command = commandId;
  a.textContent = commandId;
  a.addEventListener('click', e => { e.preventDefault(); showCommand(commandId); });
}

// the command's row in the History table, highlighted and scrolled to; or, when the table does not hold it, where to find it
function showCommand(commandId) {
  shownCommand = commandId;
  const rows = [...$('history').tBodies[0].rows];
  rows.forEach(tr => tr.classList.toggle('selected', isShownCommand(tr.dataset.command)));
  const row = rows.find(tr => isShownCommand(tr.dataset.command));
  $('history-note').textContent = row ? '' : 'Command ' + commandId + ' is not among the history entries shown (the latest 200'
    + ($('history-observations').checked ? '' : ', without the executor\'s observations') + '): cox audit --cluster '
    + console_.selected + ' finds it.';
  if (row) { row.scrollIntoView({ block: 'center' }); }
}

function isShownCommand(commandId) {
  return shownCommand !== null && commandId === shownCommand;
}

function forgetShownCommand() {
  shownCommand = null;
  $('history-note').textContent = '';
}
