package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.commands.shape.ClusterLabels;
import io.coxswain.commands.shape.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cox label}: a cluster's labels changed as kubectl changes a pod's, sent as the whole new set (SetClusterLabels). */
@Command(name = "label", mixinStandardHelpOptions = true, description = {
        "Add, overwrite (KEY=VALUE) or remove (KEY-) labels of a cluster, as kubectl label does.",
        "Reads the cluster's labels and sends SetClusterLabels with the whole result and the version read",
        "(--unchanged-since), so a change someone made meanwhile is refused, not lost; what the executor",
        "records meanwhile is no conflict. Labels select clusters",
        "(cox get -l, cox fleet upgrade --selector) and go onto the cluster's Kubernetes objects; no pod restarts."})
final class LabelCommand implements Callable<Integer> {
    @ParentCommand Cox cox;
    @Mixin Submit submit;
    @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE|KEY-", description = "A label to set, or KEY- to remove one.")
    List<String> changes;

    @Override
    public Integer call() {
        List<String[]> edits = changes.stream().map(LabelCommand::edit).toList();
        JsonNode c = ReadCommands.cluster(cox, cluster, "");
        Map<String, String> labels = new TreeMap<>();
        c.at("/spec/labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        edits.forEach(e -> {
            if (e[1] == null) {
                labels.remove(e[0]);
            } else {
                labels.put(e[0], e[1]);
            }
        });
        if (submit.expectedVersion == null && submit.unchangedSince == null) {
            submit.unchangedSince = c.path("version").asLong();
        }
        ObjectNode payload = ClusterCommands.object();
        labels.forEach(payload.putObject("labels")::put);
        return submit.send(cox, cluster, "SetClusterLabels", payload);
    }

    /** The requirements of a selector given as {@code option}; a malformed one ends cox with exit 2, naming the option. */
    static List<ClusterLabels.Requirement> selector(String option, String selector) {
        try {
            return ClusterLabels.parseSelector(selector);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, option + ": " + e.getMessage());
        }
    }

    /** {key, value} of KEY=VALUE, {key, null} of KEY-; a malformed argument ends cox with exit 2, naming it. */
    static String[] edit(String arg) {
        int eq = arg.indexOf('=');
        String[] edit = eq >= 0 ? new String[] {arg.substring(0, eq), arg.substring(eq + 1)}
                : arg.endsWith("-") ? new String[] {arg.substring(0, arg.length() - 1), null} : null;
        if (edit == null) {
            throw new CliException(CliException.BAD_INPUT, "'" + arg + "' is neither KEY=VALUE (set a label) nor KEY- (remove one)");
        }
        List<Violation> problems = new ArrayList<>();
        ClusterLabels.check(Map.of(edit[0], edit[1] == null ? "" : edit[1]), "label", problems);
        if (!problems.isEmpty()) {
            throw new CliException(CliException.BAD_INPUT, "'" + arg + "': " + problems.get(0).message());
        }
        return edit;
    }
}
