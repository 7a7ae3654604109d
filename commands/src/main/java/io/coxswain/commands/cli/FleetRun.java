package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One fleet run: the selected Ready clusters changed, the canaries alone, then wave after wave, each
 * wave started only when every cluster of the one before is done. Each cluster gets an ordinary command
 * with the id {@code fleet-<run>-<cluster>}, so the log shows which run changed it, and running the same
 * {@code --run-id} again after a stop is safe: a command already sent returns its first outcome, a
 * cluster done is skipped, one still changing is waited for. It stops at the first failure, touching
 * no cluster of a later wave.
 */
final class FleetRun {

    /** Sends of one cluster's command met by a change made since it was read before the run stops at it. */
    private static final int CONFLICT_ATTEMPTS = 3;
    /** Within this the gateway's read model shows a change: a cluster changed since read is read again after it. */
    private static final Duration READ_MODEL_LAG = Duration.ofSeconds(2);

    private final Cox cox;
    private final FleetOptions options;
    private final FleetChange change;
    private final String run;
    private final PrintWriter out;
    /** The clusters whose command this run recorded as a proposal, each with its cox approve line. */
    private final List<String> proposed = new ArrayList<>();

    FleetRun(Cox cox, FleetOptions options, FleetChange change, String run) {
        this.cox = cox;
        this.options = options;
        this.change = change;
        this.run = run;
        this.out = cox.out();
    }

    int call() throws InterruptedException {
        Duration perCluster = options.perCluster();
        String title = "fleet " + change.name() + " " + run;
        FleetPlan plan = FleetPlan.of(ReadCommands.ok(cox.client().get(ReadCommands.consistent("/v1/clusters"))), options.selectors, options.labels(), change, run,
                options.canaries, options.waveSize);
        if (plan.clusters() == 0 && plan.skipped().isEmpty()) { // a mistyped selector must not read as a fleet already done
            throw new CliException(CliException.NOT_FOUND, "no cluster you may read matches " + options.selection("")
                    + "; `cox get` lists them (a prefix ends in *, quoted; `cox get -l SELECTOR` those a selector matches)");
        }
        out.printf("%s %s: %d cluster(s) in %d wave(s)%s%n", title, change.goal(), plan.clusters(), plan.waves().size(),
                options.dryRun ? " (dry run: nothing written)" : "");
        plan.skipped().forEach(s -> out.printf("  skipped %s: %s%n", s.clusterId(), s.reason()));
        int rejected = 0;
        for (int w = 0; w < plan.waves().size(); w++) {
            List<FleetPlan.Target> wave = plan.waves().get(w);
            out.printf("wave %d/%d%s: %s%n", w + 1, plan.waves().size(), w == 0 ? " (canary)" : "",
                    String.join(", ", wave.stream().map(FleetPlan.Target::clusterId).toList()));
            out.flush();
            Map<String, Awaited> sent = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            Map<String, JsonNode> current = w == 0 ? null : summaries();
            for (FleetPlan.Target planned : wave) {
                String problem = start(planned, current, sent);
                if (problem != null) {
                    failures.add(problem);
                }
            }
            if (options.dryRun) {
                rejected += failures.size();
                continue;
            }
            for (Map.Entry<String, Awaited> s : sent.entrySet()) {
                String problem = awaitDone(s.getKey(), s.getValue(), perCluster);
                if (problem != null) {
                    failures.add(problem);
                }
            }
            if (!failures.isEmpty() || !proposed.isEmpty()) {
                // a cluster whose change waits for approval is not done: the next wave must not go on as if it were
                int remaining = plan.waves().subList(w + 1, plan.waves().size()).stream().mapToInt(List::size).sum();
                String approvals = proposed.isEmpty() ? "" : "proposed, awaiting approval under the cluster's approval policy: "
                        + String.join(", ", proposed);
                throw new CliException(failures.isEmpty() ? CliException.AWAITING_APPROVAL : CliException.REJECTED, title + " stopped in wave "
                        + (w + 1) + ": " + String.join("; ", failures) + (failures.isEmpty() || proposed.isEmpty() ? "" : "; ") + approvals + ". "
                        + remaining + " cluster(s) of later waves were not touched. Once " + (failures.isEmpty() ? "approved" : "fixed")
                        + ", resume with: cox fleet " + change.name() + " " + change.options() + " " + options.selection("'") + " --run-id " + run);
            }
        }
        if (options.dryRun && rejected > 0) {
            throw new CliException(CliException.REJECTED, rejected + " cluster(s) would be rejected (above); nothing was written");
        }
        if (options.dryRun && !proposed.isEmpty()) {
            throw new CliException(CliException.AWAITING_APPROVAL, proposed.size() + " cluster(s) would be proposed, awaiting approval under"
                    + " their approval policy (above); nothing was written");
        }
        out.printf("%s: %s%n", title, options.dryRun ? "the plan above would be followed" : plan.clusters() + " cluster(s) " + change.doneState());
        return 0;
    }

