package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a fleet run ({@link FleetRun}) does to each cluster: the command it sends, which clusters it
 * takes, leaves out or only waits for, and when a cluster is done with it. Everything else, the waves,
 * the stop at the first failure and the resume by run id, is the run's and the same for every change.
 */
interface FleetChange {

    /** The subcommand, in every line the run prints: {@code upgrade}, {@code restart}. */
    String name();

    /** What the run does, after its name and id in its first line: {@code to 4.3.1}. */
    String goal();

    /**
     * What becomes of one selected cluster, from its summary in {@code GET /v1/clusters}.
     *
     * @param commandId the command this run sends the cluster ({@link FleetPlan#commandId}), by which an
     *                  earlier turn of the same run is recognised
     */
    FleetPlan.Consider consider(JsonNode summary, String commandId);

    /** The command's type and payload, the same for every cluster. */
    String commandType();

    /**
     * Whether the command asks that nobody changed the cluster since the version the run read
     * ({@code unchangedSinceVersion}): a change decided on what the cluster was asked to run does, so that one
     * made on top of a change the run did not see is a recorded conflict. What the executor records is none.
     */
    boolean expectsVersion();

    ObjectNode payload();

    /** A cluster's line once its command is accepted: {@code upgrading 4.1.0 -> 4.3.1} ({@code would upgrade ...} in a dry run). */
    String accepted(FleetPlan.Target target, boolean dryRun);

    /** A cluster's line when an earlier turn of the run already asked it: {@code already asked for 4.3.1}. */
    String alreadyAsked();

    /**
     * The command to watch for a cluster asked in an earlier turn: its operation's cause, so that its
     * failure stops the run. Null to watch whatever operation the cluster runs.
     */
    String awaited(String commandId);

    /**
     * Whether the cluster is done with the change: Ready, and its operation, when one is watched
     * ({@code commandId} not null), SUCCEEDED.
     */
    boolean done(JsonNode cluster, String commandId, String operationState);

    /**
     * Which executor refusals keep a cluster from done with the change ({@link RefusalsInTheWay}): the wave stops waiting on
     * a cluster blocked by one and the run stops as at a failure.
     */
    RefusalsInTheWay.Scope refusals();

    /** What a done cluster is, in the run's lines: {@code Ready on 4.3.1}. */
    String doneState();

    /** The options that ask for this change again, for the resume hint: {@code --kafka-version 4.3.1}. */
    String options();

    /**
     * Whether a rejection with {@code code} means the cluster already has what the change asks (the fold's
     * NO_CHANGE of a setting already made): then it is waited for like an accepted one, not a failure.
     */
    default boolean alreadySo(String code) {
        return false;
    }
}
