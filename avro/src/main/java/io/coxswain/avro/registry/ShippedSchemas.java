package io.coxswain.avro.registry;

import io.coxswain.avro.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;

/**
 * Every schema version Coxswain has ever released, per topic, in release order. They live under
 * {@code avro/src/main/resources/io/coxswain/avro/history/}: the command log is kept forever, so a
 * reader must be able to resolve every one of them. The last version of each is the current schema
 * of the generated classes (a test checks this).
 */
public final class ShippedSchemas {

    /** Topic suffixes (after the prefix) whose values carry registered schemas. */
    public static final List<String> TOPIC_SUFFIXES = List.of("commands", "events", "state");

    private static final String ROOT = "/io/coxswain/avro/history/";

    private ShippedSchemas() {
    }

    /** topic suffix → schemas in release order (v1 first). */
    public static Map<String, List<Schema>> history() {
        Properties index = new Properties();
        try (InputStream in = ShippedSchemas.class.getResourceAsStream(ROOT + "index.properties")) {
            if (in == null) {
                throw new IllegalStateException("schema history index missing from the classpath: " + ROOT + "index.properties");
            }
            index.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<Schema>> history = new LinkedHashMap<>();
        for (String suffix : TOPIC_SUFFIXES) {
            int versions = Integer.parseInt(index.getProperty(suffix, "0").trim());
            List<Schema> schemas = new ArrayList<>();
            for (int v = 1; v <= versions; v++) {
                schemas.add(load(ROOT + suffix + "/v" + v + ".avsc"));
            }
            history.put(suffix, List.copyOf(schemas));
        }
        return history;
    }

    /** Registers every shipped version, in order, under the subjects of {@code topics}. Idempotent. */
    public static void registerAll(SchemaRegistry registry, Topics topics) {
        history().forEach((suffix, schemas) -> registry.registerAll(Topics.valueSubject(topics.prefix() + suffix), schemas));
    }

    private static Schema load(String path) {
        try (InputStream in = ShippedSchemas.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema history file missing from the classpath: " + path);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
