package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Secrets a SetComponent names are mounted read-only in every pod of the component, one directory
 * each under /mnt/secrets, for a config provider to read (a connector's password never enters the log);
 * a component that names none mounts nothing more than before.
 */
class ExecComponentSecretsTest {

    private final ModelSettings settings = ModelSettings.defaults();
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private ClusterState state = TestStates.created("payments", 3, 3);

    @Test
    void eachSecretIsMountedReadOnlyInADirectoryOfItsName() {
        state = fold(Commands.on("payments").issuer("a").setComponent("connect", 2, null, null, Map.of(), List.of("pg-creds", "aws.keys")));
        PodTemplateSpec pod = template();
        assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getName().startsWith("user-secret-"))
                .extracting(v -> v.getSecret().getSecretName()).containsExactly("aws.keys", "pg-creds");
        assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).filteredOn(m -> m.getName().startsWith("user-secret-"))
                .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue())
                .extracting(m -> m.getMountPath()).containsExactly("/mnt/secrets/aws.keys", "/mnt/secrets/pg-creds");
    }

    @Test
    void connectReadsItsMountedSecretsThroughTheDirectoryProviderAndNothingElse() {
        state = fold(Commands.on("payments").issuer("a").setComponent("connect", 1, null, null, Map.of(), List.of("pg-creds")));
        assertThat(ComponentProperties.of(state.getSpec(), names, PlatformComponent.CONNECT))
                .containsEntry("config.providers", "directory")
                .containsEntry("config.providers.directory.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider")
                .containsEntry("config.providers.directory.param.allowed.paths", "/mnt/secrets");
        state = fold(Commands.on("payments").issuer("a").setComponent("connect", 1, null, null, Map.of("config.providers", "env,directory"),
                List.of("pg-creds")));
        assertThat(ComponentProperties.of(state.getSpec(), names, PlatformComponent.CONNECT)).as("the user's choice wins")
                .containsEntry("config.providers", "env,directory");
        state = fold(Commands.on("payments").issuer("a").setComponent("connect", 1, null, null, Map.of()));
        assertThat(ComponentProperties.of(state.getSpec(), names, PlatformComponent.CONNECT)).as("no Secrets: as before")
                .doesNotContainKey("config.providers");
    }

    @Test
    void aClusterWithAMirrorMountsItsMirrorsSecretReadThroughTheDirectoryProviderAndANewSourceRollsThePods() {
        state = fold(Commands.on("payments").issuer("a").setComponent("connect", 1, null, null, Map.of()));
        state = fold(Commands.on("payments").issuer("a").setMirror("dr", "east", List.of(".*")));
        PodTemplateSpec pod = template();
        assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("mirrors"))
                .extracting(v -> v.getSecret().getSecretName()).containsExactly("payments-mirrors");
        assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).filteredOn(m -> m.getName().equals("mirrors"))
                .extracting(m -> m.getMountPath()).containsExactly("/mnt/secrets/payments-mirrors");
        assertThat(ComponentProperties.of(state.getSpec(), names, PlatformComponent.CONNECT)).containsEntry("config.providers", "directory")
                .containsEntry("config.providers.directory.param.allowed.paths", "/mnt/secrets");

        state = fold(Commands.on("payments").issuer("a").setMirror("dr", "east", List.of("orders")));
        assertThat(template()).as("its topics change only its connector").isEqualTo(pod);
    }

    @Test
    void theConnectPodsRollWhenWhatTheMirrorSecretHoldsChangesAndOnlyThen() {
        state = fold(Commands.on("payments").issuer("a").setComponent("connect", 1, null, null, Map.of()));
        state = fold(Commands.on("payments").issuer("a").setMirror("dr", "east", List.of(".*")));
        Map<String, String> caOnly = Map.of("dr.source-ca.crt", "CA-EAST", "target-ca.crt", "CA-PAYMENTS");
        Map<String, String> withUser = new java.util.TreeMap<>(caOnly);
        withUser.put("dr.source-user.crt", "CERT");
        withUser.put("dr.source-user.key", "KEY");
        String before = annotation(caOnly);
        assertThat(annotation(Map.copyOf(caOnly))).as("the same content, however held: no roll").isEqualTo(before);
        assertThat(annotation(withUser)).as("the source user's Secret made after the SetMirror: its keys copied, the pods roll")
                .isNotEqualTo(before);
        assertThat(annotation(Map.of("dr.source-ca.crt", "CA-EAST-REPLACED", "target-ca.crt", "CA-PAYMENTS")))
                .as("the same keys, the source's CA replaced: the pods roll").isNotEqualTo(before);
        withUser.put("dr.source-user.crt", "CERT-REISSUED");
        assertThat(annotation(withUser)).as("the user's certificate re-issued").isNotEqualTo(annotation(Map.of("dr.source-user.crt", "CERT",
                "dr.source-user.key", "KEY", "dr.source-ca.crt", "CA-EAST", "target-ca.crt", "CA-PAYMENTS")));
    }

    private String annotation(Map<String, String> secretData) {
        return ComponentStatefulSets.build(state.getSpec(), names, PlatformComponent.CONNECT, settings, null, null, Set.of(),
                MirrorSecret.contentHash(secretData)).getSpec().getTemplate().getMetadata().getAnnotations().get(MirrorSecret.CONTENT_ANNOTATION);
    }

    @Test
    void aComponentWithoutSecretsMountsNoneAndDroppingThemChangesThePods() {
        state = fold(Commands.on("payments").issuer("a").setComponent("connect", 1, null, null, Map.of()));
        PodTemplateSpec without = template();
        assertThat(without.getSpec().getVolumes()).noneSatisfy(v -> assertThat(v.getName()).startsWith("user-secret-"));
        state = fold(Commands.on("payments").issuer("a").setComponent("connect", 1, null, null, Map.of(), List.of("pg-creds")));
        assertThat(template()).as("a new pod template: Kubernetes rolls the pods onto the mount").isNotEqualTo(without);
    }

    @Test
    void aWithheldSecretIsNeitherVolumeNorMountWhileTheOthersKeepTheirsAndTheTemplateIsStable() {
        state = fold(Commands.on("payments").issuer("a").setComponent("connect", 2, null, null, Map.of(),
                List.of("pg-creds", "orders-user-etl", "aws.keys")));
        PodTemplateSpec all = template();
        PodTemplateSpec guarded = template(Set.of("orders-user-etl"));
        assertThat(guarded.getSpec().getVolumes()).filteredOn(v -> v.getName().startsWith("user-secret-"))
                .extracting(v -> v.getName() + "=" + v.getSecret().getSecretName())
                .as("no volume of the withheld Secret; the others keep the volume their place in the list names")
                .containsExactly("user-secret-0=aws.keys", "user-secret-2=pg-creds");
        assertThat(guarded.getSpec().getContainers().get(0).getVolumeMounts()).extracting(m -> m.getMountPath())
                .contains("/mnt/secrets/aws.keys", "/mnt/secrets/pg-creds").doesNotContain("/mnt/secrets/orders-user-etl");
        assertThat(all.getSpec().getVolumes()).extracting(v -> v.getName()).contains("user-secret-1");
        assertThat(template(Set.of("orders-user-etl"))).as("the same withheld Secrets, the same template: no pod rolls for it").isEqualTo(guarded);
        assertThat(template(Set.of())).as("nothing withheld: the template as before").isEqualTo(all);
    }

    private PodTemplateSpec template() {
        return template(Set.of());
    }

    private PodTemplateSpec template(Set<String> withheld) {
        return ComponentStatefulSets.build(state.getSpec(), names, PlatformComponent.CONNECT, settings, null, null, withheld, null).getSpec().getTemplate();
    }

    private ClusterState fold(Command c) {
        return Evolve.apply(state, c);
    }
}
