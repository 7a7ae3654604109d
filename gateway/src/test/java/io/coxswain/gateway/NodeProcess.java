package io.coxswain.gateway;

import io.coxswain.avro.Topics;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Coxswain node ({@code coxswain run}) as a child JVM on this test's class path, its output in {@code target/node-process/}. */
final class NodeProcess {

    /** What every node of one installation shares: topics, application id, Kubernetes, and where the managed cluster is. */
    record Launch(Path root, Path kubeconfig, Topics topics, String applicationId, String managedBootstrap) {
    }

    private final String id;
    private final Process process;
    private final Path output;

    private NodeProcess(String id, Process process, Path output) {
        this.id = id;
        this.process = process;
        this.output = output;
    }

    /** Starts a node and waits for its ready line. */
    static NodeProcess start(Launch l, String executorId) {
        return launch(l.applicationId() + "-" + executorId, List.of("-Xmx384m",
                // a short-lived node on a shared machine: quick start-up, little JIT and GC work taken from the Kafka nodes
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), List.of("run",
                "--bootstrap-servers", SharedKafka.bootstrapServers(), "--replication-factor", "1", "--partitions", "1",
                "--topic-prefix", l.topics().prefix(), "--application-id", l.applicationId(),
                "--state-dir", l.root().resolve("streams").toString(), // the same disk for every incarnation, as a restarted pod's
                "--kubeconfig", l.kubeconfig().toString(), "--executor-id", executorId, "--resync", "2s",
                // a node killed hands its partitions and clusters over after this long: the least the bootstrap Kafka allows
                "--session-timeout", "6s",
                // the sandbox's nodes answer at 127.0.0.1, which their certificates cannot name
                "--bootstrap-address-template", l.managedBootstrap(), "--no-broker-hostname-verification",
                "--insecure-no-auth", "--http-host", "127.0.0.1", "--http-port", "0"));
    }

    /** {@code coxswain dev} with these arguments, as a person starts it (its own bootstrap Kafka, sandbox and gateway), ready. */
    static NodeProcess dev(String name, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("dev"));
        command.addAll(List.of(args));
        return launch(name, List.of("-Xmx1g"), command);
    }

    private static NodeProcess launch(String name, List<String> jvmOptions, List<String> arguments) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.coxswain.node.CoxswainMain"));
        command.addAll(arguments);
        Path output = Path.of("target", "node-process", name + ".log").toAbsolutePath(); // kept for a failure's diagnosis
        try {
            Files.createDirectories(output.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            NodeProcess node = new NodeProcess(name, p, output);
            try {
                // a JVM loading Kafka, Streams and fabric8 takes ~25 s beside a CI run, over 90 s on a machine at load 70
                Poll.until(Duration.ofMinutes(3), "node " + name + " ready", () -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("node " + name + " exited with " + p.exitValue() + ":\n" + node.tail());
                    }
                    return node.tail().contains("Coxswain ready:");
                });
            } catch (AssertionError e) {
                p.destroyForcibly(); // the test never gets it to stop: it would run on beside the next classes
                throw e;
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + name, e);
        }
    }

    /** A value of the ready line ({@code http}, {@code token}, {@code bootstrap}, ...). */
    String ready(String key) {
        String line;
        try {
            line = Files.readAllLines(output).stream().filter(l -> l.contains("Coxswain ready:")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String entry : line.substring(line.indexOf("Coxswain ready:") + "Coxswain ready:".length()).trim().split(" ")) {
            if (entry.startsWith(key + "=")) {
                return entry.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + "= in the ready line: " + line);
    }

    /** SIGKILL: no shutdown hook, no leaving the consumer groups, no last record. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + id + " still alive 30 s after SIGKILL");
        }
    }

    /** SIGTERM, then SIGKILL if it does not stop in time. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    String tail() {
        try {
            String all = Files.readString(output);
            return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
