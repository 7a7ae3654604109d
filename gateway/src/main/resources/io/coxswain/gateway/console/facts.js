// The cluster view's facts as words: pure functions of the state's fields, which console.js's render writes
// with textContent, or as parts naming commands (commands.js) with writeWithCommands. Loaded before console.js.
'use strict';

const MIB = 1024 * 1024;

// each role's own sizing (spec.resources); what a role leaves out is the installation's default
function sizing(resources) {
  const role = (name, r) => name + ': ' + (r ? [['cpu', r.cpuRequest], ['cpu limit', r.cpuLimit], ['memory', r.memory], ['heap', r.heap]]
    .filter(([, v]) => v).map(([k, v]) => k + ' ' + v).join(', ') : 'defaults');
  return resources ? role('controllers', resources.controllers) + '; ' + role('brokers', resources.brokers) : 'installation defaults';
}

// a request asked for and not done yet (spec.rebalance, spec.caReplacement): it stays until the operation it caused
// succeeds or is abandoned; detail adds what only that kind of request carries
function pending(r, detail) {
  if (!r) { return 'none'; }
  return 'pending, asked by ' + r.issuer + ' at ' + r.requestedAt + (detail ? detail(r) : '') + (r.reason ? ' — ' + r.reason : '');
}

function throttle(r) {
  const t = r.throttleBytesPerSecond;
  return ', ' + (!t ? "the installation's throttle" : (t % MIB === 0 ? t / MIB + ' MiB/s' : t + ' bytes/s') + ' per broker');
}

// what each setting means to an application connecting; a cluster moves one step at a time between them
const CLIENT_AUTHENTICATION = {
  NONE: 'NONE — no client certificates, no ACLs',
  OPTIONAL: 'OPTIONAL — a certificate asked for, not required: a client presenting its user\'s is named and its ACLs apply,'
    + ' the others connect as ANONYMOUS wherever no ACL names the resource',
  TLS: 'TLS — a client certificate required; platform components connect as their users',
};

// the CA the cluster runs on (status.ca), as the executor last reported it: 8 pairs of the fingerprint tell CAs apart
// (the whole one is the tooltip); more than one trusted means a renewal or replacement is under way
function clusterCa(ca) {
  if (!ca) { return 'not reported yet'; }
  const pairs = ca.fingerprint.split(':');
  const trusted = (ca.trusted || []).length;
  return (pairs.length > 8 ? pairs.slice(0, 8).join(':') + '\u2026' : ca.fingerprint) + ' valid until ' + ca.notAfter.slice(0, 10)
    + (trusted > 1 ? ' (' + trusted + ' CAs trusted: a renewal or replacement is under way)' : ' (' + trusted + ' CA trusted)');
}

// a topic whose replication factor is being changed (status.replication, from the executor's ReplicationObserved):
// how many partitions have the factor, how many move now, since when, and why no replica can be placed if it cannot;
// nothing for a topic at its factor
function replicationChange(r) {
  if (!r) { return ''; }
  return ' (changing: ' + r.atFactor + '/' + r.partitions + ' partitions, ' + r.moving + ' moving, since ' + r.since + ')'
    + (r.blocked ? ', blocked: ' + r.blocked : '');
}

// an operation the executor holds back until the cluster's next maintenance window opens, with the command that caused
// it; shown until it starts, which with the windows lifted meanwhile is the executor's next pass
function deferred(d, windows) {
  if (!d) { return ['none']; }
  return [d.operation, ...(d.causeCommandId ? [' (command ', commandRef(d.causeCommandId), ')'] : []),
    (windows.length ? ' waits for the maintenance window opening at ' + d.until
      : ' was held back for a maintenance window; the windows are lifted, so it starts at the executor\'s next pass')
    + ' (held back since ' + d.since + ')'];
}
