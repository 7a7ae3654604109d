// A command id, shown one way wherever the console names one: its first 8 characters (a generated id's first group, as
// cox's ids are read), the whole id as its text (so copying it or the browser's find gets all of it) and its tooltip;
// named by a view, a link to the command's row in the History table (highlighted, scrolled to; a note naming cox audit
// --cluster when the table does not hold it). Loaded first: the views build their text with commandRef and write it with
// writeWithCommands (plainText where only text fits, a tooltip); history.js calls commandId and markShownCommand,
// console.js's select forgetShownCommand.
'use strict';

// the command a link chose, highlighted in the History table until another cluster is selected (the table is filled
// again with each version the watch brings)
let shownCommand = null;

// the id itself; console.css shows its first 8 characters
function commandId(parent, id) {
  const code = parent.appendChild(document.createElement('code'));
  code.className = 'command-id';
  code.title = id;
  code.textContent = id;
  return code;
}

function commandLink(parent, id) {
  const a = parent.appendChild(document.createElement('a'));
  a.href = '#history';
  a.className = 'command';
  a.dataset.command = id;
  commandId(a, id);
  a.addEventListener('click', e => { e.preventDefault(); showCommand(id); });
  return a;
}

// a table's Command cell: the link, or '-' without a command
function commandCell(tr, id) {
  if (!id) { return cell(tr, id); }
  const td = tr.appendChild(document.createElement('td'));
  commandLink(td, id);
  return td;
}

// Text naming commands is built as parts, each a string or commandRef(id), so one sentence serves both ways of writing it
function commandRef(id) {
  return { commandId: id };
}

function writeWithCommands(element, parts) {
  element.replaceChildren();
  parts.forEach(p => { if (typeof p === 'string') { element.append(p); } else { commandLink(element, p.commandId); } });
}

// where no link fits (a tooltip): the whole ids, as cox prints them
function plainText(parts) {
  return parts.map(p => typeof p === 'string' ? p : p.commandId).join('');
}

// the command's row in the History table, highlighted and scrolled to; or, when the table does not hold it, where to find it
function showCommand(id) {
  shownCommand = id;
  const row = markShownCommand();
  if (row) { row.scrollIntoView({ block: 'center' }); }
}

// the chosen command's row highlighted, or the note, again each time the History table is filled: a link followed before
// the table held its command (the page's new version came first) finds its row once it does
function markShownCommand() {
  if (shownCommand === null) { return null; }
  const rows = [...$('history').tBodies[0].rows];
  rows.forEach(tr => tr.classList.toggle('selected', tr.dataset.command === shownCommand));
  const row = rows.find(tr => tr.dataset.command === shownCommand);
  $('history-note').textContent = row ? '' : 'Command ' + shownCommand + ' is not among the history entries shown (the latest 200'
    + ($('history-observations').checked ? '' : ', without the executor\'s observations') + '): cox audit --cluster '
    + console_.selected + ' finds it.';
  return row;
}

function forgetShownCommand() {
  shownCommand = null;
  $('history-note').textContent = '';
}
