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
 * What a new user of {@code coxswain dev} (default {@code --pods=ready}) meets after a change that needs an operation, or
 * Kafka itself (a topic, a user, a live setting): the executor (a real one, on the sandbox Kubernetes whose pods are Ready at
 * once and run nothing) does none of it, and says so as a refusal ({@code operation}, {@code topics}, {@code users},
 * {@code brokerConfig}, ...), which cox get prints as Blocked, {@code GET /v1/clusters} lists, and cox wait, a fleet run's
 * wave and cox offsets reset --wait stop at (exit 1) instead of waiting out their timeout; undoing the change, or deleting the
 * cluster, lifts it.
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

    @Test
    void topicsUsersAndLiveSettingsAreBlockedEachUnderTheCommandThatAskedUntilNothingOfTheirKindWaits() {
        assertThat(cox("create-cluster", "ready3", "--kafka-version", "4.1.0", "--brokers", "1", "--controllers", "1",
                "--client-authentication", "TLS").code()).isZero();
        Run created = cox("wait", "ready3", "--timeout", "60s");
        assertThat(created.code()).as("a cluster as created asks nothing of Kafka: " + created.out() + created.err()).isZero();

        Run topic = cox("topic", "create", "ready3", "orders", "--partitions", "1", "--replication-factor", "1");
        assertThat(topic.code()).as(topic.err()).isZero();
        long started = System.nanoTime();
        Run wait = cox("wait", "ready3", "--timeout", "60s");
        assertThat(wait.code()).as(wait.out() + wait.err()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped at the refusal, not at the timeout").isLessThan(Duration.ofSeconds(45));
        assertThat(wait.err()).contains("ready3 will not get there by waiting", "Blocked: topics: cluster ready3: topic orders not created,"
                + " and will not be: " + WHY, "command " + commandId(topic.out()));

        // one at a time: each pass's refusals name the command it acted on
        String audit = commandId(cox("topic", "create", "ready3", "audit", "--partitions", "1", "--replication-factor", "1").out());
        awaitCluster("ready3", "both topics refused", c -> c.at("/status/executorRefusals/topics/reason").asText().contains("(2)"));
        String alice = commandId(cox("create-user", "ready3", "alice").out());
        awaitCluster("ready3", "the user refused", c -> c.at("/status/executorRefusals/users").isObject());
        String setting = commandId(cox("config", "set", "ready3", "log.retention.ms=100000").out());
        JsonNode blocked = awaitCluster("ready3", "the setting refused", c -> c.at("/status/executorRefusals/brokerConfig").isObject())
                .at("/status/executorRefusals");
        assertThat(blocked.at("/topics/reason").asText()).isEqualTo("cluster ready3: topics audit, orders (2) not created, and will not be: " + WHY);
        assertThat(blocked.at("/topics/commandId").asText()).as("the command that changed what waits").isEqualTo(audit);
        assertThat(blocked.at("/users/reason").asText()).isEqualTo("cluster ready3: user alice (certificate Secret) not set up, and will not be: " + WHY);
        assertThat(blocked.at("/users/commandId").asText()).isEqualTo(alice);
        assertThat(blocked.at("/brokerConfig/reason").asText())
                .isEqualTo("cluster ready3: broker setting log.retention.ms not applied, and will not be: " + WHY);
        assertThat(blocked.at("/brokerConfig/commandId").asText()).isEqualTo(setting);
        assertThat(cox("get", "ready3").out()).contains("Blocked: users: cluster ready3: user alice (certificate Secret) not set up");
        assertThat(listed("ready3").path("blocked")).extracting(JsonNode::asText).containsExactly("brokerConfig", "topics", "users");

        // undone, kind by kind: each refusal goes with the last thing of its kind, and the cluster is what was asked
        assertThat(cox("topic", "delete", "ready3", "orders").code()).isZero();
        assertThat(awaitCluster("ready3", "one topic left", c -> c.at("/status/executorRefusals/topics/reason").asText().contains("topic audit "))
                .at("/status/executorRefusals/users/commandId").asText()).as("the other kinds keep their command").isEqualTo(alice);
        assertThat(cox("topic", "delete", "ready3", "audit").code()).isZero();
        assertThat(cox("delete-user", "ready3", "alice").code()).isZero();
        assertThat(cox("config", "remove", "ready3", "log.retention.ms").code()).isZero();
        Run done = cox("wait", "ready3", "--timeout", "60s");
        assertThat(done.code()).as(done.out() + done.err()).isZero();
        assertThat(cox("get", "ready3", "-o", "json").json().at("/status/executorRefusals")).as("lifted: nothing waits").isEmpty();
    }

    @Test
    void aFleetRunStopsAtOnceAtAClusterWhoseExecutorRefusesItsChangeNamingTheRefusalAndTouchesNoLaterWave() {
        for (String id : new String[] {"kfleet-a", "kfleet-b"}) {
            assertThat(cox("create-cluster", id, "--kafka-version", "4.1.0", "--brokers", "1", "--controllers", "1").code()).isZero();
            Run created = cox("wait", id, "--timeout", "60s");
            assertThat(created.code()).as(created.out() + created.err()).isZero();
        }

        long started = System.nanoTime();
        Run upgrade = cox("fleet", "upgrade", "--kafka-version", "4.2.0", "--clusters", "kfleet-*", "--wave-size", "1", "--run-id", "kl",
                "--timeout", "60s");
        assertThat(upgrade.code()).as(upgrade.out() + upgrade.err()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped at the refusal, not at the timeout").isLessThan(Duration.ofSeconds(45));
        String operation = "Blocked: operation: cluster kfleet-a: RollingUpgrade (rolling upgrade to Kafka 4.2.0) waits and will not run: " + WHY;
        assertThat(upgrade.out()).contains("  kfleet-a: " + operation);
        assertThat(upgrade.err()).contains("fleet upgrade kl stopped in wave 1: kfleet-a is blocked: its executor refuses what its upgrade takes",
                operation, "command fleet-kl-kfleet-a", "1 cluster(s) of later waves were not touched", "--run-id kl");
        assertThat(cox("get", "kfleet-b", "-o", "json").json().at("/spec/kafkaVersion").asText()).as("the later wave untouched").isEqualTo("4.1.0");

        // a fleet config waits for the cluster settled: a live setting this executor will never apply blocks it as surely
        Run config = cox("fleet", "config", "--set", "log.retention.ms=100000", "--clusters", "kfleet-b", "--run-id", "klc", "--timeout", "60s");
        assertThat(config.code()).as(config.out() + config.err()).isEqualTo(1);
        assertThat(config.err()).contains("kfleet-b is blocked: its executor refuses what its config takes", "Blocked: brokerConfig: cluster"
                + " kfleet-b: broker setting log.retention.ms not applied, and will not be: " + WHY, "command fleet-klc-kfleet-b");
    }

    @Test
    void anOffsetResetWaitedForStopsAtOnceAtTheRefusalAndStaysPendingToBeCancelled() {
        assertThat(cox("create-cluster", "ready5", "--kafka-version", "4.1.0", "--brokers", "1", "--controllers", "1").code()).isZero();
        Run created = cox("wait", "ready5", "--timeout", "60s");
        assertThat(created.code()).as(created.out() + created.err()).isZero();

        long started = System.nanoTime();
        Run reset = cox("offsets", "reset", "ready5", "billing", "--to-earliest", "--command-id", "reset-ready5", "--wait", "--timeout", "60s");
        assertThat(reset.code()).as(reset.out() + reset.err()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped at the refusal, not at the timeout").isLessThan(Duration.ofSeconds(45));
        assertThat(reset.err()).contains("billing on ready5: not carried out: the executor refuses it", "Blocked: offsetResets: cluster ready5:"
                + " offset reset of consumer group billing not carried out, and will not be: " + WHY, "command reset-ready5",
                "cox offsets cancel ready5 billing");

        assertThat(cox("offsets", "cancel", "ready5", "billing").code()).isZero();
        awaitCluster("ready5", "the refusal lifted by the cancel", c -> c.at("/status/executorRefusals").isEmpty());
        assertThat(cox("get", "ready5", "-o", "json").json().at("/status/offsetResets/billing/state").asText()).isEqualTo("CANCELLED");
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
