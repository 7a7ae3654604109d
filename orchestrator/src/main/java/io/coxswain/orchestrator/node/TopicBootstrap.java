package io.coxswain.orchestrator.node;

import io.coxswain.avro.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Coxswain's topics with DESIGN.md's settings when absent, and checks them when present.
 * The command topic is the audit log: one with finite retention or compaction would silently lose
 * history, so such a topic stops the start-up with the exact change to make.
 */
public final class TopicBootstrap {

    private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);
    private static final String FOREVER = "-1";
    private static final String NINETY_DAYS = String.valueOf(90L * 24 * 3600 * 1000);

    private TopicBootstrap() {
    }

    /** Desired settings per topic. */
    public static Map<String, Map<String, String>> settings(Topics topics) {
        Map<String, Map<String, String>> s = new LinkedHashMap<>();
        s.put(topics.commands(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, FOREVER, TopicConfig.RETENTION_BYTES_CONFIG, FOREVER));
        s.put(topics.events(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, FOREVER, TopicConfig.RETENTION_BYTES_CONFIG, FOREVER));
        s.put(topics.state(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        s.put(topics.deadLetter(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, NINETY_DAYS));
        s.put(topics.schemas(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        return s;
    }

    public static void ensure(Admin admin, Topics topics, int partitions, short replicationFactor) {
        Map<String, Map<String, String>> wanted = settings(topics);
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            wanted.forEach((name, configs) -> {
                if (!existing.contains(name)) {
                    // the schema topic holds a handful of records: one partition keeps it ordered
                    int n = name.equals(topics.schemas()) ? 1 : partitions;
                    missing.add(new NewTopic(name, n, replicationFactor).configs(configs));
                }
            });
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                    log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    } // another node created them at the same moment: check them below like any existing topic
                }
            }
            checkCommandTopic(admin, topics.commands());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Coxswain's topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create or check Coxswain's topics on the bootstrap Kafka: " + e.getCause(), e.getCause());
        }
    }

    private static void checkCommandTopic(Admin admin, String topic) throws ExecutionException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = describeWhenKnown(admin, resource);
        List<String> problems = new ArrayList<>();
        String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            problems.add("cleanup.policy=" + policy + " (compaction drops all but the last command per cluster)");
        }
        if (!FOREVER.equals(value(config, TopicConfig.RETENTION_MS_CONFIG))) {
            problems.add("retention.ms=" + value(config, TopicConfig.RETENTION_MS_CONFIG) + " (old commands would be deleted)");
        }
        if (!FOREVER.equals(value(config, TopicConfig.RETENTION_BYTES_CONFIG))) {
            problems.add("retention.bytes=" + value(config, TopicConfig.RETENTION_BYTES_CONFIG) + " (old commands would be deleted)");
        }
        if (!problems.isEmpty()) {
            throw new UnsafeTopicException("Refusing to start: topic " + topic + " is Coxswain's audit log and must keep every command forever, but it has "
                    + String.join(", ", problems) + ". Fix it with: kafka-configs.sh --bootstrap-server <kafka> --alter --entity-type topics --entity-name "
                    + topic + " --add-config cleanup.policy=delete,retention.ms=-1,retention.bytes=-1");
        }
    }

    /**
     * Right after creation the broker may not yet serve the new topic's metadata; retry that one
     * error for a bounded time instead of failing the start-up.
     */
    private static Config describeWhenKnown(Admin admin, ConfigResource resource) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return admin.describeConfigs(List.of(resource)).all().get().get(resource);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // waiting for metadata propagation; no event to wait on
            }
        }
    }

    private static String value(Config config, String key) {
        ConfigEntry entry = config.get(key);
        return entry == null || entry.value() == null ? "" : entry.value();
    }

    /** Names of every topic Coxswain owns. */
    public static Collection<String> names(Topics topics) {
        return settings(topics).keySet();
    }
}
