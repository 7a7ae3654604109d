package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.executor.model.KafkaNetworkPolicies;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes: every manifest loads into fabric8's typed model, with no field the model does not know. */
class DeployManifestsTest {

    @Test
    void everyManifestIsATypedObjectWithoutUnknownFields() {
        List<HasMetadata> objects = load();
        assertThat(objects).extracting(Manifests::id).containsExactlyInAnyOrder(
                "Namespace/coxswain", "ServiceAccount/coxswain", "ClusterRole/coxswain-executor", "ClusterRoleBinding/coxswain-executor",
                "ConfigMap/coxswain-settings", "StatefulSet/coxswain", "Service/coxswain-gateway", "Service/coxswain-nodes",
                "PodDisruptionBudget/coxswain");
        Manifests.assertTypedWithoutUnknownFields(objects);
    }

    @Test
    void theNodesRunAsTheBoundServiceAccountWithAVolumeForStreamsState() {
        List<HasMetadata> objects = load();
        StatefulSet sts = one(objects, StatefulSet.class);
        ServiceAccount sa = one(objects, ServiceAccount.class);
        ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class);
        assertThat(sts.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(sa.getMetadata().getNamespace());
        });
        assertThat(binding.getRoleRef().getName()).isEqualTo(one(objects, ClusterRole.class).getMetadata().getName());
        assertThat(sts.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName()).containsExactly("state");
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("--state-dir=/var/lib/coxswain/streams");
    }

    @Test
    void theGatewayRunsWithTokensRolesAndTlsFromMountedSecrets() {
        StatefulSet sts = one(load(), StatefulSet.class);
        var pod = sts.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        // 'run' refuses to start without --tokens-file (or an explicit --insecure-no-auth)
        assertThat(container.getArgs()).contains("--tokens-file=/etc/coxswain/auth/tokens", "--roles-file=/etc/coxswain/auth/roles",
                "--tls-cert=/etc/coxswain/tls/tls.crt", "--tls-key=/etc/coxswain/tls/tls.key");
        assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        for (String arg : container.getArgs()) {
            if (!arg.contains("=/etc/coxswain/")) {
                continue;
            }
            String file = arg.substring(arg.indexOf('=') + 1);
            var mount = container.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst();
            assertThat(mount).as(arg + " lies in a mounted volume").isPresent();
            var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.get().getName())).findFirst().orElseThrow();
            assertThat(volume.getSecret()).as(arg + " comes from a Secret").isNotNull();
        }
    }

    /** A drain takes at most one node at a time, and the budget covers exactly the nodes' pods. */
    @Test
    void theNodesAreDrainedOneAtATime() {
        List<HasMetadata> objects = load();
        PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(one(objects, StatefulSet.class).getSpec().getSelector().getMatchLabels());
        assertThat(one(objects, StatefulSet.class).getSpec().getReplicas()).as("a budget of one leaves a node serving").isGreaterThan(1);
    }

    @Test
    void theRoleGrantsNoWildcards() {
        ClusterRole role = one(load(), ClusterRole.class);
        assertThat(role.getRules()).allSatisfy(r -> {
            assertThat(r.getVerbs()).doesNotContain("*");
            assertThat(r.getResources()).doesNotContain("*");
            assertThat(r.getApiGroups()).doesNotContain("*");
        });
    }

    /**
     * Each kind the executor makes in a cluster's namespace: read, listed and watched (a pass begins from the watch), created,
     * patched (repairs and changes) and deleted (pruned, and with the cluster); the TLS Secrets at least listed and deleted with it.
     * deploy/helm renders the same role (HelmChartTest).
     */
    @Test
    void theRoleGrantsWhatTheExecutorDoesWithEachKindItMakes() {
        ClusterRole role = one(load(), ClusterRole.class);
        for (Class<? extends HasMetadata> kind : KubeObjects.OWNED_KINDS) {
            List<String> needed = KubeObjects.NAMESPACED_KINDS.contains(kind) ? List.of("get", "list", "watch", "create", "patch", "delete")
                    : List.of("list", "delete");
            String group = HasMetadata.getGroup(kind);
            String plural = HasMetadata.getPlural(kind);
            assertThat(role.getRules().stream().filter(r -> r.getApiGroups().contains(group == null ? "" : group)
                    && r.getResources().contains(plural)).flatMap(r -> r.getVerbs().stream()).toList())
                    .as("%s (%s)", plural, group).containsAll(needed);
        }
        assertThat(role.getRules()).extracting(PolicyRule::getResources).as("the NetworkPolicies' rule is there to be left out")
                .contains(List.of("networkpolicies"));
    }

    /** The clusters' NetworkPolicies admit Coxswain's pods by their labels, in the namespace the pods tell the executor. */
    @Test
    void theNodesCarryTheLabelsTheClustersPoliciesAdmitThemBy() {
        StatefulSet sts = one(load(), StatefulSet.class);
        assertThat(sts.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(KafkaNetworkPolicies.COXSWAIN_POD_LABELS);
        assertThat(sts.getSpec().getSelector().getMatchLabels()).as("and keep them: a selector never changes")
                .containsAllEntriesOf(KafkaNetworkPolicies.COXSWAIN_POD_LABELS);
    }

    static List<HasMetadata> load() {
        return Manifests.documents(Manifests.KUBERNETES).stream().map(Manifests::typed).toList();
    }

    private static <T> T one(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }
}
