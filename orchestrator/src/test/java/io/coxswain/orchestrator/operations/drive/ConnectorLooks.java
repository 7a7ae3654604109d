package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the connector tests read off the tests' broker and files, and their clock. */
final class ConnectorLooks {

    private static final Pattern STATE = Pattern.compile("\"state\":\"([A-Z]+)\"");

    private ConnectorLooks() {
    }

    /** A clock a minute further on at each look: every back-off is over at the next pass. */
    static Clock minuteFurtherAtEachLook() {
        java.util.concurrent.atomic.AtomicLong minutes = new java.util.concurrent.atomic.AtomicLong();
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.now().plus(Duration.ofMinutes(minutes.incrementAndGet()));
            }
        };
    }

    /** Every state the worker wrote of the connector and of its tasks, from its status topic, in order. */
    static List<String> statuses(String statusTopic, String connector, Duration within) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", SharedKafka.bootstrapServers()), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(statusTopic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> states = new ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("the status topic read to its end within " + within).isLessThan(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null && (r.key().equals("status-connector-" + connector) || r.key().startsWith("status-task-" + connector + "-"))) {
                        Matcher m = STATE.matcher(r.value());
                        if (m.find()) {
                            states.add(m.group(1));
                        }
                    }
                }
            }
            return states;
        }
    }

    static long endOffset(Admin admin, String topic) {
        try {
            return admin.listOffsets(Map.of(new TopicPartition(topic, 0),
                    OffsetSpec.latest())).all().get().values().iterator().next().offset();
        } catch (Exception e) {
            return -1;
        }
    }

    static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    static Long committed(Admin admin, String group) {
        try {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get().values().stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
            return o == null ? null : o.offset();
        } catch (Exception e) {
            return -1L;
        }
    }
}
