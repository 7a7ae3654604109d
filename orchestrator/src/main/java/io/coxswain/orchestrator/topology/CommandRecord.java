package io.coxswain.orchestrator.topology;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.avro.wire.UndecodableRecordException;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.CommandFold;
import io.coxswain.orchestrator.fold.Rejection;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A command record as the fold reads it, live and in a replay alike: decoded with this node's commands schema, with
 * what a newer writer schema holds that this one lacks ({@link AvroWireCodec#droppedFields}). A record holding a command
 * type or an enum symbol this node lacks is not decoded with its schema (Avro fails on it, or reads a new command type as
 * another one whose fields it can fill): {@code command} is then null, and what {@link Admission} refuses it with comes
 * from the record as its writer schema reads it, so the sender gets a decision rather than a dead letter.
 *
 * @param command the command; null only when {@code dropped} says the record is not {@link DroppedFields#decodable}
 */
public record CommandRecord(Command command, Optional<DroppedFields> dropped) {

    /** @throws UndecodableRecordException when the record does not match even its writer schema: for the dead-letter topic */
    public static CommandRecord read(AvroWireCodec<Command> codec, Headers headers, byte[] value) {
        AvroWireCodec.Read<Command> read = codec.read(headers, value);
        return new CommandRecord(read.decoded(), read.dropped());
    }

    public String commandId() {
        return command != null ? command.getCommandId() : written("commandId");
    }

    public String clusterId() {
        return command != null ? command.getClusterId() : written("clusterId");
    }

    public String issuer() {
        return command != null ? command.getIssuer() : written("issuer");
    }

    /** The command type: the payload's record name, as the gateway names it. */
    public String type() {
        return command != null ? Commands.typeOf(command) : ((GenericRecord) asWritten().get("payload")).getSchema().getName();
    }

    /** The decision recording a refusal of this record ({@link CommandFold#refused}). */
    public Decision refused(Rejection rejection, long offset) {
        if (command != null) {
            return CommandFold.refused(command, rejection, offset);
        }
        return CommandFold.refused(commandId(), clusterId(), type(), issuer(), issuedAt(), rejection, offset);
    }

    public Instant issuedAt() {
        // read generically, without logical-type conversions: the timestamp-millis is a long
        return command != null ? command.getIssuedAt() : Instant.ofEpochMilli((Long) asWritten().get("issuedAt"));
    }

    private GenericRecord asWritten() {
        return dropped.orElseThrow().asWritten();
    }

    private String written(String field) {
        Object v = asWritten().get(field);
        return v == null ? null : v.toString();
    }
}
