package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The defaults a real API server fills in on every create and update, for the kinds an
 * orchestrator of Kafka pods writes: StatefulSets (and their pod template and claim templates),
 * Pods, Services (with a cluster IP allocated) and PersistentVolumeClaims. Without them an
 * orchestrator comparing the object it built with the stored one would see no difference here
 * and a difference on every real cluster; with them the sandbox shows the same drift.
 */
final class ApiDefaults {

    private final AtomicInteger nextClusterIp = new AtomicInteger(1);

    /**
     * Fills in the defaults of the object of resource {@code plural} in place; on {@code create},
     * pods and claims also get the status a new one has (whatever status the client sent).
     */
    void apply(String plural, ObjectNode object, JsonNode stored, boolean create) {
        ObjectNode spec = object.get("spec") instanceof ObjectNode s ? s : null;
        if (spec == null) {
            return;
        }
        switch (plural) {
            case "statefulsets" -> statefulSet(spec);
            case "pods" -> pod(spec);
            case "services" -> service(spec, stored == null ? null : stored.path("spec"));
            case "persistentvolumeclaims" -> spec.putIfAbsent("volumeMode", text(spec, "Filesystem"));
            default -> { }
        }
        if (create && plural.equals("pods")) {
            object.putObject("status").put("phase", "Pending").put("qosClass", qosClass(spec));
        } else if (create && plural.equals("persistentvolumeclaims")) {
            object.putObject("status").put("phase", "Pending");
        }
    }

    /** Kubernetes' QoS class: no requests or limits at all, cpu and memory limits equal to requests everywhere, or neither. */
    private static String qosClass(JsonNode spec) {
        boolean any = false;
        boolean guaranteed = true;
        for (JsonNode container : spec.path("containers")) {
            JsonNode limits = container.path("resources").path("limits");
            JsonNode requests = container.path("resources").path("requests");
            any |= limits.size() > 0 || requests.size() > 0;
            boolean limited = limits.has("cpu") && limits.has("memory");
            guaranteed &= limited && (requests.size() == 0 || requests.equals(limits));
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    private void statefulSet(ObjectNode spec) {
        spec.putIfAbsent("replicas", spec.numberNode(1));
        spec.putIfAbsent("podManagementPolicy", text(spec, "OrderedReady"));
        spec.putIfAbsent("revisionHistoryLimit", spec.numberNode(10));
        ObjectNode strategy = object(spec, "updateStrategy");
        strategy.putIfAbsent("type", text(spec, "RollingUpdate"));
        if (strategy.path("type").asText().equals("RollingUpdate")) {
            object(strategy, "rollingUpdate").putIfAbsent("partition", spec.numberNode(0));
        }
        ObjectNode retention = object(spec, "persistentVolumeClaimRetentionPolicy");
        retention.putIfAbsent("whenDeleted", text(spec, "Retain"));
        retention.putIfAbsent("whenScaled", text(spec, "Retain"));
        if (spec.path("template").path("spec") instanceof ObjectNode podSpec) {
            podTemplate(podSpec);
        }
        for (JsonNode claim : spec.path("volumeClaimTemplates")) {
            if (claim instanceof ObjectNode c) {
                c.putIfAbsent("apiVersion", text(c, "v1"));
                c.putIfAbsent("kind", text(c, "PersistentVolumeClaim"));
                object(c, "spec").putIfAbsent("volumeMode", text(c, "Filesystem"));
                object(c, "status").putIfAbsent("phase", text(c, "Pending"));
            }
        }
    }

    /** A pod's own defaults: the template's, and what admission adds to a created pod. */
    private void pod(ObjectNode spec) {
        podTemplate(spec);
        spec.putIfAbsent("serviceAccountName", text(spec, "default"));
        spec.putIfAbsent("serviceAccount", spec.get("serviceAccountName").deepCopy());
        spec.putIfAbsent("enableServiceLinks", spec.booleanNode(true));
        spec.putIfAbsent("priority", spec.numberNode(0));
        spec.putIfAbsent("preemptionPolicy", text(spec, "PreemptLowerPriority"));
    }

    private void podTemplate(ObjectNode spec) {
        spec.putIfAbsent("restartPolicy", text(spec, "Always"));
        spec.putIfAbsent("terminationGracePeriodSeconds", spec.numberNode(30));
        spec.putIfAbsent("dnsPolicy", text(spec, "ClusterFirst"));
        spec.putIfAbsent("schedulerName", text(spec, "default-scheduler"));
        spec.putIfAbsent("securityContext", spec.objectNode());
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode container : spec.path(list)) {
                if (container instanceof ObjectNode c) {
                    container(c);
                }
            }
        }
        for (JsonNode volume : spec.path("volumes")) {
            for (String source : new String[] {"configMap", "secret"}) {
                if (volume.path(source) instanceof ObjectNode s) {
                    s.putIfAbsent("defaultMode", s.numberNode(420));
                }
            }
        }
    }

