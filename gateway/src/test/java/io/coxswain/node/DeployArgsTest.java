package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.operations.drive.DriveSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The StatefulSet in deploy/kubernetes starts {@code coxswain run} with arguments filled from the
 * coxswain-settings ConfigMap: every one of them must be an option {@code run} knows, with a value
 * it accepts, or the pods crash-loop at their first start.
 */
class DeployArgsTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Z_]+)\\)");

    @Test
    void theManifestsArgumentsParseAsCoxswainRun() throws Exception {
        CommandLine.ParseResult run = parseRun(Manifests.YAML.readTree(Manifests.KUBERNETES.resolve("03-configmap.yaml").toFile()),
                Manifests.YAML.readTree(Manifests.KUBERNETES.resolve("04-statefulset.yaml").toFile()));
        assertThat(run.matchedOptionValue("--command-rate", "")).isEqualTo("20:100");
        RunCommand command = (RunCommand) run.commandSpec().userObject();
        assertThat(GatewayOptions.quota(command.gateway.commandRate).perSecond()).isEqualTo(20);
        assertThat(command.executor.model().withCoxswainNamespace(null)).as("the shipped installation defaults are the built-in ones")
                .isEqualTo(ModelSettings.defaults());
        assertThat(command.executor.drive()).as("and so is the replication throttle").isEqualTo(DriveSettings.defaults());
        assertThat(command.options.sessionTimeout).as("and the session timeout of a node that stops without leaving")
                .isEqualTo(java.time.Duration.ofSeconds(15));
    }

    @Test
    void thePodsTellTheExecutorTheNamespaceTheyRunIn() throws Exception {
        JsonNode env = Manifests.YAML.readTree(Manifests.KUBERNETES.resolve("04-statefulset.yaml").toFile()).at("/spec/template/spec/containers/0/env");
        List<String> fromNamespace = new ArrayList<>();
        env.forEach(e -> {
            if ("metadata.namespace".equals(e.at("/valueFrom/fieldRef/fieldPath").asText())) {
                fromNamespace.add(e.get("name").asText());
            }
        });
        assertThat(fromNamespace).as("the downward API's namespace, where the executor reads it").containsExactly(OwnNamespace.ENV);
    }

    /**
     * The arguments of the StatefulSet's container, each $(VAR) filled from the ConfigMap as Kubernetes does, parsed as
     * {@code coxswain run}: asserts that it is {@code run} and that no argument is left unmatched.
     */
    static CommandLine.ParseResult parseRun(JsonNode configMap, JsonNode statefulSet) {
        JsonNode settings = configMap.get("data");
        JsonNode container = statefulSet.at("/spec/template/spec/containers/0");
        List<String> args = new ArrayList<>();
        container.get("args").forEach(a -> {
            Matcher m = VARIABLE.matcher(a.asText());
            // variables the ConfigMap does not define come from the pod (POD_NAME): any word will do
            args.add(m.replaceAll(r -> settings.has(r.group(1)) ? Matcher.quoteReplacement(settings.get(r.group(1)).asText()) : "pod-0"));
        });
        assertThat(args.get(0)).isEqualTo("run");

        CommandLine.ParseResult parsed = new CommandLine(new CoxswainMain()).parseArgs(args.toArray(String[]::new));
        CommandLine.ParseResult run = parsed.subcommand();
        assertThat(run.commandSpec().name()).isEqualTo("run");
        assertThat(run.unmatched()).isEmpty();
        return run;
    }
}
