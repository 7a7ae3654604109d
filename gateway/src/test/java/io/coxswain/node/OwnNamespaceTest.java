package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where {@code coxswain run} learns the namespace it runs in, which its executor keeps every cluster out of. */
class OwnNamespaceTest {

    @Test
    void theOptionComesFirstThenPodNamespaceThenTheServiceAccountsFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("namespace"), "from-file\n");
        Map<String, String> env = Map.of(OwnNamespace.ENV, "from-env");
        assertThat(OwnNamespace.resolve("from-option", env::get, file)).contains("from-option");
        assertThat(OwnNamespace.resolve(null, env::get, file)).contains("from-env");
        assertThat(OwnNamespace.resolve(null, Map.<String, String>of()::get, file)).contains("from-file");
        assertThat(OwnNamespace.resolve(null, Map.<String, String>of()::get, dir.resolve("absent"))).as("none: nothing protected").isEmpty();
    }

    @Test
    void runsOwnNamespaceOptionReachesTheExecutorsSettings(@TempDir Path dir) {
        CommandLine.ParseResult parsed = new CommandLine(new CoxswainMain()).parseArgs("run", "--bootstrap-servers", "k:9092",
                "--own-namespace", "platform");
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        run.executor.environment = Map.of(OwnNamespace.ENV, "elsewhere")::get;
        assertThat(run.executor.model().coxswainNamespace()).isEqualTo("platform");

        run.executor.ownNamespace = null;
        assertThat(run.executor.model().coxswainNamespace()).as("the downward API's, without the option").isEqualTo("elsewhere");
        run.executor.environment = Map.<String, String>of()::get;
        run.executor.serviceAccountNamespace = dir.resolve("absent");
        assertThat(run.executor.model().coxswainNamespace()).isNull();
    }

    @Test
    void devsSandboxKeepsClustersOutOfNamespaceCoxswainUnlessTheOptionNamesAnother() {
        DevCommand dev = (DevCommand) new CommandLine(new CoxswainMain()).parseArgs("dev").subcommand().commandSpec().userObject();
        dev.executor.environment = Map.of(OwnNamespace.ENV, "where-the-process-runs")::get;
        assertThat(dev.executor.model().coxswainNamespace()).as("the sandbox's API server is not the process's").isEqualTo("coxswain");

        DevCommand named = (DevCommand) new CommandLine(new CoxswainMain()).parseArgs("dev", "--own-namespace", "platform").subcommand()
                .commandSpec().userObject();
        assertThat(named.executor.model().coxswainNamespace()).isEqualTo("platform");
    }
}
