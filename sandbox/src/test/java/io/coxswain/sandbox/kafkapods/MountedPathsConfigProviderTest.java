package io.coxswain.sandbox.kafkapods;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the sandbox a connector's reference to a file of a mounted Secret reads the directory the Secret's
 * volume was written to, through the provider the workers enabled (Kafka's own, behind the stand-in).
 */
class MountedPathsConfigProviderTest {

    @TempDir
    Path local;

    @Test
    void aReferenceToAMountPathReadsTheLocalDirectoryThroughKafkasProvider() throws Exception {
        Files.writeString(local.resolve("password"), "s3cret");
        String worker = String.join("\n", "bootstrap.servers=x:9092", "config.providers=directory,env",
                "config.providers.directory.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider",
                "config.providers.directory.param.allowed.paths=/mnt/secrets",
                "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        Map<String, String> p = ConnectWorkerConfig.of(worker, Map.of("/mnt/secrets/pg", local), s -> "127.0.0.1:1", 4100).properties();
        assertThat(p).containsEntry("config.providers.directory.class", MountedPathsConfigProvider.class.getName())
                .containsEntry("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");

        try (MountedPathsConfigProvider provider = new MountedPathsConfigProvider()) {
            String prefix = "config.providers.directory.param.";
            Map<String, String> params = new java.util.HashMap<>();
            p.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    params.put(k.substring(prefix.length()), v);
                }
            });
            provider.configure(params);
            assertThat(provider.get("/mnt/secrets/pg", Set.of("password")).data()).containsEntry("password", "s3cret");
            assertThat(provider.local("/mnt/secrets/pgx")).as("another directory").isEqualTo("/mnt/secrets/pgx");
            assertThat(provider.get("/etc", Set.of("passwd")).data()).as("nothing outside the allowed paths").isEmpty();
        }
    }
}
