package io.coxswain.orchestrator.audit;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ConnectorObservation;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.OffsetResetTarget;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.command.UserQuotas;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.CommandBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Scripted clusters of {@link VariedLog}: fixed sequences that take a feature through each of its rules (four eyes,
 * users, connectors, consumer group offset resets, mirrors), written through the log's own add and builder so they mix with its random
 * records and writer schemas.
 */
final class ScriptedClusters {

    /** How a script writes: the log's add (key = cluster) and a builder with the log's clock and ids. */
    interface Script {
        void add(String cluster, Command c);

        CommandBuilder on(String cluster);
    }

    private ScriptedClusters() {
    }

    /**
     * Four eyes: a policy; a proposal refused to its proposer and applied by another; one refused when decided again
     * (the cluster changed since); a veto, a withdrawal, an expiry (by a command issued past it) and a late approval; the
     * policy cleared only with the strictest rule's approvals; a * policy on a cluster deleted, then created again
     * without it, and again with a policy of its own (CreateCluster.approvalPolicy) whose first covered change is a proposal.
     */
    static void approvals(Script s, String id) {
        s.add(id, s.on(id).createCluster("4.1.0", 1, 3, "1Gi"));
        s.add(id, s.on(id).createTopic("orders", 3, 1, Map.of()));
        s.add(id, s.on(id).createTopic("audit", 1, 1, Map.of()));
        s.add(id, s.on(id).issuer("alice").setApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic", "ScaleBrokers"), 1),
                new ApprovalRule(List.of("*"), 1), new ApprovalRule(List.of("DeleteCluster"), 2)), 1));
        Command delete = s.on(id).issuer("alice").deleteTopic("orders");
        s.add(id, delete); // a proposal
        s.add(id, s.on(id).issuer("alice").approve(delete.getCommandId())); // rejected: the proposer
        s.add(id, s.on(id).issuer("bob").approve(delete.getCommandId())); // applied
        s.add(id, s.on(id).issuer("carol").approve(delete.getCommandId())); // rejected: not pending any more
        Command scale = s.on(id).issuer("alice").unchangedSince(6).scaleBrokers(2);
        s.add(id, scale);
        Command labels = s.on(id).issuer("alice").setClusterLabels(Map.of("team", "payments"));
        s.add(id, labels); // a proposal under *
        s.add(id, s.on(id).issuer("bob").approve(labels.getCommandId())); // applied: a change after version 6
        s.add(id, s.on(id).issuer("bob").approve(scale.getCommandId())); // refused when decided again: changed since 6
        Command veto = s.on(id).issuer("alice").deleteTopic("audit");
        s.add(id, veto);
        s.add(id, s.on(id).issuer("bob").rejectProposal(veto.getCommandId(), "still read"));
        Command withdrawn = s.on(id).issuer("alice").deleteTopic("audit");
        s.add(id, withdrawn);
        s.add(id, s.on(id).issuer("bob").withdrawProposal(withdrawn.getCommandId(), null)); // rejected: not the proposer
        s.add(id, s.on(id).issuer("alice").withdrawProposal(withdrawn.getCommandId(), "wrong cluster"));
        Command expires = s.on(id).issuer("alice").deleteTopic("audit");
        s.add(id, expires);
        Instant later = expires.getIssuedAt().plusSeconds(3601);
        s.add(id, s.on(id).issuer("bob").issuedAt(later).approve(expires.getCommandId())); // rejected: expired
        s.add(id, s.on(id).issuedAt(later).observation("exec-1", new EndpointObserved(id + "-bootstrap:9092"))); // ends it EXPIRED
        Command clear = s.on(id).issuer("alice").setApprovalPolicy(List.of(), 72);
        s.add(id, clear); // needs the strictest rule's 2
        s.add(id, s.on(id).issuer("bob").approve(clear.getCommandId()));
        s.add(id, s.on(id).issuer("carol").approve(clear.getCommandId())); // cleared
        s.add(id, s.on(id).issuer("alice").deleteTopic("audit")); // applied at once
        s.add(id, s.on(id).issuer("alice").setApprovalPolicy(List.of(new ApprovalRule(List.of("*"), 1)), 72)); // no policy: at once
        Command drop = s.on(id).issuer("alice").deleteCluster(false);
        s.add(id, drop); // a proposal under *
        s.add(id, s.on(id).issuer("bob").approve(drop.getCommandId()));
        s.add(id, s.on(id).observation("exec-1", new ClusterRemovedObserved(false)));
        s.add(id, s.on(id).issuer("alice").createCluster("4.1.0", 1, 3, "1Gi")); // applied: never covered; a new cluster, without the policy
        s.add(id, s.on(id).issuer("alice").createTopic("orders", 3, 1, Map.of())); // applied at once
        s.add(id, s.on(id).issuer("alice").deleteCluster(false)); // no policy: at once
        s.add(id, s.on(id).observation("exec-1", new ClusterRemovedObserved(false)));
        s.add(id, s.on(id).issuer("alice").createCluster(CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("1Gi").build())
                .setApprovalPolicy(new SetApprovalPolicy(List.of(new ApprovalRule(List.of("ScaleBrokers"), 1)), 24)).build())); // born with a policy
        Command born = s.on(id).issuer("alice").scaleBrokers(2);
        s.add(id, born); // a proposal from version 1 on
        s.add(id, s.on(id).issuer("bob").approve(born.getCommandId())); // applied
    }

    /** Users on a cluster that authenticates clients: created, re-granted, refused where they do not apply, deleted. */
    static void users(Script s, String id) {
        s.add(id, s.on(id).createCluster(CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setClientAuthentication(ClientAuthentication.TLS).build()));
        s.add(id, s.on(id).createUser("orders-app", List.of(AclRules.parse("topic:orders:prefixed:WRITE,DESCRIBE"))));
        s.add(id, s.on(id).createUser("orders-app", List.of())); // rejected: exists
        s.add(id, s.on(id).createUser(id + "-broker-0", List.of())); // rejected: a node's principal
        s.add(id, s.on(id).updateUserAcls("orders-app", List.of(AclRules.parse("topic:orders:prefixed:WRITE,DESCRIBE"),
                AclRules.parse("group:orders:READ"))));
        s.add(id, s.on(id).setComponent("connect", 1, null, null, Map.of())); // rejected: no user 'connect' to connect as
        s.add(id, s.on(id).updateUserQuotas("orders-app", UserQuotas.newBuilder().setProducerByteRate(1_048_576L).build()));
        s.add(id, s.on(id).updateUserQuotas("orders-app", UserQuotas.newBuilder().setProducerByteRate(1_048_576L).build())); // rejected: no change
        s.add(id, s.on(id).createUser("billing-app", List.of(), UserQuotas.newBuilder().setRequestPercentage(12.5).build()));
        s.add(id, s.on(id).deleteUser("orders-app"));
        s.add(id, s.on(id).deleteUser("orders-app")); // rejected: gone
        s.add(id, s.on(id).createUser("orders-app", List.of())); // rejected: its name is retired
        s.add(id, s.on(id).createUser("py-app", List.of(AclRules.parse("topic:orders:READ")), null, "SCRAM-SHA-512"));
        s.add(id, s.on(id).createUser("connect", List.of(), null, "SCRAM-SHA-512")); // rejected: a component's name
        s.add(id, s.on(id).setClusterLabels(Map.of("team", "payments", "env", "prod")));
        s.add(id, s.on(id).setClusterLabels(Map.of("env", "prod", "team", "payments"))); // rejected: no change
        s.add(id, s.on(id).rotateUserPassword("py-app", "a leaked password"));
        s.add(id, s.on(id).rotateUserPassword("py-app", null));
        s.add(id, s.on(id).rotateUserPassword("connect", null)); // rejected: no such user
        s.add(id, s.on(id).deleteUser("py-app"));
    }

    /** A mirror from another cluster comes, is reported, is restarted, loses its groups and goes. */
    static void mirrors(Script s, String id) {
        s.add(id, s.on(id).setMirror("loop", id, List.of(".*"))); // rejected: its own source
        s.add(id, s.on(id).setMirror(SetMirror.newBuilder().setName("dr").setSourceCluster("payments")
                .setTopics(List.of("orders.*")).setGroups(List.of("billing")).setSyncGroupOffsets(true).build()));
        s.add(id, s.on(id).setConnector("dr-source", "org.apache.kafka.connect.file.FileStreamSourceConnector", 1, Map.of())); // rejected: the mirror's
        s.add(id, s.on(id).observation("exec-1", new ConnectorsObserved(Map.of("dr-source",
                new ConnectorObservation("RUNNING", 1, 0, null, null, null, null)), List.of(), null,
                Map.of("dr", "source cluster 'payments' unknown"))));
        Command restart = s.on(id).restartMirror("dr", true, "source back");
        s.add(id, restart);
        s.add(id, s.on(id).observation("exec-1", new ConnectorsObserved(Map.of("dr-source", // its checkpoint's not yet: pending
                new ConnectorObservation("RUNNING", 1, 0, null, restart.getCommandId(), null, null)), List.of(), null, Map.of())));
        s.add(id, s.on(id).setMirror("dr", "payments", List.of("orders.*"))); // the checkpoint connector retired
        s.add(id, s.on(id).restartMirror("nothing", false, null)); // rejected: no such mirror
        s.add(id, s.on(id).removeComponent("connect")); // rejected: mirrors run on it
        s.add(id, s.on(id).deleteMirror("dr"));
        s.add(id, s.on(id).deleteMirror("dr")); // rejected: no such mirror
    }

    /** Connectors come, fail, restart and go; the component they run on cannot go before them. */
    static void connectors(Script s, String id) {
        String source = "org.apache.kafka.connect.file.FileStreamSourceConnector";
        s.add(id, s.on(id).setConnector("orders", source, 1, Map.of())); // rejected: no connect component
        s.add(id, s.on(id).setComponent("connect", 1, null, null, Map.of()));
        s.add(id, s.on(id).setConnector("orders", source, 2, Map.of("topic", "orders", "file", "/tmp/orders")));
        s.add(id, s.on(id).setConnector("orders", source, 2, Map.of("topic", "orders", "file", "/tmp/orders"))); // rejected: no change
        s.add(id, s.on(id).observation("exec-1", new ConnectorsObserved(Map.of("orders",
                new ConnectorObservation("RUNNING", 2, 1, "java.io.IOException", null, null, null)), List.of("by-hand"), null, Map.of())));
        Command restart = s.on(id).restartConnector("orders", true, "file back");
        s.add(id, restart);
        s.add(id, s.on(id).observation("exec-1", new ConnectorsObserved(Map.of("orders",
                new ConnectorObservation("RUNNING", 2, 0, null, restart.getCommandId(), null, null)), List.of(), null, Map.of())));
        s.add(id, s.on(id).observation("exec-1", new ConnectorsObserved(Map.of(), List.of(), "connection refused", Map.of())));
        s.add(id, s.on(id).resetConnectorOffsets("orders", null)); // rejected: not stopped
        s.add(id, s.on(id).setConnector("orders", source, 2, Map.of("topic", "orders", "file", "/tmp/orders"),
                ConnectorState.STOPPED));
        Command reset = s.on(id).resetConnectorOffsets("orders", "file rewritten");
        s.add(id, reset);
        s.add(id, s.on(id).setConnector("orders", source, 2, Map.of("topic", "orders", "file", "/tmp/orders"))); // rejected: reset pending
        s.add(id, s.on(id).observation("exec-1", new ConnectorsObserved(Map.of("orders",
                new ConnectorObservation("STOPPED", 0, 0, null, restart.getCommandId(), reset.getCommandId(), null)),
                List.of(), null, Map.of())));
        groupOffsets(s, id);
        mirrors(s, id);
        s.add(id, s.on(id).removeComponent("connect")); // rejected: connectors run on it
        s.add(id, s.on(id).deleteConnector("orders"));
        s.add(id, s.on(id).restartConnector("orders", false, null)); // rejected: not found
        s.add(id, s.on(id).removeComponent("connect"));
    }

    /**
     * A consumer group's offsets reset: asked, asked again while pending, planned, not cancelled once planned, done; another
     * cancelled before its plan (which comes late and is not taken); a plan over a topic not asked for refused.
     */
    private static void groupOffsets(Script s, String id) {
        s.add(id, s.on(id).cancelConsumerGroupOffsetReset("billing", null)); // rejected: none pending
        Command reset = s.on(id).resetConsumerGroupOffsets("billing", List.of(), OffsetResetTarget.SHIFT_BY, null,
                -10L, "skip back");
        s.add(id, reset);
        s.add(id, s.on(id).resetConsumerGroupOffsets("billing", List.of(), OffsetResetTarget.LATEST, null, null,
                null)); // rejected: one pending
        Map<String, List<PartitionOffsetReset>> plan = Map.of("orders",
                List.of(new PartitionOffsetReset(0, 25L, 15L), new PartitionOffsetReset(1, 12L, 2L)));
        for (OffsetResetState step : OffsetResetState.values()) {
            s.add(id, s.on(id).observation("exec-1", new OffsetResetObserved(reset.getCommandId(), "billing", step,
                    step == OffsetResetState.REFUSED ? Map.of() : plan, null))); // the REFUSED, late, changes nothing
            if (step == OffsetResetState.PLANNED) {
                s.add(id, s.on(id).cancelConsumerGroupOffsetReset("billing", "too late")); // rejected: planned
            }
        }
        Command withdrawn = s.on(id).resetConsumerGroupOffsets("billing", List.of("orders"), OffsetResetTarget.EARLIEST,
                null, null, null);
        s.add(id, withdrawn);
        s.add(id, s.on(id).cancelConsumerGroupOffsetReset("billing", "consumers kept running"));
        s.add(id, s.on(id).observation("exec-1", new OffsetResetObserved(withdrawn.getCommandId(), "billing",
                OffsetResetState.PLANNED, plan, null))); // late: not taken
        Command foreign = s.on(id).resetConsumerGroupOffsets("billing", List.of("orders"), OffsetResetTarget.LATEST,
                null, null, null);
        s.add(id, foreign);
        s.add(id, s.on(id).observation("exec-1", new OffsetResetObserved(foreign.getCommandId(), "billing",
                OffsetResetState.PLANNED, Map.of("invoices", plan.get("orders")), null))); // refused: not asked for
    }
}
