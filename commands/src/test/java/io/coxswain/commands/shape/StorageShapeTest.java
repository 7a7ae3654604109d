package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ExpandStorage;
import io.coxswain.commands.Commands;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A data volume's size: the rule CreateCluster's storage size has always had, for ExpandStorage too, and sizes as bytes. */
class StorageShapeTest {

    private static List<String> violations(Object payload) {
        Command c = Commands.on("payments").issuer("alice").deleteTopic("x");
        c.setPayload(payload);
        return CommandShape.check(c).stream().map(Violation::toString).toList();
    }

    @Test
    void anExpansionToAStorageQuantityPassesAndTheBuilderMakesIt() {
        assertThat(violations(new ExpandStorage("200Gi"))).isEmpty();
        assertThat(violations(new ExpandStorage("1Ti"))).isEmpty();
        Command c = Commands.on("payments").issuer("alice").expectedVersion(4).expandStorage("500Gi");
        assertThat(c.getPayload()).isEqualTo(new ExpandStorage("500Gi"));
        assertThat(Commands.typeOf(c)).isEqualTo("ExpandStorage");
    }

    @Test
    void aSizeThatIsNoStorageQuantityNamesTheField() {
        for (String bad : new String[] {"200GB", "200", "0Gi", "1.5Ti", "-1Gi", "1000M", "", "1234567Gi"}) {
            assertThat(violations(new ExpandStorage(bad))).as(bad)
                    .containsExactly("payload.size: must be a Kubernetes quantity such as 10Gi (Mi, Gi or Ti), got '" + bad + "'");
        }
        assertThatThrownBy(() -> Commands.on("payments").issuer("alice").expandStorage("lots"))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("payload.size");
    }

    @Test
    void sizesAreComparedAsBytesHoweverWritten() {
        assertThat(StorageShape.bytes("100Gi").getAsLong()).isLessThan(StorageShape.bytes("200Gi").getAsLong());
        assertThat(StorageShape.bytes("1Ti").getAsLong()).isGreaterThan(StorageShape.bytes("500Gi").getAsLong());
        assertThat(StorageShape.bytes("1Ti")).isEqualTo(StorageShape.bytes("1024Gi"));
        assertThat(StorageShape.bytes("2048Mi")).isEqualTo(StorageShape.bytes("2Gi"));
        assertThat(StorageShape.bytes("999999Ti").getAsLong()).as("the largest fits a long").isPositive();
        assertThat(StorageShape.bytes("1000M")).as("decimal units are refused, as CreateCluster refuses them").isEmpty();
    }
}