    private void container(ObjectNode container) {
        container.putIfAbsent("terminationMessagePath", text(container, "/dev/termination-log"));
        container.putIfAbsent("terminationMessagePolicy", text(container, "File"));
        String image = container.path("image").asText("");
        String tag = image.contains("@") ? "digest" : image.lastIndexOf(':') > image.lastIndexOf('/')
                ? image.substring(image.lastIndexOf(':') + 1) : "latest";
        container.putIfAbsent("imagePullPolicy", text(container, tag.equals("latest") ? "Always" : "IfNotPresent"));
        container.putIfAbsent("resources", container.objectNode());
        for (JsonNode port : container.path("ports")) {
            if (port instanceof ObjectNode p) {
                p.putIfAbsent("protocol", text(p, "TCP"));
            }
        }
        for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
            if (container.get(probe) instanceof ObjectNode p) {
                p.putIfAbsent("timeoutSeconds", p.numberNode(1));
                p.putIfAbsent("periodSeconds", p.numberNode(10));
                p.putIfAbsent("successThreshold", p.numberNode(1));
                p.putIfAbsent("failureThreshold", p.numberNode(3));
                if (p.get("httpGet") instanceof ObjectNode http) {
                    http.putIfAbsent("scheme", text(http, "HTTP"));
                }
            }
        }
        for (JsonNode env : container.path("env")) {
            if (env.path("valueFrom").path("fieldRef") instanceof ObjectNode ref) {
                ref.putIfAbsent("apiVersion", text(ref, "v1"));
            }
        }
    }

    /** Service defaults; the cluster IP is allocated once and kept by later updates, as it is immutable. */
    private void service(ObjectNode spec, JsonNode storedSpec) {
        spec.putIfAbsent("type", text(spec, "ClusterIP"));
        spec.putIfAbsent("sessionAffinity", text(spec, "None"));
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p) {
                p.putIfAbsent("protocol", text(p, "TCP"));
                if (p.has("port")) {
                    p.putIfAbsent("targetPort", p.get("port").deepCopy());
                }
            }
        }
        if (spec.path("type").asText().equals("ExternalName")) {
            return;
        }
        if (storedSpec != null && List.of("NodePort", "LoadBalancer").contains(spec.path("type").asText())) {
            keepNodePorts(spec, storedSpec);
        }
        if (!spec.hasNonNull("clusterIP") || spec.path("clusterIP").asText().isEmpty()) {
            String kept = storedSpec == null ? "" : storedSpec.path("clusterIP").asText("");
            int n = kept.isEmpty() ? nextClusterIp.getAndIncrement() : 0;
            spec.put("clusterIP", kept.isEmpty() ? "10.96." + (n / 250) + "." + (n % 250 + 1) : kept);
        }
        ArrayNode ips = spec.arrayNode().add(spec.get("clusterIP").asText());
        spec.putIfAbsent("clusterIPs", ips);
        spec.putIfAbsent("ipFamilies", spec.arrayNode().add("IPv4"));
        spec.putIfAbsent("ipFamilyPolicy", text(spec, "SingleStack"));
        spec.putIfAbsent("internalTrafficPolicy", text(spec, "Cluster"));
    }

    /**
     * An update that leaves a port's node port out keeps the one the port of that name had (as
     * for the cluster IP, the API server keeps what it allocated rather than refuse the write),
     * unless another port of the update has taken it.
     */
    private static void keepNodePorts(ObjectNode spec, JsonNode storedSpec) {
        Set<Integer> taken = new HashSet<>();
        spec.path("ports").forEach(p -> taken.add(p.path("nodePort").asInt(0)));
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p && p.path("nodePort").asInt(0) == 0) {
                for (JsonNode old : storedSpec.path("ports")) {
                    int kept = old.path("nodePort").asInt(0);
                    if (kept != 0 && old.path("name").asText("").equals(p.path("name").asText("")) && taken.add(kept)) {
                        p.put("nodePort", kept);
                    }
                }
            }
        }
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        if (!(parent.get(field) instanceof ObjectNode)) {
            parent.set(field, parent.objectNode());
        }
        return (ObjectNode) parent.get(field);
    }

    private static JsonNode text(ObjectNode factory, String value) {
        return factory.textNode(value);
    }
}