    /**
     * Starts the change on one cluster of a wave: sends its command, or only waits for it (an earlier
     * turn of the run asked it), or leaves it out. Each later wave goes by the clusters as they are when
     * it starts ({@code current}), not as they were planned minutes before: a cluster no longer Ready is
     * left out, and the command asks that nobody changed the cluster since the version seen now.
     *
     * @return why the cluster could not be started, null when it was (or was left out)
     */
    private String start(FleetPlan.Target planned, Map<String, JsonNode> current, Map<String, Awaited> sent) throws InterruptedException {
        String id = planned.clusterId();
        String commandId = FleetPlan.commandId(run, id);
        FleetPlan.Target t = current == null ? planned : now(current, id, commandId);
        for (int attempt = 1; ; attempt++) {
            if (t == null) {
                return null; // left out, and said why
            }
            if (!t.send()) {
                out.printf("  %s: %s; waiting for it%n", id, change.alreadyAsked());
                sent.put(id, new Awaited(change.awaited(commandId), 0));
                return null;
            }
            String attemptId = FleetPlan.attemptId(commandId, attempt);
            Sent result = send(t, attemptId);
            if (result.proposed()) {
                proposed.add(id + " (cox approve " + id + " " + attemptId + ")");
                return null; // nothing happens on it until approved: no wait, and no later wave goes on as if it were done
            }
            if (result.problem() == null) {
                sent.put(id, new Awaited(attemptId, result.version()));
                return null;
            }
            if (!result.versionMoved() || attempt == CONFLICT_ATTEMPTS) {
                out.printf("  %s: %s%n", id, result.problem());
                return id + " " + result.problem();
            }
            // someone changed it since it was read (what its executor records meanwhile is no conflict): read it, decide
            // again, and send under the next attempt's id
            out.printf("  %s: changed since read (%s); reading it again%n", id, result.problem());
            Thread.sleep(READ_MODEL_LAG.toMillis());
            t = now(summaries(), id, commandId);
        }
    }

    /** The cluster as the change takes it now, from {@code current}; null, and a line saying why, when it leaves it out. */
    private FleetPlan.Target now(Map<String, JsonNode> current, String id, String commandId) {
        JsonNode summary = current.get(id);
        FleetPlan.Consider verdict = summary == null ? FleetPlan.Consider.skip("no longer listed") : change.consider(summary, commandId);
        if (!verdict.take()) {
            out.printf("  skipped %s: %s%n", id, verdict.skipReason());
            return null;
        }
        return FleetPlan.target(summary, verdict);
    }

    /**
     * @param problem why the command was not accepted, null when it was; @param versionMoved a VERSION_CONFLICT;
     * @param proposed recorded as a proposal under the cluster's approval policy: accepted, but nothing to wait for yet
     */
    private record Sent(String problem, boolean versionMoved, long version, boolean proposed) {
    }

    /**
     * What a wave waits for on one cluster: the operation of {@code commandId} (null: whichever runs), on a state at
     * {@code minVersion} at least (the version the command was decided at), so that a gateway replica that has not read
     * the decision yet is not taken for a cluster already done.
     */
    private record Awaited(String commandId, long minVersion) {
    }

    /** The clusters as {@code GET /v1/clusters} lists them now, by id. */
    private Map<String, JsonNode> summaries() {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        ReadCommands.ok(cox.client().get(ReadCommands.consistent("/v1/clusters"))).forEach(c -> byId.put(c.path("clusterId").asText(), c));
        return byId;
    }

    /** Sends (or, in a dry run, asks about) the cluster's command. */
    private Sent send(FleetPlan.Target t, String commandId) {
        ObjectNode body = Submit.body(commandId, t.clusterId(), null, change.expectsVersion() ? t.version() : null, change.commandType(),
                change.payload());
        GatewayClient.Response r = cox.client().post(options.dryRun ? "/v1/commands?dryRun=true" : "/v1/commands?wait=true", body);
        JsonNode j = r.json();
        if (r.status() == 202 && j != null && j.path("awaitingApprovals").asInt() > 0) {
            out.printf("  %s: %s, awaiting %d approval(s)%s%n", t.clusterId(), options.dryRun ? "would be proposed" : "proposed",
                    j.path("awaitingApprovals").asInt(), options.dryRun ? "" : " (command " + commandId + ": cox approve " + t.clusterId() + " " + commandId + ")");
            return new Sent(null, false, j.path("version").asLong(), true);
        }
        if (r.status() == 200) {
            Optional<String> notApplied = Submit.ownProposalNotApplied(j, t.clusterId());
            if (notApplied.isPresent()) { // a run resumed after a veto: the cluster was not changed, so it cannot be done
                return new Sent(notApplied.get(), false, 0, false);
            }
            long version = Submit.appliedVersion(j);
            out.printf("  %s: %s%s%n", t.clusterId(), change.accepted(t, options.dryRun),
                    options.dryRun ? "" : " (command " + commandId + ", version " + version + ")");
            return new Sent(null, false, version, false);
        }
        boolean rejected = j != null && "rejected".equals(j.path("status").asText());
        if (rejected && change.alreadySo(j.path("code").asText())) {
            out.printf("  %s: already so (%s)%n", t.clusterId(), j.path("reason").asText());
            return new Sent(null, false, j.path("currentVersion").asLong(), false);
        }
        String why = rejected ? "rejected (" + j.path("code").asText() + "): " + j.path("reason").asText()
                : "not sent (HTTP " + r.status() + "): " + r.error();
        return new Sent(why, rejected && "VERSION_CONFLICT".equals(j.path("code").asText()), 0, false);
    }

