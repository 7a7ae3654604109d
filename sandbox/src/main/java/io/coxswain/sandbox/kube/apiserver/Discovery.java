package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.RootPathsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The static discovery documents a client reads before it talks about resources: {@code /api},
 * {@code /api/v1}, {@code /apis}, {@code /apis/<group>}, {@code /apis/<group>/<version>} and
 * {@code /version}. kubectl resolves "sts" or "pdb" through the {@code shortNames} here, so every
 * kind the sandbox is expected to hold is listed with its short names, verbs and scope. The CRUD
 * store would answer these paths with a list of every stored object, so they are answered first.
 */
final class Discovery {

    /** The Kubernetes release the sandbox claims to be; its controllers follow this release's behaviour. */
    static final Map<String, String> VERSION = Map.of(
            "major", "1", "minor", "32", "gitVersion", "v1.32.0-coxswain-sandbox",
            "gitCommit", "0000000000000000000000000000000000000000", "gitTreeState", "clean",
            "buildDate", "2025-01-01T00:00:00Z", "goVersion", "go1.23.4", "compiler", "gc",
            "platform", "linux/amd64");

    private static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> SUB_VERBS = List.of("get", "patch", "update");

    private final Map<String, String> documents = new HashMap<>();
    private final IntSupplier port;

    /** @param port the server's port, read when {@code /api} is asked for (it names the server's address) */
    Discovery(IntSupplier port) {
        this.port = port;
        Map<String, List<APIResource>> groups = new LinkedHashMap<>();
        groups.put("v1", List.of(
                resource("pods", "Pod", true, List.of("po"), true),
                sub("pods/status", "Pod", true), sub("pods/log", "Pod", true),
                resource("services", "Service", true, List.of("svc"), true),
                sub("services/status", "Service", true),
                resource("configmaps", "ConfigMap", true, List.of("cm"), false),
                resource("secrets", "Secret", true, List.of(), false),
                resource("persistentvolumeclaims", "PersistentVolumeClaim", true, List.of("pvc"), false),
                sub("persistentvolumeclaims/status", "PersistentVolumeClaim", true),
                resource("persistentvolumes", "PersistentVolume", false, List.of("pv"), false),
                sub("persistentvolumes/status", "PersistentVolume", false),
                resource("namespaces", "Namespace", false, List.of("ns"), false),
                sub("namespaces/status", "Namespace", false),
                resource("nodes", "Node", false, List.of("no"), false),
                sub("nodes/status", "Node", false),
                resource("serviceaccounts", "ServiceAccount", true, List.of("sa"), false),
                resource("endpoints", "Endpoints", true, List.of("ep"), false),
                resource("events", "Event", true, List.of("ev"), false)));
        groups.put("apps/v1", List.of(
                resource("statefulsets", "StatefulSet", true, List.of("sts"), true),
                sub("statefulsets/status", "StatefulSet", true), sub("statefulsets/scale", "Scale", true),
                resource("deployments", "Deployment", true, List.of("deploy"), true),
                sub("deployments/status", "Deployment", true),
                resource("replicasets", "ReplicaSet", true, List.of("rs"), true),
                resource("daemonsets", "DaemonSet", true, List.of("ds"), true),
                resource("controllerrevisions", "ControllerRevision", true, List.of(), false)));
        groups.put("policy/v1", List.of(
                resource("poddisruptionbudgets", "PodDisruptionBudget", true, List.of("pdb"), false),
                sub("poddisruptionbudgets/status", "PodDisruptionBudget", true)));
        groups.put("coordination.k8s.io/v1", List.of(
                resource("leases", "Lease", true, List.of(), false)));
        groups.put("networking.k8s.io/v1", List.of(
                resource("networkpolicies", "NetworkPolicy", true, List.of("netpol"), false)));
        groups.put("rbac.authorization.k8s.io/v1", List.of(
                resource("roles", "Role", true, List.of(), false),
                resource("rolebindings", "RoleBinding", true, List.of(), false),
                resource("clusterroles", "ClusterRole", false, List.of(), false),
                resource("clusterrolebindings", "ClusterRoleBinding", false, List.of(), false)));

        List<APIGroup> apiGroups = new ArrayList<>();
        List<String> paths = new ArrayList<>(List.of("/api", "/api/v1", "/apis", "/version"));
        groups.forEach((groupVersion, resources) -> {
            documents.put(groupVersion.equals("v1") ? "/api/v1" : "/apis/" + groupVersion, json(new APIResourceListBuilder()
                    .withGroupVersion(groupVersion).withResources(resources).build()));
            if (!groupVersion.equals("v1")) {
                String group = groupVersion.substring(0, groupVersion.indexOf('/'));
                GroupVersionForDiscovery version = new GroupVersionForDiscovery(groupVersion, "v1");
                APIGroup apiGroup = new APIGroupBuilder().withName(group).withVersions(version)
                        .withPreferredVersion(version).build();
                apiGroups.add(apiGroup);
                documents.put("/apis/" + group, json(apiGroup));
                paths.add("/apis/" + group);
                paths.add("/apis/" + groupVersion);
            }
        });
        documents.put("/apis", json(new APIGroupListBuilder().withGroups(apiGroups).build()));
        documents.put("/version", json(VERSION));
        documents.put("/", json(new RootPathsBuilder().withPaths(paths).build()));
    }

