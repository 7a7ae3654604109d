// The cluster view's History table, as cox history lists it: the latest 200 entries, newest first, each with its command
// (commands.js shows the id; a link elsewhere on the page leads to its row), type, issuer, status and what became of it, with
// the note of an entry this gateway cannot fully read (notes.js). Loaded before console.js, whose select, watch and
// observations box call loadHistory.
'use strict';

// The latest entries, newest first; the executor's observations only when asked for (they outnumber the rest).
async function loadHistory(id) {
  const observations = $('history-observations').checked ? '' : '&observations=false';
  const r = await api('/v1/clusters/' + encodeURIComponent(id) + '/history?last=200' + observations);
  if (r.status !== 200 || id !== console_.selected) { return; }
  fill($('history').tBodies[0], r.body.slice().reverse(), (tr, e) => {
    tr.dataset.command = e.commandId;
    const status = e.proposed ? 'proposed' : e.status + (e.duplicate ? ' (repeat)' : '');
    cell(tr, e.offset);
    commandId(tr.appendChild(document.createElement('td')), e.commandId);
    [e.issuedAt, e.type, e.issuer, status].forEach(v => cell(tr, v));
    const result = tr.appendChild(document.createElement('td'));
    writeWithCommands(result, historyResult(e));
    addEntryNote(result, e.note); // a newer commands or events schema wrote it: what this gateway cannot read
  });
  markShownCommand();
}

// The History table loaded again until it holds commandId, which a change sent from this page wrote (changes.js): the
// gateway answers once it has read the command's decision (and new state), not always the command's own record, read from
// another topic; and a rejection or a command not decided yet brings no new state whose watch event would load the table.
// Twenty tries half a second apart, loading only while the command's cluster is the one shown (a created cluster is
// selected once its creation is accepted); a link to the command followed meanwhile finds its row once it is there.
async function loadHistoryWith(id, commandId) {
  for (let tries = 0; tries < 20; tries++) {
    if (id === console_.selected) {
      await loadHistory(id);
      if ([...$('history').tBodies[0].rows].some(tr => tr.dataset.command === commandId)) { return; }
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

// As cox history words it: the version or the rejection, then what became of the proposal the entry is or acted on (its
// command linked to its own row when it is another's)
function historyResult(e) {
  const result = e.version !== undefined ? 'v' + e.version : e.reason ? e.code + ': ' + e.reason : '-';
  const p = e.proposal;
  if (p) {
    return p.commandId === e.commandId ? [result + ', ' + p.summary] : [result + ', ' + p.type + ' ', commandRef(p.commandId), ' ' + p.summary];
  }
  return [e.proposed ? result + ', ended past the latest outcomes the state keeps (cox audit)' : result];
}
