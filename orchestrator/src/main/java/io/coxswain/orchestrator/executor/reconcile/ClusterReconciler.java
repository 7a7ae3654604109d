package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.model.ExternalAddress;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.MirrorSecret;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.executor.tls.CertificateIssuer;
import io.coxswain.orchestrator.executor.tls.ClusterTls;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level-triggered reconcile of one cluster: compares what the state asks for with what Kubernetes
 * has and acts on the difference, then reports what it sees. Safe to run any number of times:
 * a pass over a converged cluster takes no action and records nothing.
 */
public final class ClusterReconciler {

    private static final Logger log = LoggerFactory.getLogger(ClusterReconciler.class);

    /** What a pass ended with: done, or waiting for the world (call again soon). */
    public enum Result { CONVERGED, WAITING }

    private final KubeObjects kube;
    private final ModelSettings settings;
    private final ActionRecorder recorder;
    private final ObjectApplier applier;
    private final DesiredObjects desiredObjects;
    private final StatusReporter status;
    private final ClusterRemover remover;
    private final ClusterOperations operations;
    private final ClusterTls tls;
    private final LabelSync labels;
    private final ComponentSecretGuard componentSecrets;
    private final CoxswainNamespaceGuard coxswainNamespace;
    private final Function<ClusterNames, String> bootstrapAddress;
    private final MadeObjects made;

    /** @param bootstrapAddress the address published as {@code status.bootstrapServers} */
    public ClusterReconciler(KubeObjects kube, ModelSettings settings, ActionRecorder recorder, StatusReporter status,
                             ClusterOperations operations, Function<ClusterNames, String> bootstrapAddress) {
        this.kube = kube;
        this.settings = settings;
        this.recorder = recorder;
        this.applier = new ObjectApplier(kube, recorder);
        this.made = new MadeObjects(kube);
        this.desiredObjects = new DesiredObjects(settings);
        this.status = status;
        this.remover = new ClusterRemover(kube, settings, recorder, status);
        this.operations = operations;
        this.tls = new ClusterTls(kube, recorder, new CertificateIssuer(), Clock.systemUTC());
        this.labels = new LabelSync(kube, settings, recorder);
        this.componentSecrets = new ComponentSecretGuard(kube, recorder, !DesiredCluster.ownsNamespace(settings));
        this.coxswainNamespace = new CoxswainNamespaceGuard(kube, recorder, status, settings);
        this.bootstrapAddress = bootstrapAddress;
    }

