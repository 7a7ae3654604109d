// What this gateway could not read of what a newer Coxswain wrote, during a rolling upgrade that has not reached it yet (a
// note of the gateway's): a cluster's state written with a newer state schema (the note of GET /v1/clusters/{id}, of its
// watch events and of its summary in GET /v1/clusters), a command or its decision written with a newer commands or events
// schema (a history entry's note). The cluster view shows the state's note above its facts, the list marks the cluster's
// Version cell, the History table puts an entry's note under its result; each goes with the first state or entry that
// carries none. Loaded before history.js and console.js, whose list, render and loadHistory call these.
'use strict';

function showStateNote(c) {
  const out = $('c-note');
  out.textContent = c.note ? 'Note: ' + c.note + '. What this page shows is what this gateway can read: upgrade the gateway to see the rest.' : '';
  out.hidden = !c.note;
}

// the list's Version cell of a cluster whose state this gateway cannot fully read: said in a word, the note as its tooltip
function markStateNote(td, note) {
  if (!note) { return; }
  td.textContent += ' \u2014 not all read (newer schema)';
  td.className = 'note';
  td.title = note + '; open the cluster for more';
}

// a History entry's Result cell: its note on a line of its own under the result
function addEntryNote(td, note) {
  if (!note) { return; }
  const line = td.appendChild(document.createElement('div'));
  line.className = 'note';
  line.textContent = 'Note: ' + note;
}
