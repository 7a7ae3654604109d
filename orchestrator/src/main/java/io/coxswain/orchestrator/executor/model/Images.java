package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;

/** The Kafka image of a cluster: {@code <spec.image>:<spec.kafkaVersion>} (apache/kafka by default). */
public final class Images {

    private Images() {
    }

    public static String of(ClusterSpec spec) {
        return spec.getImage() + ":" + spec.getKafkaVersion();
    }

    /** The tag of an image reference ({@code repo:tag}, digest references have none). */
    public static String tag(String image) {
        if (image == null || image.contains("@")) {
            return null;
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : null;
    }

    /** The repository of an image reference, without tag. */
    public static String repository(String image) {
        String tag = tag(image);
        return tag == null ? image : image.substring(0, image.length() - tag.length() - 1);
    }
}