    public Result reconcile(ReconcilePass pass) {
        ClusterState state = pass.state();
        ClusterNames names = ClusterNames.of(state.getClusterId(), settings.namespaceTemplate());
        if (coxswainNamespace.guards(names)) {
            return coxswainNamespace.pass(pass, names); // first: not even a deletion acts there
        }
        if (state.getSpec().getDeleteRequested()) {
            return remover.remove(pass, names);
        }
        if (state.getSpec().getPaused()) {
            log.debug("cluster {}: reconciliation paused ({}); observing only", pass.clusterId(), state.getSpec().getPauseReason());
            reportRefusals(state);
            status.reportReconciled(state); // the pause itself is what was asked, and it is in force
        } else {
            ensureNamespace(pass, names);
            int brokers = brokerReplicas(pass);
            LiveObjects live = LiveObjects.read(kube, names, settings);
            MadeObjects.Evidence madeBefore = made.evidence(names, live);
            Map<Integer, ExternalAddress> external = applyExternalServices(pass, names, live, madeBefore, brokers);
            // certificates before the pods that mount them: a scale-out's new pods start with theirs; and
            // those of the pods the brokers StatefulSet still runs stay, though a shrinking pass wants fewer.
            // A broker's load balancer address, once Kubernetes gives one, joins its certificate's names in
            // the same pass that advertises it, so the one roll carries both
            int renewals = tls.ensure(pass, names, new ClusterTls.Shape(state.getSpec().getControllers(), brokers,
                    live.replicas(names.statefulSet(KafkaRole.BROKER)), ExternalAddress.namedHosts(external)));
            Optional<String> mirrorSecret = tls.access(pass.clusterId()).flatMap(access -> operations.issueIdentities(pass, names, access));
            Map<String, Map<String, ComponentSecretGuard.Withheld>> withheld = componentSecrets.withheld(state.getSpec(), names);
            DesiredCluster desired = desiredObjects.of(state, new DesiredCluster.Inputs(brokers, external, renewals,
                    tls.caCertificate(pass.clusterId()).orElse(null), tls.componentIdentities(state, names), ComponentSecretGuard.namesOf(withheld),
                    mirrorSecret(state, names, mirrorSecret)));
            applyObjects(pass, desired, live, madeBefore);
            componentSecrets.tell(pass, names, withheld);
            // every object the state asks for is made or found by now: the record says so to the passes after (MadeObjects)
            Set<String> wanted = wanted(pass, desired, brokers);
            ConfigMap record = made.desired(names, wanted, state.getSpec().getLabels());
            pruneLeftovers(pass, live, key -> wanted.contains(key) || key.equals(key(record)));
            applier.apply(pass, record, live.listed(record), () -> false); // nothing is evidence of the record itself
            tls.caObserved(pass.clusterId()).ifPresent(ca -> status.reportCa(state, ca));
            // after the TLS step: the drivers trust the CA it just ensured, never one it has since replaced
            boolean driven = operations.drive(pass, names, tls.access(pass.clusterId()));
            // last: the Secrets and pods this pass made are labelled with the rest
            labels.sync(pass, names);
            reportRefusals(state);
            if (driven) {
                status.reportReconciled(state); // the intent this pass began with, whatever newer state the drivers stepped on
            }
        }
        status.reportComponents(state, names);
        publishEndpoint(state, names);
        return Result.CONVERGED;
    }

    /**
     * The whole set of what the operations refuse, so what is no longer refused leaves (the namespace guard's too, once the
     * template maps the cluster elsewhere). Before the pass is reported acted on: whoever sees the change acted on (cox wait
     * ending at a Ready cluster) sees with it what the executor left undone, not a moment later.
     */
    private void reportRefusals(ClusterState state) {
        status.reportRefusals(state, operations.refusals(state));
    }

    /**
     * What the mirror Secret holds, hashed: as issueIdentities just wrote it ({@code written}), else as it is (a pass without
     * the cluster's access yet, or without the drivers, writes none); null while there is none.
     */
    private String mirrorSecret(ClusterState state, ClusterNames names, Optional<String> written) {
        if (!MirrorSecret.mounted(state.getSpec())) {
            return null;
        }
        if (written.isPresent()) {
            return written.get();
        }
        Secret live = kube.secret(names.namespace(), names.mirrorsSecret());
        return live == null ? null : MirrorSecret.contentHash(live.getData() == null ? Map.of() : live.getData());
    }

    public void forget(String clusterId) {
        made.forget(clusterId);
        tls.forget(clusterId);
        labels.forget(clusterId);
        componentSecrets.forget(clusterId);
        coxswainNamespace.forget(clusterId);
        desiredObjects.forget(clusterId);
        applier.forget(clusterId);
        status.forget(clusterId);
        operations.forget(clusterId);
    }

    private void ensureNamespace(ReconcilePass pass, ClusterNames names) {
        if (DesiredCluster.ownsNamespace(settings) && kube.namespace(names.namespace()) == null) {
            DesiredCluster desired = DesiredCluster.of(pass.state(), settings, DesiredCluster.Inputs.of(pass.state()));
            recorder.before(pass.clusterId(), ResourceAction.CREATE, desired.namespace(),
                    "cluster state v" + pass.version() + " asks for namespace " + names.namespace(), pass.cause(), null);
            kube.create(desired.namespace());
        }
    }

