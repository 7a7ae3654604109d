package io.coxswain.avro.wire;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.registry.SchemaIdentity;
import io.coxswain.avro.registry.ShippedSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * A Command kept inside the state (a proposal waiting for approvals): Avro binary plus the number of the
 * released commands schema that wrote it. The number resolves offline against the schema history every
 * Coxswain ships, so a later Coxswain, with more command types, still decodes a proposal an older one
 * recorded, with no schema registry at hand. Maps are written in key order: the state stays a function of
 * the log, byte for byte.
 */
public final class StoredCommands {

    private static final List<Schema> HISTORY = ShippedSchemas.history().get("commands");
    /** The released version the generated Command class is (the last: SchemaHistoryTest checks it). */
    public static final int CURRENT_VERSION = HISTORY.size();

    private StoredCommands() {
    }

    public static byte[] encode(Command command) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new CanonicalDatumWriter<Command>(Command.getClassSchema(), SpecificData.get()).write(command, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this Coxswain ships commands schema {@code version}: a newer Coxswain may have stored a command with a later one. */
    public static boolean ships(int version) {
        return version >= 1 && version <= HISTORY.size();
    }

    /** Released commands schema {@code version} (1-based), as this Coxswain ships it; {@link #ships} says whether it does. */
    public static Schema released(int version) {
        if (!ships(version)) {
            throw new IllegalArgumentException("commands schema v" + version + " is not one this Coxswain ships (v1 to v" + HISTORY.size() + ")");
        }
        return HISTORY.get(version - 1);
    }

    /** As {@link #decode(byte[], int)}, from the state's field; the buffer's position is left as it was. */
    public static Command decode(ByteBuffer bytes, int version) {
        ByteBuffer b = bytes.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return decode(out, version);
    }

    /** @param version the released commands schema version that wrote {@code bytes} (1-based) */
    public static Command decode(byte[] bytes, int version) {
        if (!ships(version)) {
            throw new IllegalArgumentException("a stored command written with commands schema v" + version + ", which this Coxswain does not"
                    + " ship (it knows v1 to v" + HISTORY.size() + "): run a Coxswain at least as new as the one that recorded it");
        }
        Schema writer = HISTORY.get(version - 1);
        try {
            SpecificDatumReader<Command> reader = SchemaIdentity.sameSchema(writer, Command.getClassSchema())
                    ? new SpecificDatumReader<>(Command.class)
                    : new SpecificDatumReader<>(writer, Command.getClassSchema());
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
