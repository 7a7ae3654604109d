package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Server-side printing: the {@code meta.k8s.io/v1 Table} that kubectl asks for with
 * {@code Accept: application/json;as=Table}, so that {@code kubectl get pods} shows READY, STATUS
 * and RESTARTS as on a cluster instead of only NAME and AGE. The columns follow Kubernetes' own
 * printers for the kinds the sandbox is used with; any other kind gets Name and Age.
 */
final class TableView {

    /** A column; priority 1 columns are shown by {@code -o wide} only. */
    private record Column(String name, String type, Function<JsonNode, Object> cell, int priority) {
        Column(String name, String type, Function<JsonNode, Object> cell) {
            this(name, type, cell, 0);
        }
    }

    private static final Column NAME = new Column("Name", "string", o -> o.path("metadata").path("name").asText());
    private static final Column AGE = new Column("Age", "string", TableView::age);

    private static final Map<String, List<Column>> COLUMNS = Map.of(
            "pods", List.of(NAME,
                    new Column("Ready", "string", TableView::podReady),
                    new Column("Status", "string", TableView::podStatus),
                    new Column("Restarts", "string", TableView::restarts), AGE,
                    new Column("IP", "string", o -> o.path("status").path("podIP").asText("<none>"), 1),
                    new Column("Node", "string", o -> o.path("spec").path("nodeName").asText("<none>"), 1)),
            "statefulsets", List.of(NAME, new Column("Ready", "string", o -> o.path("status").path("readyReplicas").asInt(0)
                    + "/" + o.path("spec").path("replicas").asInt(1)), AGE,
                    new Column("Containers", "string", o -> joined(o.at("/spec/template/spec/containers"), "name"), 1),
                    new Column("Images", "string", o -> joined(o.at("/spec/template/spec/containers"), "image"), 1)),
            "services", List.of(NAME, text("Type", "/spec/type"), text("Cluster-IP", "/spec/clusterIP"),
                    new Column("External-IP", "string", o -> "<none>"),
                    new Column("Port(s)", "string", TableView::ports), AGE),
            "configmaps", List.of(NAME, new Column("Data", "integer", o -> o.path("data").size() + o.path("binaryData").size()), AGE),
            "secrets", List.of(NAME, text("Type", "/type"), new Column("Data", "integer", o -> o.path("data").size()), AGE),
            "persistentvolumeclaims", List.of(NAME, text("Status", "/status/phase"), text("Volume", "/spec/volumeName"),
                    text("Capacity", "/status/capacity/storage"),
                    new Column("Access Modes", "string", o -> accessModes(o.path("status").path("accessModes"))),
                    text("StorageClass", "/spec/storageClassName"), AGE),
            "persistentvolumes", List.of(NAME, text("Capacity", "/spec/capacity/storage"),
                    new Column("Access Modes", "string", o -> accessModes(o.path("spec").path("accessModes"))),
                    text("Reclaim Policy", "/spec/persistentVolumeReclaimPolicy"), text("Status", "/status/phase"),
                    new Column("Claim", "string", o -> o.path("spec").path("claimRef").path("namespace").asText()
                            + "/" + o.path("spec").path("claimRef").path("name").asText()), AGE),
            "poddisruptionbudgets", List.of(NAME, orNone("Min Available", "/spec/minAvailable"),
                    orNone("Max Unavailable", "/spec/maxUnavailable"),
                    new Column("Allowed Disruptions", "integer", o -> o.path("status").path("disruptionsAllowed").asInt(0)), AGE),
            "namespaces", List.of(NAME, text("Status", "/status/phase"), AGE),
            "nodes", List.of(NAME, new Column("Status", "string", o -> "Ready"), new Column("Roles", "string", o -> "<none>"),
                    AGE, text("Version", "/status/nodeInfo/kubeletVersion")));

    private final ObjectMapper mapper = new ObjectMapper();