    /** External Services first: the brokers' advertised addresses are read from them. */
    private Map<Integer, ExternalAddress> applyExternalServices(ReconcilePass pass, ClusterNames names, LiveObjects live,
                                                                MadeObjects.Evidence madeBefore, int brokers) {
        Map<Integer, ExternalAddress> addresses = new LinkedHashMap<>();
        List<HasMetadata> services = DesiredCluster.externalServices(pass.state().getSpec(), names, brokers);
        for (int i = 0; i < services.size(); i++) {
            Service service = (Service) apply(pass, ObjectDiff.stamped(services.get(i)), live, madeBefore);
            int ordinal = i;
            ExternalAddresses.of(service).ifPresent(a -> addresses.put(ordinal, a));
        }
        return addresses;
    }

    private void applyObjects(ReconcilePass pass, DesiredCluster desired, LiveObjects live, MadeObjects.Evidence madeBefore) {
        for (HasMetadata object : desired.objects()) {
            apply(pass, object, live, madeBefore);
        }
    }

    private HasMetadata apply(ReconcilePass pass, HasMetadata object, LiveObjects live, MadeObjects.Evidence madeBefore) {
        return applier.apply(pass, object, live.listed(object), () -> madeBefore.made(object));
    }

    /** The keys of every object the state asks for, the per-broker external Services among them. */
    private static Set<String> wanted(ReconcilePass pass, DesiredCluster desired, int brokers) {
        Set<String> wanted = new HashSet<>();
        desired.objects().forEach(o -> wanted.add(key(o)));
        DesiredCluster.externalServices(pass.state().getSpec(), desired.names(), brokers).forEach(o -> wanted.add(key(o)));
        return wanted;
    }

    /**
     * Deletes objects of the cluster the state no longer asks for (an external Service after
     * externalAccess went away, every object of a removed platform component), from the lists the pass began with: what it made since is wanted.
     */
    private void pruneLeftovers(ReconcilePass pass, LiveObjects live, Predicate<String> kept) {
        for (HasMetadata leftover : live.listed()) {
            if (!kept.test(key(leftover))) {
                recorder.before(pass.clusterId(), ResourceAction.DELETE, leftover,
                        "cluster state v" + pass.version() + " no longer asks for " + leftover.getKind() + " " + leftover.getMetadata().getName(),
                        pass.cause(), null);
                kube.delete(leftover);
            }
        }
    }

    /**
     * Brokers follow the spec upwards at once. Downwards they wait: removing a broker that still
     * holds replicas loses data, so a scale-in is an operation (drain, then shrink) that issue 5's
     * {@link ClusterOperations} performs; until then the brokers Coxswain runs are kept. "Runs" is
     * what the fold last recorded, not the live StatefulSet, so a hand edit of the replicas is
     * drift to repair, never a scale-in to honour.
     */
    private int brokerReplicas(ReconcilePass pass) {
        int wanted = pass.state().getSpec().getBrokers();
        ComponentStatus brokers = pass.state().getStatus().getComponents().get(KafkaRole.BROKER.statusKey());
        int running = brokers == null ? 0 : brokers.getDesired();
        if (wanted >= running) {
            return wanted;
        }
        int allowed = Math.max(wanted, operations.brokersAllowed(pass, running, tls.access(pass.clusterId())));
        if (allowed == running) {
            log.info("cluster {}: state asks for {} brokers, {} run; keeping them until a scale-in operation has drained the rest",
                    pass.clusterId(), wanted, running);
        }
        return allowed;
    }

    /** Once the bootstrap Service exists (as the watch saw it: its arrival starts another pass). */
    private void publishEndpoint(ClusterState state, ClusterNames names) {
        String bootstrap = names.bootstrapService();
        if (kube.listWatched(Service.class, names.namespace(), names.clusterSelector()).stream()
                .anyMatch(s -> s.getMetadata().getName().equals(bootstrap))) {
            status.reportEndpoint(state, bootstrapAddress.apply(names));
        }
    }

    static String key(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }
}
