// What the executor refuses for a cluster (status.executorRefusals), as cox get's Blocked: lines say it: the cluster view's
// Blocked fact, one line per key with its reason, since when and the command that caused it (commands.js links it to
// its row in the History table), and the marker on the cluster list's Phase cell (the list's summary carries the keys
// as blocked). Loaded before console.js, whose render calls showBlocked and whose list calls markBlocked.
'use strict';

function showBlocked(c) {
  const refusals = Object.entries(c.status.executorRefusals || {}).sort(([a], [b]) => a.localeCompare(b));
  const out = $('c-blocked');
  out.replaceChildren();
  refusals.forEach(([key, r]) => {
    const line = out.appendChild(document.createElement('div'));
    line.dataset.key = key;
    // times as the rest of the page shows them: as the state holds them (ISO-8601, UTC)
    writeWithCommands(line, [key + ': ' + r.reason + ' (since ' + r.since, ...(r.commandId ? [', command ', commandRef(r.commandId)] : []), ')']);
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
