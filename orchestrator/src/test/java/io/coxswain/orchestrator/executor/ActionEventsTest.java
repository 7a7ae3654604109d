package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.orchestrator.executor.reconcile.ActionEvents;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ActionEventsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T11:00:00Z"), ZoneOffset.UTC);

    KubernetesClient client;

    private final RecordingSink sink = new RecordingSink();

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withNamespace("payments").withName("payments-broker-1").withUid("uid-1").endMetadata().build();
    }

    @Test
    void aRecordedActionIsAnEventOnItsObjectNamingItsReasonCauseAndRecord() {
        ActionRecorder recorder = new ActionRecorder(sink, c -> true, new ActionEvents(client, "exec-1", CLOCK));
        recorder.before("payments", ResourceAction.RESTART, pod(), "RollingUpgrade to 4.1.0: broker 1 of 3", "upgrade-7", null);

        ExecutorWorld.await(Duration.ofSeconds(60), "the Event written (by the events thread; a loaded machine takes seconds over its first request)",
                () -> !client.v1().events().inNamespace("payments").list().getItems().isEmpty());
        List<Event> events = client.v1().events().inNamespace("payments").list().getItems();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("payments-broker-1");
            assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-1");
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getReason()).isEqualTo("Restart");
            assertThat(e.getMessage()).startsWith("RollingUpgrade to 4.1.0: broker 1 of 3 (cluster payments; cause upgrade-7, recorded as obs-");
            assertThat(e.getReportingInstance()).isEqualTo("exec-1");
            assertThat(e.getFirstTimestamp()).isEqualTo("2026-12-05T11:00:00Z");
        });
        assertThat(sink.actions(ResourceAction.RESTART)).hasSize(1);
    }

    @Test
    void aClusterScopedObjectGetsNoEventAndAnUnwritableEventDoesNotStopTheAction() {
        ActionRecorder recorder = new ActionRecorder(sink, c -> true, new ActionEvents(client, "exec-1", CLOCK));
        recorder.before("payments", ResourceAction.CREATE, new NamespaceBuilder().withNewMetadata().withName("payments").endMetadata().build(),
                "cluster state v1 asks for Namespace payments", "create-1", null);
        assertThat(client.v1().events().inAnyNamespace().list().getItems()).isEmpty();

        Config nowhere = new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").withRequestTimeout(500).withConnectionTimeout(500)
                .withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(nowhere).build()) {
            ActionRecorder refused = new ActionRecorder(sink, c -> true, new ActionEvents(unreachable, "exec-1", CLOCK));
            refused.before("payments", ResourceAction.RESTART, pod(), "Manual restart", "restart-1", null);
        }
        assertThat(sink.actions(ResourceAction.RESTART)).as("recorded all the same").hasSize(1);
    }
}
