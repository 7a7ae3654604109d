package io.coxswain.orchestrator.fold;

import io.coxswain.avro.command.CaObserved;
import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.DeleteCluster;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.command.ExecutorRefusalsObserved;
import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OperationDeferred;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.PauseReconciliation;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ReplicationObserved;
import io.coxswain.avro.command.ResumeReconciliation;
import io.coxswain.avro.command.ScaleBrokers;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.command.TopicsRefusedObserved;
import io.coxswain.avro.command.UpdateBrokerConfig;
import io.coxswain.avro.command.UpgradeKafka;
import io.coxswain.avro.state.CaStatus;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.avro.state.StepStatus;
import io.coxswain.avro.state.StorageSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * FOLD: the state after an accepted command. A pure function of (state, command): no clock (times
 * come from the command's {@code issuedAt}), no randomness, no I/O, so replaying the log from the
 * start yields the same states, byte for byte.
 */
public final class Evolve {

    public static final String DEFAULT_IMAGE = "apache/kafka";
    /** Steps kept in {@code status.operation.steps}; the full history is in the log. */
    static final int MAX_STEPS = 50;

    private Evolve() {
    }

    /** @param state null (or a deleted cluster) only for CreateCluster */
    public static ClusterState apply(ClusterState state, Command c) {
        Instant at = c.getIssuedAt();
        Object p = c.getPayload();
        ClusterState next;
        boolean removed = state != null && Phases.DELETED.equals(state.getStatus().getPhase());
        if (state != null && ApprovalControl.handles(p)) {
            return Proposals.apply(state, c); // bookkeeping, or the approved original applied
        }
        if (p instanceof CreateCluster create) {
            next = created(c.getClusterId(), create, at);
            if (create.getApprovalPolicy() != null) {
                Proposals.setPolicy(next, create.getApprovalPolicy(), c); // born with it: no version of the cluster lacks it
            }
            // a cluster created again after deletion keeps counting versions: expectedVersion stays meaningful
            next.setVersion(state == null ? 1 : state.getVersion() + 1);
            removed = false;
        } else {
            next = NextState.of(state); // the stored value stays untouched: replace collections, never change them in place
            Proposals.expire(next, c);
            ClusterSpec spec = next.getSpec();
            if (p instanceof ScaleBrokers s) {
                spec.setBrokers(s.getBrokers());
            } else if (p instanceof UpgradeKafka u) {
                spec.setKafkaVersion(u.getKafkaVersion());
            } else if (p instanceof UpdateBrokerConfig u) {
                spec.setBrokerConfig(changed(spec.getBrokerConfig(), u.getSet(), u.getRemove()));
            } else if (TopicControl.handles(p)) {
                TopicControl.apply(next, p);
            } else if (p instanceof PauseReconciliation pause) {
                spec.setPaused(true);
                spec.setPauseReason(pause.getReason());
            } else if (p instanceof ResumeReconciliation) {
                spec.setPaused(false);
                spec.setPauseReason(null);
            } else if (p instanceof DeleteCluster d) {
                spec.setDeleteRequested(true);
                spec.setDeleteVolumes(d.getDeleteVolumes());
                OffsetResetControl.withdraw(spec, next.getStatus(), at);
                Proposals.withdrawAll(next, c);
            } else if (p instanceof RecordObservation o && o.getObservation() instanceof ConnectorsObserved connectors) {
                next.getStatus().setLastObservedAt(at);
                ConnectorControl.observed(next, connectors, at);
            } else if (p instanceof RecordObservation o && o.getObservation() instanceof OffsetResetObserved reset) {
                next.getStatus().setLastObservedAt(at);
                OffsetResetControl.observed(next, reset, at); // a plan is checked against the cluster's topics
            } else if (p instanceof RecordObservation o && o.getObservation() instanceof TopicsRefusedObserved refused) {
                next.getStatus().setLastObservedAt(at);
                TopicControl.refusalsObserved(next, refused, at); // the topics the state still has, and refused deletions
            } else if (p instanceof RecordObservation o) {
                removed = observe(spec, next.getStatus(), o.getObservation(), at) || removed;
            } else if (OperationControl.handles(p)) {
                OperationControl.apply(next, c);
            } else if (ComponentControl.handles(p)) {
                ComponentControl.apply(next, p);
            } else if (UserControl.handles(p)) {
                UserControl.apply(next, c);
            } else if (ResourceControl.handles(p)) {
                ResourceControl.apply(next, p);
            } else if (StorageControl.handles(p)) {
                StorageControl.apply(next, p);
            } else if (RebalanceControl.handles(p)) {
                RebalanceControl.apply(next, c);
            } else if (ClientAuthControl.handles(p)) {
                ClientAuthControl.apply(next, p);
            } else if (MaintenanceControl.handles(p)) {
                MaintenanceControl.apply(next, p);
            } else if (LabelControl.handles(p)) {
                LabelControl.apply(next, p);
            } else if (CaReplacementControl.handles(p)) {
                CaReplacementControl.apply(next, c);
            } else if (ConnectorControl.handles(p)) {
                ConnectorControl.apply(next, c);
            } else if (MirrorControl.handles(p)) {
                MirrorControl.apply(next, c);
            } else if (OffsetResetControl.handles(p)) {
                OffsetResetControl.apply(next, c);
            } else if (p instanceof SetApprovalPolicy s) {
                Proposals.setPolicy(next, s, c);
            }
            next.setVersion(state.getVersion() + 1);
        }
        next.setUpdatedAt(at);
        next.setLastCommandId(c.getCommandId());
        if (!(p instanceof RecordObservation)) {
            next.setIntentVersion(next.getVersion()); // someone asked for this; what the executor records is no change of intent
        } else if (IntentVersionBackfill.handles(p)) {
            IntentVersionBackfill.apply(next, p);
        }
        String phase = Phases.derive(next, removed);
        next.getStatus().setPhase(phase);
        if (Phases.READY.equals(phase)) {
            next.getStatus().setEverReady(true);
        }
        return next;
    }

    private static ClusterState created(String clusterId, CreateCluster c, Instant at) {
        ClusterSpec spec = ClusterSpec.newBuilder()
                .setKafkaVersion(c.getKafkaVersion())
                .setControllers(c.getControllers())
                .setBrokers(c.getBrokers())
                .setStorage(new StorageSpec(c.getStorage().getSize(), c.getStorage().getStorageClass()))
                .setBrokerConfig(new TreeMap<>(c.getBrokerConfig()))
                .setImage(c.getImage() == null ? DEFAULT_IMAGE : c.getImage())
                .setRackAware(c.getRackAware())
                .setExternalAccess(c.getExternalAccess().name())
                .setClientAuthentication(c.getClientAuthentication().name())
                .setResources(ResourceControl.created(c.getResources()))
                .setLabels(new TreeMap<>(c.getLabels()))
                .build();
        ClusterStatus status = ClusterStatus.newBuilder()
                .setPhase(Phases.PENDING)
                .setComponents(new TreeMap<>())
                .build();
        return ClusterState.newBuilder()
                .setClusterId(clusterId)
                .setVersion(1)
                .setCreatedAt(at)
                .setUpdatedAt(at)
                .setLastCommandId("")
                .setSpec(spec)
                .setTopics(new TreeMap<>())
                .setUsers(new TreeMap<>())
                .setStatus(status)
                .build();
    }

    /** @return true if the observation reports the cluster's objects removed */
    private static boolean observe(ClusterSpec spec, ClusterStatus status, Object observation, Instant at) {
        status.setLastObservedAt(at);
        if (observation instanceof ComponentObserved c) {
            if (!ComponentControl.stale(spec, c)) { // else a platform component removed since it was observed
                Map<String, ComponentStatus> components = new TreeMap<>(status.getComponents());
                components.put(c.getComponent(), new ComponentStatus(c.getDesired(), c.getReady(),
                        new ArrayList<>(c.getVersions()), c.getImage(), at));
                status.setComponents(components);
            }
        } else if (observation instanceof OperationObserved o && !OperationControl.ended(status.getOperation(), o.getOperationId())) {
            OperationStatus op = status.getOperation();
            if (op == null || !op.getOperationId().equals(o.getOperationId())) {
                op = OperationStatus.newBuilder()
                        .setOperationId(o.getOperationId()).setOperation(o.getOperation())
                        .setState(o.getState().name()).setCauseCommandId(o.getCauseCommandId())
                        .setStartedAt(at).setUpdatedAt(at).setSteps(new ArrayList<>())
                        .build();
            }
            op.setState(o.getState().name());
            op.setReason(o.getReason());
            op.setUpdatedAt(at);
            status.setOperation(op);
            OperationControl.settleRequests(spec, op);
            if (OperationControl.RUNNING.equals(op.getState())) {
                status.setDeferred(null); // it waits no more
            }
        } else if (observation instanceof OperationStepObserved s) {
            OperationStatus op = status.getOperation();
            if (op != null && op.getOperationId().equals(s.getOperationId())) {
                List<StepStatus> steps = new ArrayList<>(op.getSteps());
                steps.add(new StepStatus(s.getStep(), s.getState().name(), s.getNode(), s.getReason(), at));
                op.setSteps(steps.size() > MAX_STEPS ? new ArrayList<>(steps.subList(steps.size() - MAX_STEPS, steps.size())) : steps);
                op.setNode(s.getNode());
                if (s.getDone() != null) {
                    op.setDone(s.getDone());
                }
                if (s.getTotal() != null) {
                    op.setTotal(s.getTotal());
                }
                op.setUpdatedAt(at);
            }
        } else if (observation instanceof TopicsObserved t) {
            status.setUnmanagedTopics(new ArrayList<>(new TreeSet<>(t.getUnmanaged())));
        } else if (observation instanceof EndpointObserved e) {
            status.setBootstrapServers(e.getBootstrapServers());
        } else if (observation instanceof ReconciledObserved r) {
            // never backwards: a record from an executor that lost the cluster meanwhile may come late
            status.setReconciledIntentVersion(Math.max(status.getReconciledIntentVersion(), r.getIntentVersion()));
        } else if (observation instanceof OperationDeferred d) {
            MaintenanceControl.deferred(status, d, at);
        } else if (observation instanceof ReplicationObserved r) {
            TopicControl.replicationObserved(status, r, at);
        } else if (observation instanceof CaObserved ca) {
            status.setCa(new CaStatus(ca.getFingerprint(), ca.getNotAfter(), new ArrayList<>(ca.getTrusted()), at));
        } else if (observation instanceof ExecutorRefusalsObserved e) {
            ExecutorRefusalControl.observed(status, e, at);
        } else if (observation instanceof ClusterRemovedObserved) {
            ExecutorRefusalControl.removed(status);
            return true;
        }
        return false;
    }

    static Map<String, String> changed(Map<String, String> current, Map<String, String> set, List<String> remove) {
        Map<String, String> next = new TreeMap<>(current);
        next.putAll(set);
        remove.forEach(next::remove);
        return next;
    }
}
