package io.coxswain.orchestrator.operations.drive;

import io.coxswain.commands.access.AccessNames;
import io.coxswain.commands.access.ClientProperties;
import io.coxswain.commands.access.ClientProperties.Access;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** One record sent to a managed cluster by a fresh producer, as an application would send it; null when written, else why not. */
final class Producers {

    private Producers() {
    }

    /**
     * As the user whose Secret's files these are, configured from them as an application that mounts
     * the Secret would be, with the properties {@code cox client-config} prints ({@code ssl.keystore.location} on
     * {@code user.pem}, or a SCRAM user's {@code sasl.jaas.config} read from its file); {@code bootstrap} is the local
     * address of the listener that user's kind connects to.
     */
    static Throwable asUser(String bootstrap, Map<String, String> files, String topic) {
        return withUser(bootstrap, files, config -> send(config, topic));
    }

    /**
     * What {@code use} makes of the client configuration of the user whose Secret's files these are (see {@link #asUser}),
     * the files written where it reads them until it returns.
     */
    static <T> T withUser(String bootstrap, Map<String, String> files, Function<Map<String, Object>, T> use) {
        Path mounted;
        try {
            mounted = Files.createTempDirectory("coxswain-user-secret");
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(mounted.resolve(f.getKey()), f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // what cox client-config prints for this user, so that what it prints is what this test shows to work
        Access access = files.containsKey("sasl.jaas.config") ? Access.SCRAM : Access.CERTIFICATE;
        Map<String, Object> config = new HashMap<>(ClientProperties.of(access, "in-kubernetes:" + AccessNames.CLIENTS_PORT, mounted.toString()));
        config.put("bootstrap.servers", bootstrap); // the sandbox's local address of the listener
        config.put("ssl.endpoint.identification.algorithm", ""); // the sandbox's nodes answer at 127.0.0.1
        try {
            return use.apply(config);
        } finally {
            SharedKafka.deleteQuietly(mounted);
        }
    }

    /** With this configuration (bootstrap and security included), waiting at most a few seconds. */
    static Throwable send(Map<String, Object> config, String topic) {
        return send(config, List.of(new ProducerRecord<>(topic, "order-1", "created")));
    }

    /** The records in order, each acknowledged before the next is sent; null when all were written, else why not. */
    static Throwable send(Map<String, Object> config, List<ProducerRecord<String, String>> records) {
        Map<String, Object> quick = new HashMap<>(config);
        quick.putIfAbsent("max.block.ms", 5000);
        quick.putIfAbsent("delivery.timeout.ms", 5000);
        quick.putIfAbsent("request.timeout.ms", 3000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(quick, new StringSerializer(), new StringSerializer())) {
            for (ProducerRecord<String, String> r : records) {
                producer.send(r).get(10, TimeUnit.SECONDS);
            }
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }
}
