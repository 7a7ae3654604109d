package io.coxswain.orchestrator.node;

import io.coxswain.avro.Topics;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** A node with its own topic prefix, application id and state dir on a given broker, so tests sharing a broker stay independent. */
final class NodeFixture implements AutoCloseable {

    final String bootstrap;
    final Topics topics;
    final Path stateDir;
    final NodeConfig config;
    CoxswainNode node;

    NodeFixture() {
        this(SharedKafka.bootstrapServers());
    }

    NodeFixture(String bootstrap) {
        this.bootstrap = bootstrap;
        String unique = UUID.randomUUID().toString().substring(0, 8);
        this.topics = new Topics("t" + unique + ".");
        try {
            this.stateDir = Files.createTempDirectory("coxswain-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.config = NodeConfig.defaults(bootstrap, stateDir).withTopics(topics).withApplicationId("app-" + unique).withPartitions(3, (short) 1);
    }

    NodeFixture start() {
        node = CoxswainNode.start(config, Duration.ofSeconds(60));
        return this;
    }

    CommandClient client() {
        return CommandClient.builder(bootstrap).topics(topics).foldGroup(config.applicationId()).decisionTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
            node = null;
        }
        SharedKafka.deleteQuietly(stateDir);
    }

    /** Polls until {@code condition} holds or the deadline passes. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
