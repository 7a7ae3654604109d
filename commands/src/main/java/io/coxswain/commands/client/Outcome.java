package io.coxswain.commands.client;

import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;

/** What became of a command: accepted with the cluster's new version, or rejected with a reason. */
public sealed interface Outcome {

    String commandId();

    String clusterId();

    /** True when this repeats the first outcome of a command id that was sent before. */
    boolean duplicate();

    record Accepted(String commandId, String clusterId, long version, boolean duplicate) implements Outcome {
    }

    record Rejected(String commandId, String clusterId, RejectionCode code, String reason, Long currentVersion, boolean duplicate)
            implements Outcome {
    }

    static Outcome of(Decision d) {
        if (d.getOutcome() instanceof CommandAccepted a) {
            return new Accepted(d.getCommandId(), d.getClusterId(), a.getVersion(), d.getDuplicate());
        }
        CommandRejected r = (CommandRejected) d.getOutcome();
        return new Rejected(d.getCommandId(), d.getClusterId(), r.getCode(), r.getReason(), r.getCurrentVersion(), d.getDuplicate());
    }
}