    /** Whether the client asked for a Table (kubectl get does). */
    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    /** The stored object or list (JSON) as a Table of resource {@code plural}. */
    String render(String plural, byte[] json) throws IOException {
        JsonNode body = mapper.readTree(json);
        List<JsonNode> objects = new ArrayList<>();
        if (body.has("items")) {
            body.get("items").forEach(objects::add);
        } else {
            objects.add(body);
        }
        List<Column> columns = COLUMNS.getOrDefault(plural, List.of(NAME, AGE));
        ObjectNode table = mapper.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (Column column : columns) {
            definitions.addObject().put("name", column.name()).put("type", column.type())
                    .put("format", column == NAME ? "name" : "").put("description", "").put("priority", column.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            columns.forEach(c -> cells.addPOJO(c.cell().apply(object)));
            ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata")
                    .put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", object.path("metadata").deepCopy());
        }
        return mapper.writeValueAsString(table);
    }

    private static Column text(String name, String pointer) {
        return new Column(name, "string", o -> o.at(pointer).isMissingNode() || o.at(pointer).isNull()
                ? "<none>" : o.at(pointer).asText());
    }

    private static Column orNone(String name, String pointer) {
        return new Column(name, "string", o -> o.at(pointer).isMissingNode() ? "N/A" : o.at(pointer).asText());
    }

    private static String joined(JsonNode list, String field) {
        StringJoiner joined = new StringJoiner(",");
        list.forEach(element -> joined.add(element.path(field).asText()));
        return joined.toString();
    }

    private static String podReady(JsonNode pod) {
        int ready = 0;
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            ready += c.path("ready").asBoolean() ? 1 : 0;
        }
        return ready + "/" + pod.path("spec").path("containers").size();
    }

    private static String podStatus(JsonNode pod) {
        if (pod.path("metadata").has("deletionTimestamp")) {
            return "Terminating";
        }
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            if (c.path("state").has("waiting")) {
                return c.path("state").path("waiting").path("reason").asText("Waiting");
            }
        }
        return pod.path("status").path("phase").asText("Pending");
    }

    private static String restarts(JsonNode pod) {
        int restarts = 0;
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            restarts += c.path("restartCount").asInt();
        }
        return Integer.toString(restarts);
    }

    private static String ports(JsonNode service) {
        StringJoiner ports = new StringJoiner(",");
        service.path("spec").path("ports").forEach(p -> ports.add(p.path("port").asText() + "/" + p.path("protocol").asText("TCP")));
        return ports.length() == 0 ? "<none>" : ports.toString();
    }

    private static String accessModes(JsonNode modes) {
        StringJoiner abbreviated = new StringJoiner(",");
        modes.forEach(m -> abbreviated.add(switch (m.asText()) {
            case "ReadWriteOnce" -> "RWO";
            case "ReadOnlyMany" -> "ROX";
            case "ReadWriteMany" -> "RWX";
            case "ReadWriteOncePod" -> "RWOP";
            default -> m.asText();
        }));
        return abbreviated.toString();
    }

    /** Kubernetes' short human durations: 45s, 3m12s, 17m, 5h3m, 2d4h, 40d. */
    private static String age(JsonNode object) {
        Duration age;
        try {
            age = Duration.between(Instant.parse(object.path("metadata").path("creationTimestamp").asText()), Instant.now());
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
        long s = Math.max(0, age.getSeconds());
        if (s < 120) {
            return s + "s";
        } else if (s < 600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        } else if (s < 3 * 3600) {
            return s / 60 + "m";
        } else if (s < 8 * 3600) {
            return s / 3600 + "h" + (s / 60 % 60 == 0 ? "" : s / 60 % 60 + "m");
        } else if (s < 48 * 3600) {
            return s / 3600 + "h";
        } else if (s < 8 * 86400) {
            return s / 86400 + "d" + (s / 3600 % 24 == 0 ? "" : s / 3600 % 24 + "h");
        }
        return s / 86400 + "d";
    }
}