    /**
     * Why the cluster will not be done by waiting, as its executor refuses what the change takes ({@link RefusalsInTheWay});
     * null when nothing refused stands in the way (yet). A change asked in an earlier turn of the run (no version of its
     * own) is taken as the latest asked of the cluster when the wave began to wait.
     */
    private String blocked(String clusterId, Awaited awaited, JsonNode first, JsonNode c, boolean seen) {
        long asked = awaited.minVersion() > 0 ? awaited.minVersion() : first.path("intentVersion").asLong();
        boolean actedOn = seen && ReadCommands.reconciled(c) >= Math.min(asked, c.path("intentVersion").asLong());
        JsonNode refusals = RefusalsInTheWay.of(change.refusals(), first, c, actedOn);
        if (refusals.isEmpty()) {
            return null;
        }
        List<String> lines = RefusalsInTheWay.lines(refusals);
        lines.forEach(line -> out.printf("  %s: %s%n", clusterId, line));
        out.flush();
        return clusterId + " is blocked: its executor refuses what its " + change.name() + " takes, and will until what it names is done ("
                + String.join("; ", lines) + "; `cox get " + clusterId + "` shows it)";
    }

    /**
     * Waits until the cluster is done with the change; returns null then, else why not: its operation
     * failed or was abandoned, its executor refuses what the change takes, it waits for a maintenance window, or the
     * time ran out.
     *
     * @param awaited the command whose operation is watched (null for whichever operation the cluster runs), and the
     *                version a state must have reached to count
     */
    private String awaitDone(String clusterId, Awaited awaited, Duration limit) throws InterruptedException {
        Polling polling = new Polling(limit);
        String commandId = awaited.commandId();
        String last = "";
        JsonNode first = null;
        while (true) {
            JsonNode c = ReadCommands.cluster(cox, clusterId, "");
            first = first == null ? c : first;
            boolean seen = c.path("version").asLong() >= awaited.minVersion(); // a replica behind the decision says nothing of it
            JsonNode status = c.path("status");
            JsonNode op = status.path("operation");
            String phase = status.path("phase").asText();
            boolean ours = commandId == null || FleetPlan.isAttemptOf(op.path("causeCommandId").asText(), commandId);
            String opState = ours ? op.path("state").asText() : "";
            if (seen && change.done(c, commandId, opState)) {
                out.printf("  %s: %s%n", clusterId, change.doneState());
                out.flush();
                return null;
            }
            if ("FAILED".equals(opState) || "ABANDONED".equals(opState)) {
                return clusterId + "'s " + change.name() + " is " + opState + " (" + op.path("operationId").asText() + "; see `cox operation show "
                        + clusterId + "`)";
            }
            String blocked = blocked(clusterId, awaited, first, c, seen);
            if (blocked != null) {
                return blocked;
            }
            JsonNode deferred = status.path("deferred");
            boolean oursDeferred = commandId != null && FleetPlan.isAttemptOf(deferred.path("causeCommandId").asText(), commandId);
            // another command's roll held for a window keeps a cluster from done as surely: a change acted on and waiting counts too
            if ((oursDeferred || seen && ReadCommands.actedOn(c)) && MaintenanceWindowsCommand.waitsForWindow(c)) {
                // a run that waited for a window days away would hold every later wave hostage: stop, and resume after it
                return clusterId + "'s " + change.name() + " waits for its maintenance window, opening at " + deferred.path("until").asText()
                        + " (windows " + c.path("spec").path("maintenanceWindows") + "); run this fleet " + change.name() + " again with the same"
                        + " --run-id once it has opened, or change the cluster's windows (SetMaintenanceWindows) to let it go now";
            }
            String now = phase + (ours && !opState.isEmpty() ? ", " + op.path("operation").asText() + " " + opState : "")
                    + (ReadCommands.actedOn(c) ? "" : ", not yet acted on by its executor");
            if (!now.equals(last)) {
                out.printf("  %s: %s%n", clusterId, now);
                out.flush();
                last = now;
            }
            if (polling.overdue()) {
                return clusterId + " is not " + change.doneState() + " after " + options.timeout + " (" + now + ")";
            }
            polling.pause();
        }
    }
}
