package io.coxswain.orchestrator.fold;

import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.RemoveComponent;
import io.coxswain.avro.command.SetComponent;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.avro.state.PlatformComponentSpec;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.commands.shape.UserShape;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * DECIDE and FOLD for the platform components run beside a cluster (Schema Registry, Connect, REST
 * Proxy, ksqlDB): {@code spec.components}, one entry per component. Kept together because the rules
 * and the fields they change are the same. A SetComponent names the whole configuration of its
 * component; version and image, when left out, keep what runs (or take the catalog's defaults).
 */
final class ComponentControl {

    private ComponentControl() {
    }

    static boolean handles(Object p) {
        return p instanceof SetComponent || p instanceof RemoveComponent;
    }

    /** DECIDE for a payload that {@link #handles}; the shape (names, replicas, managed keys) is already checked. */
    static Optional<Rejection> check(ClusterState state, Object p) {
        Map<String, PlatformComponentSpec> components = state.getSpec().getComponents();
        String id = state.getClusterId();
        if (p instanceof SetComponent s) {
            if (UserShape.authenticatesClients(state.getSpec().getClientAuthentication()) && !state.getUsers().containsKey(s.getComponent())) {
                // the component connects as the user of its own name, with the ACLs a person granted it: never more than the log shows
                return Optional.of(new Rejection(RejectionCode.USER_NOT_FOUND, s.getComponent() + " cannot run beside cluster '" + id
                        + "' yet: the cluster requires client certificates (clientAuthentication TLS), and " + s.getComponent()
                        + " connects as the user '" + s.getComponent() + "', which does not exist; create it first with the ACLs "
                        + s.getComponent() + " needs (CreateUser; the README lists them per component), then send this command again"));
            }
            PlatformComponentSpec current = components.get(s.getComponent());
            if (current != null && current.equals(next(current, s))) {
                return Optional.of(new Rejection(RejectionCode.NO_CHANGE, s.getComponent() + " of cluster '" + id + "' already runs "
                        + current.getReplicas() + " replica(s) of " + current.getImage() + ":" + current.getVersion() + " with this configuration"));
            }
            return Optional.empty();
        }
        RemoveComponent r = (RemoveComponent) p;
        if (!components.containsKey(r.getComponent())) {
            return Optional.of(new Rejection(RejectionCode.NO_CHANGE, r.getComponent() + " does not run beside cluster '" + id
                    + "', so there is nothing to remove" + (components.isEmpty() ? "" : "; it runs " + String.join(", ", components.keySet()))));
        }
        Optional<Rejection> connectors = ConnectorControl.checkRemoval(state, r.getComponent());
        return connectors.isPresent() ? connectors : MirrorControl.checkRemoval(state, r.getComponent());
    }

    /** FOLD: replaces {@code spec.components} (never changes it in place, see {@link NextState}). */
    static void apply(ClusterState next, Object p) {
        Map<String, PlatformComponentSpec> components = new TreeMap<>(next.getSpec().getComponents());
        if (p instanceof SetComponent s) {
            components.put(s.getComponent(), next(components.get(s.getComponent()), s));
        } else {
            String name = ((RemoveComponent) p).getComponent();
            components.remove(name);
            // what was observed of it goes with it: the phase no longer waits for a component nobody asks for
            Map<String, ComponentStatus> observed = new TreeMap<>(next.getStatus().getComponents());
            observed.remove(name);
            next.getStatus().setComponents(observed);
        }
        next.getSpec().setComponents(components);
    }

    /**
     * An observation of a platform component the spec no longer asks for: one made before a
     * RemoveComponent and folded after it. Folding it would bring back a status entry that no later
     * observation corrects (the executor reports only the components asked for).
     */
    static boolean stale(ClusterSpec spec, ComponentObserved observed) {
        return PlatformComponent.named(observed.getComponent()).isPresent() && !spec.getComponents().containsKey(observed.getComponent());
    }

    private static PlatformComponentSpec next(PlatformComponentSpec current, SetComponent s) {
        String defaultImage = PlatformComponent.named(s.getComponent()).map(PlatformComponent::defaultImage).orElseThrow();
        return new PlatformComponentSpec(s.getReplicas(),
                s.getVersion() != null ? s.getVersion() : current != null ? current.getVersion() : PlatformComponent.DEFAULT_VERSION,
                s.getImage() != null ? s.getImage() : current != null ? current.getImage() : defaultImage,
                new TreeMap<>(s.getConfig()), new java.util.ArrayList<>(new java.util.TreeSet<>(s.getSecrets())));
    }
}
