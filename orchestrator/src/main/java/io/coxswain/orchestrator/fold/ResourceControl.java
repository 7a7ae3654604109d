package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;

import io.coxswain.avro.command.ClusterResources;
import io.coxswain.avro.command.UpdateResources;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ResourcesSpec;
import io.coxswain.avro.state.RoleResourcesSpec;
import io.coxswain.commands.shape.ResourceShape;
import io.coxswain.commands.shape.ResourceShape.Sizing;
import io.coxswain.commands.shape.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DECIDE and FOLD for the sizing of a cluster's pods, {@code spec.resources}: set by CreateCluster,
 * changed one role at a time by UpdateResources, a field given as {@link ResourceShape#DEFAULT} put back
 * to the installation's default. An update is checked as the sizing the role will
 * have, its values over the current ones, so a new memory is held against the heap already set.
 */
final class ResourceControl {

    private ResourceControl() {
    }

    static boolean handles(Object p) {
        return p instanceof UpdateResources;
    }

    /** DECIDE for an UpdateResources; its own shape (role, quantities, the pairs it gives) is already checked. */
    static Optional<Rejection> check(ClusterState state, Object p) {
        UpdateResources u = (UpdateResources) p;
        String id = state.getClusterId();
        Sizing current = sizing(state.getSpec().getResources(), u.getRole());
        Sizing next = Sizing.of(u).over(current);
        List<Violation> violations = ResourceShape.checkCombination(next, "payload.");
        if (!violations.isEmpty()) {
            return Optional.of(Decide.invalid(violations, "The " + u.getRole() + " of cluster '" + id + "' now have "
                    + describe(current) + "."));
        }
        if (next.sameAs(current)) {
            return Optional.of(new Rejection(NO_CHANGE, "the " + u.getRole() + " of cluster '" + id + "' already have " + describe(current)));
        }
        return Decide.busy(state); // the role's pods roll: one long operation at a time
    }

    /** FOLD: replaces {@code spec.resources} (never changes it in place, see {@link NextState}). */
    static void apply(ClusterState next, Object p) {
        UpdateResources u = (UpdateResources) p;
        ResourcesSpec current = next.getSpec().getResources();
        RoleResourcesSpec role = spec(Sizing.of(u).over(sizing(current, u.getRole())));
        RoleResourcesSpec controllers = current == null ? null : current.getControllers();
        RoleResourcesSpec brokers = current == null ? null : current.getBrokers();
        ResourcesSpec after = Phases.CONTROLLERS.equals(u.getRole()) ? new ResourcesSpec(role, brokers) : new ResourcesSpec(controllers, role);
        // every role back on the installation's defaults (values reset with "default"): the state of a cluster never sized
        next.getSpec().setResources(after.getControllers() == null && after.getBrokers() == null ? null : after);
    }

    /** The sizing a CreateCluster asks for, null when it asks for none (the installation's defaults, as before resources existed). */
    static ResourcesSpec created(ClusterResources r) {
        if (r == null) {
            return null;
        }
        RoleResourcesSpec controllers = spec(Sizing.of(r.getControllers()));
        RoleResourcesSpec brokers = spec(Sizing.of(r.getBrokers()));
        return controllers == null && brokers == null ? null : new ResourcesSpec(controllers, brokers);
    }

    /** The sizing of {@code role} (brokers or controllers) in a state's {@code spec.resources}; {@link Sizing#NONE} for the defaults. */
    static Sizing sizing(ResourcesSpec resources, String role) {
        RoleResourcesSpec r = resources == null ? null : Phases.CONTROLLERS.equals(role) ? resources.getControllers() : resources.getBrokers();
        return r == null ? Sizing.NONE : new Sizing(r.getCpuRequest(), r.getCpuLimit(), r.getMemory(), r.getHeap());
    }

    private static RoleResourcesSpec spec(Sizing s) {
        return s.isEmpty() ? null : new RoleResourcesSpec(s.cpuRequest(), s.cpuLimit(), s.memory(), s.heap());
    }

    /** E.g. {@code cpu request 500m, memory 4Gi, heap 3g (the rest the installation's defaults)}. */
    private static String describe(Sizing s) {
        if (s.isEmpty()) {
            return "the installation's default sizing";
        }
        List<String> parts = new ArrayList<>();
        add(parts, "cpu request", s.cpuRequest());
        add(parts, "cpu limit", s.cpuLimit());
        add(parts, "memory", s.memory());
        add(parts, "heap", s.heap());
        return String.join(", ", parts) + (parts.size() < 4 ? " (the rest the installation's defaults)" : "");
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(name + " " + value);
        }
    }
}
