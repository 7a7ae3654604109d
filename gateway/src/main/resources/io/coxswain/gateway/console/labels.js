// Cluster labels in the console: shown as key=value,key=value; the list narrowed by a selector through the gateway's
// ?label= (so a selector reads here exactly as in cox get -l, and a malformed one is named by the gateway); the
// labels form's box read as KEY=VALUE lines. Loaded before console.js, whose $ and loadClusters it uses once loaded.
'use strict';

// each label as KEY=VALUE, in the order the state keeps them
function labelPairs(labels) {
  return Object.entries(labels || {}).map(([key, value]) => key + '=' + value);
}

function labelText(labels) {
  const pairs = labelPairs(labels);
  return pairs.length ? pairs.join(',') : '-';
}

// the path the cluster list is read from: with the selector typed above it, if any
function clustersPath() {
  const selector = $('label-filter').value.trim();
  return '/v1/clusters' + (selector ? '?label=' + encodeURIComponent(selector) : '');
}

// what the gateway said of the selector (a 400 names the problem), or nothing once it is well formed
function showFilterProblem(r) {
  $('label-filter-error').textContent = r.status === 400 && r.body ? r.body.error : '';
}

function labelLines(labels) {
  return labelPairs(labels).join('\n');
}

// the labels box's lines that are not blank, trimmed
function typedLines() {
  return $('labels-text').value.split('\n').map(l => l.trim()).filter(Boolean);
}

function typedLabels() {
  const labels = {};
  typedLines().forEach(line => {
    const eq = line.indexOf('=');
    labels[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  });
  return labels;
}

// every line must be KEY=VALUE; the gateway checks the keys and values themselves and names a bad one
function checkLabels() {
  const bad = typedLines().find(l => !l.includes('='));
  $('labels-text').setCustomValidity(bad ? 'Write each label as KEY=VALUE on a line of its own: ' + bad : '');
}

document.addEventListener('DOMContentLoaded', () => {
  $('label-filter').addEventListener('input', () => loadClusters());
  $('label-filter-form').addEventListener('submit', e => { e.preventDefault(); loadClusters(); });
  $('labels-text').addEventListener('input', checkLabels);
});
