package io.coxswain.orchestrator.topology;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;

/** The codecs of Coxswain's three record types, bound to one registry and one topic prefix. */
public record Codecs(AvroWireCodec<Command> commands, AvroWireCodec<Decision> decisions, AvroWireCodec<ClusterState> states) {

    public static Codecs of(SchemaRegistry registry, Topics topics) {
        return new Codecs(
                new AvroWireCodec<>(registry, Topics.valueSubject(topics.commands()), Command.class),
                new AvroWireCodec<>(registry, Topics.valueSubject(topics.events()), Decision.class),
                new AvroWireCodec<>(registry, Topics.valueSubject(topics.state()), ClusterState.class));
    }
}
