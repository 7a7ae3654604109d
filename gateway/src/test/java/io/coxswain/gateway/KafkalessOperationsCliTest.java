package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.orchestrator.executor.ExecutorConfig;
import io.coxswain.orchestrator.executor.KubernetesExecutor;
import io.coxswain.orchestrator.operations.drive.KafkalessOperations;
import io.coxswain.sandbox.kafka.SharedKafka;
import io.coxswain.sandbox.kube.PodRuntime;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a new user of {@code coxswain dev} (default {@code --pods=ready}) meets after a change that needs an operation: the
 * executor (a real one, on the sandbox Kubernetes whose pods are Ready at once and run nothing) runs none, and says so as
 * the refusal {@code operation}, which cox get prints as Blocked, {@code GET /v1/clusters} lists, and cox wait stops at
 * (exit 1) instead of waiting out its timeout; undoing the change, or deleting the cluster, lifts it.
 */
class KafkalessOperationsCliTest extends CoxCliHarness {

    private static final String WHY = "no Kafka runs in these pods; restart with --pods=real";
    private static SandboxKubernetes kube;
    private static KubernetesExecutor executor;

    @BeforeAll
    static void startExecutor() {
        kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce());
        ExecutorConfig config = ExecutorConfig.defaults(SharedKafka.bootstrapServers(), h.node.config().topics(), "ready-pods")
                .withGroupId("ready-" + UUID.randomUUID()).withResync(Duration.ofSeconds(2));
        executor = KubernetesExecutor.start(config, kube.client(), new KafkalessOperations(kube.client(), WHY));
    }

    @AfterAll
    static void stopExecutor() {
        executor.close();
        kube.close();
    }

    @Test
    void anUpgradeIsBlockedNamingWhyAndCoxWaitSaysSoAtOnce() {
        assertThat(cox("create-cluster", "ready1", "--kafka-version", "4.1.0", "--brokers", "1", "--controllers", "1").code()).isZero();
        Run created = cox("wait", "ready1", "--timeout", "60s");
        assertThat(created.code()).as(created.out() + created.err()).isZero();

        Run upgrade = cox("upgrade", "ready1", "--kafka-version", "4.2.0");
        assertThat(upgrade.code()).as(upgrade.err()).isZero();
        String command = commandId(upgrade.out());
        long started = System.nanoTime();
        Run wait = cox("wait", "ready1", "--timeout", "60s");
        assertThat(wait.code()).as(wait.out() + wait.err()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped at the refusal, not at the timeout").isLessThan(Duration.ofSeconds(45));
        String blocked = "Blocked: operation: cluster ready1: RollingUpgrade (rolling upgrade to Kafka 4.2.0) waits and will not run: " + WHY;
        assertThat(wait.err()).contains("ready1 will not get there by waiting", blocked, "command " + command, "cox wait again once it is lifted");

        assertThat(cox("get", "ready1").out()).contains(blocked, "Acted on: every change asked for");
        assertThat(cox("operation", "show", "ready1").out()).as("nothing ran").contains("has run no operation");
        assertThat(listed("ready1").path("blocked")).extracting(JsonNode::asText).containsExactly("operation");

        // a cluster going away waits for no operation
        assertThat(cox("delete-cluster", "ready1").code()).isZero();
        awaitCluster("ready1", "the refusal lifted by the deletion", c -> c.at("/status/executorRefusals").isEmpty());
    }

    @Test
    void aScaleInIsBlockedUntilItIsUndone() {
        assertThat(cox("create-cluster", "ready2", "--kafka-version", "4.1.0", "--brokers", "2", "--controllers", "1").code()).isZero();
        assertThat(cox("wait", "ready2", "--timeout", "60s").code()).isZero();

        assertThat(cox("scale", "ready2", "--brokers", "1").code()).isZero();
        JsonNode refused = awaitCluster("ready2", "the scale-in refused", c -> c.at("/status/executorRefusals/operation").isObject());
        assertThat(refused.at("/status/executorRefusals/operation/reason").asText())
                .isEqualTo("cluster ready2: ScaleIn (scale in to 1 brokers) waits and will not run: " + WHY);
        assertThat(refused.at("/status/components/brokers/desired").asInt()).as("no broker removed undrained").isEqualTo(2);

        assertThat(cox("scale", "ready2", "--brokers", "2").code()).isZero();
        Run done = cox("wait", "ready2", "--timeout", "60s");
        assertThat(done.code()).as(done.out() + done.err()).isZero();
        assertThat(cox("get", "ready2", "-o", "json").json().at("/status/executorRefusals")).as("lifted: nothing waits").isEmpty();
    }

    private static String commandId(String out) {
        Matcher id = Pattern.compile("\\(command (\\S+)\\)").matcher(out);
        assertThat(id.find()).as(out).isTrue();
        return id.group(1);
    }

    private static JsonNode listed(String cluster) {
        for (JsonNode c : h.get("/v1/clusters").json().findParents("clusterId")) {
            if (cluster.equals(c.path("clusterId").asText())) {
                return c;
            }
        }
        throw new AssertionError(cluster + " not listed");
    }

    private static JsonNode awaitCluster(String cluster, String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode c = cox("get", cluster, "-o", "json").json();
            if (condition.test(c)) {
                return c;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + c.path("status"));
            }
            try {
                Thread.sleep(200); // polling interval, not synchronisation: the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
