package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes: every manifest loads into fabric8's typed model, with no field the model does not know. */
class ExecDeployManifestsTest {

    private static final Path DEPLOY = Path.of("..", "deploy", "kubernetes");

    @Test
    void everyManifestIsATypedObjectWithoutUnknownFields() throws IOException {
        List<HasMetadata> objects = load();
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactlyInAnyOrder(
                "Namespace/coxswain", "ServiceAccount/coxswain", "ClusterRole/coxswain-executor", "ClusterRoleBinding/coxswain-executor",
                "ConfigMap/coxswain-settings", "StatefulSet/coxswain", "Service/coxswain-gateway", "Service/coxswain-nodes");
        for (HasMetadata o : objects) {
            assertThat(o).as(o.getKind() + " is a typed model object").isNotInstanceOf(GenericKubernetesResource.class);
            List<String> unknown = new ArrayList<>();
            unknownFields(o, o.getKind() + "/" + o.getMetadata().getName(), unknown, new IdentityHashMap<>());
            assertThat(unknown).as("fields the Kubernetes model does not know").isEmpty();
        }
    }

    @Test
    void theNodesRunAsTheBoundServiceAccountWithAVolumeForStreamsState() throws IOException {
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
    void theGatewayRunsWithTokensRolesAndTlsFromMountedSecrets() throws IOException {
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

    @Test
    void theRoleGrantsNoWildcards() throws IOException {
        ClusterRole role = one(load(), ClusterRole.class);
        assertThat(role.getRules()).allSatisfy(r -> {
            assertThat(r.getVerbs()).doesNotContain("*");
            assertThat(r.getResources()).doesNotContain("*");
            assertThat(r.getApiGroups()).doesNotContain("*");
        });
    }

    static List<HasMetadata> load() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
                    if (!doc.replaceAll("(?m)^#.*$", "").isBlank()) {
                        objects.add(Serialization.unmarshal(doc, HasMetadata.class));
                    }
                }
            }
        }
        return objects;
    }

    private static <T> T one(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    /** fabric8 keeps fields it does not know in additionalProperties: any entry there is a typo or an unsupported field. */
    private static void unknownFields(Object o, String path, List<String> found, Map<Object, Boolean> visited) {
        if (o == null || visited.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", found, visited);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, found, visited));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = getter.invoke(o);
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) value).keySet().forEach(k -> found.add(path + "." + k));
                } else {
                    unknownFields(value, path + "." + getter.getName().substring(3), found, visited);
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }
}
