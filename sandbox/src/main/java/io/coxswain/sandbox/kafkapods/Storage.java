package io.coxswain.sandbox.kafkapods;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * Formats a node's directories the way {@code kafka-storage format} does in a pod's init step,
 * only for directories not formatted yet, so a restarted pod keeps its data and identity.
 */
final class Storage {

    private Storage() {
    }

    static void formatIfNew(LocalNodeConfig config) {
        Set<String> dirs = new LinkedHashSet<>();
        config.logDirs().forEach(d -> dirs.add(d.toString()));
        dirs.add(config.metadataDir().toString());
        try {
            for (String d : dirs) {
                Files.createDirectories(Path.of(d));
            }
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(config.nodeId())
                    .setClusterId(config.clusterId())
                    .setControllerListenerName(config.controllerListener())
                    .setMetadataLogDirectory(config.metadataDir().toString())
                    .setDirectories(List.copyOf(dirs))
                    .setIgnoreFormatted(true)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directories of node " + config.nodeId(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the storage of node " + config.nodeId() + ": " + e.getMessage(), e);
        }
    }
}
