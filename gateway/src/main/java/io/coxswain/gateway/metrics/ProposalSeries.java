package io.coxswain.gateway.metrics;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.state.ProposalOutcome;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-proposal series of four-eyes approvals, for the alerts a platform team keeps on them: a change waiting for
 * someone to approve or reject it, one about to expire unapproved, and an approved change refused when it was decided
 * again (the people who approved it may believe it applied). From the read model: the pending proposals in
 * spec.proposals, and in status.proposalOutcomes the latest end per command type and state, so the series stay few
 * however many proposals a cluster has had (the command id is a label only while a proposal waits). A cluster deleted
 * or being deleted has none: its deletion ended its proposals, and nothing there is left to approve.
 */
final class ProposalSeries {

    private ProposalSeries() {
    }

    static void register(Metrics registry, Supplier<Collection<ClusterState>> clusters) {
        registry.gauges("coxswain_proposal_pending_timestamp_seconds", "When each proposal still waiting for approval was proposed"
                + " (spec.proposals), by its command type and id (what cox approve|reject take).",
                () -> pending(clusters.get(), Proposal::getProposedAt), "cluster", "type", "command");
        registry.gauges("coxswain_proposal_expiry_timestamp_seconds", "When each proposal still waiting for approval expires: an"
                + " approval issued later is refused.", () -> pending(clusters.get(), Proposal::getExpiresAt), "cluster", "type", "command");
        registry.gauges("coxswain_proposal_ended_timestamp_seconds", "When the latest proposal of each command type ended in each state"
                + " (APPLIED, REFUSED, REJECTED, WITHDRAWN or EXPIRED), from status.proposalOutcomes.",
                () -> ended(clusters.get()), "cluster", "type", "state");
    }

    private static Map<List<String>, Double> pending(Collection<ClusterState> states, Function<Proposal, Instant> when) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ClusterState s : ClusterSeries.notGoing(states)) {
            s.getSpec().getProposals().forEach((command, p) -> out.put(List.of(s.getClusterId(), p.getType(), command),
                    ClusterSeries.seconds(when.apply(p))));
        }
        return out;
    }

    /** Outcomes are kept oldest first, but an end's time is what an alert reads, so the latest time wins, not the last entry. */
    private static Map<List<String>, Double> ended(Collection<ClusterState> states) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ClusterState s : ClusterSeries.notGoing(states)) {
            for (ProposalOutcome o : s.getStatus().getProposalOutcomes()) {
                out.merge(List.of(s.getClusterId(), o.getType(), o.getState()), ClusterSeries.seconds(o.getAt()), Math::max);
            }
        }
        return out;
    }
}