    /**
     * The answer to a GET of {@code path} (query ignored) that is not about stored objects:
     * discovery documents, health checks, and 404 for any other path outside the resource
     * paths (such as {@code /openapi/v2}, which kubectl then does without). Empty for resource paths.
     */
    Optional<MockResponse> answer(String path) {
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        if (bare.length() > 1 && bare.endsWith("/")) {
            bare = bare.substring(0, bare.length() - 1);
        }
        if (bare.equals("/api")) {
            return Optional.of(ok(json(new APIVersionsBuilder().withVersions("v1")
                    .addNewServerAddressByClientCIDR("0.0.0.0/0", "127.0.0.1:" + port.getAsInt()).build())));
        }
        if (documents.containsKey(bare)) {
            return Optional.of(ok(documents.get(bare)));
        }
        if (bare.equals("/healthz") || bare.equals("/livez") || bare.equals("/readyz")) {
            return Optional.of(new MockResponse().setResponseCode(200).setBody("ok")
                    .setHeader("Content-Type", "text/plain; charset=utf-8"));
        }
        boolean resourcePath = bare.startsWith("/api/v1/") || (bare.startsWith("/apis/") && bare.split("/").length > 4);
        return resourcePath ? Optional.empty() : Optional.of(notFound(bare));
    }

    private static MockResponse ok(String document) {
        return new MockResponse().setResponseCode(200).setBody(document).setHeader("Content-Type", "application/json");
    }

    private static MockResponse notFound(String path) {
        return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\","
                        + "\"details\":{\"causes\":[{\"reason\":\"UnexpectedServerResponse\",\"message\":\"404 page not found\"}]},"
                        + "\"code\":404}");
    }

    private static APIResource resource(String plural, String kind, boolean namespaced, List<String> shortNames,
            boolean inCategoryAll) {
        return new APIResourceBuilder().withName(plural).withSingularName(kind.toLowerCase())
                .withKind(kind).withNamespaced(namespaced).withVerbs(ALL_VERBS).withShortNames(shortNames)
                .withCategories(inCategoryAll ? List.of("all") : List.of()).build();
    }

    private static APIResource sub(String name, String kind, boolean namespaced) {
        return new APIResourceBuilder().withName(name).withSingularName("").withKind(kind)
                .withNamespaced(namespaced).withVerbs(SUB_VERBS).build();
    }

    private static String json(Object document) {
        return Serialization.asJson(document);
    }
}
