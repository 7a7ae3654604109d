package io.coxswain.avro.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** Coxswain's registry on a real broker: ids are stable, and a second reader sees what the first registered. */
class TopicSchemaRegistryTest {

    @Test
    void idsAreStableAndVisibleToOtherReaders() throws Exception {
        Topics topics = newSchemaTopic();
        String subject = Topics.valueSubject(topics.commands());
        int id;
        try (TopicSchemaRegistry first = new TopicSchemaRegistry(SharedKafka.bootstrapServers(), topics.schemas(), Map.of())) {
            ShippedSchemas.registerAll(first, topics);
            id = first.lookup(subject, Command.getClassSchema()).orElseThrow().id();
            assertThat(id).isEqualTo(SchemaIdentity.idOf(Command.getClassSchema()));
            ShippedSchemas.registerAll(first, topics); // idempotent: no new versions
            assertThat(first.versions(subject)).hasSize(ShippedSchemas.history().get("commands").size());
        }
        try (TopicSchemaRegistry second = new TopicSchemaRegistry(SharedKafka.bootstrapServers(), topics.schemas(), Map.of())) {
            RegisteredSchema rs = second.byId(id).orElseThrow();
            assertThat(rs.subject()).isEqualTo(subject);
            assertThat(rs.version()).as("the current schema is the last shipped version").isEqualTo(ShippedSchemas.history().get("commands").size());
            assertThat(second.subjects()).contains(subject, Topics.valueSubject(topics.events()), Topics.valueSubject(topics.state()));
            assertThat(second.byId(12345)).isEmpty();
        }
    }

    @Test
    void aBatchAppendsOnlyTheMissingVersionsInTheirOrder() throws Exception {
        Topics topics = newSchemaTopic();
        String subject = Topics.valueSubject(topics.state());
        List<Schema> history = ShippedSchemas.history().get("state");
        List<Integer> ids = history.stream().map(SchemaIdentity::idOf).toList();
        try (TopicSchemaRegistry first = new TopicSchemaRegistry(SharedKafka.bootstrapServers(), topics.schemas(), Map.of())) {
            first.registerAll(subject, history.subList(0, 2)); // an older node's start
        }
        try (TopicSchemaRegistry second = new TopicSchemaRegistry(SharedKafka.bootstrapServers(), topics.schemas(), Map.of())) {
            second.registerAll(subject, history);
            assertThat(second.versions(subject)).extracting(RegisteredSchema::id).containsExactlyElementsOf(ids);
        }
        try (TopicSchemaRegistry third = new TopicSchemaRegistry(SharedKafka.bootstrapServers(), topics.schemas(), Map.of())) {
            List<RegisteredSchema> read = third.versions(subject);
            assertThat(read).extracting(RegisteredSchema::id).as("each shipped version once, in release order").containsExactlyElementsOf(ids);
            assertThat(read).extracting(RegisteredSchema::version).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, history.size()).boxed().toList());
        }
    }

    /** Topics of a fresh prefix, whose schemas topic exists. */
    private static Topics newSchemaTopic() throws Exception {
        Topics topics = new Topics("t-" + UUID.randomUUID() + ".");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.schemas(), 1, (short) 1))).all().get();
        }
        return topics;
    }
}
