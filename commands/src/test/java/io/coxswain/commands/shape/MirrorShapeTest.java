package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.DeleteMirror;
import io.coxswain.avro.command.SetMirror;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A mirror command names connectors the Connect REST API can address, a source cluster by its id, regular expressions
 * MirrorMaker 2 can compile (each named by its place in the list), and syncs offsets only of the groups it names.
 */
class MirrorShapeTest {

    private static SetMirror.Builder mirror() {
        return SetMirror.newBuilder().setName("from-payments").setSourceCluster("payments");
    }

    @Test
    void aMirrorWithTheDefaultsOrWithGroupsAndAUserIsWellFormed() {
        assertThat(PayloadViolations.of(mirror().build())).isEmpty();
        assertThat(PayloadViolations.of(mirror().setTopics(List.of("orders\\..*", "payments")).setExcludeTopics(List.of(".*\\.internal"))
                .setGroups(List.of("billing-.*")).setSyncGroupOffsets(true).setSourceUser("mirror-dr").build())).isEmpty();
        assertThat(MirrorShape.connectorNames("m")).containsExactly("m-source", "m-checkpoint", "m-heartbeat");
        assertThat(MirrorShape.connectorNames("m", false)).as("no checkpoints without groups").containsExactly("m-source", "m-heartbeat");
    }

    @Test
    void eachBadFieldIsNamed() {
        assertThat(PayloadViolations.of(mirror().setTopics(List.of("orders", "(unclosed")).build())).singleElement().asString()
                .contains("payload.topics[1]", "not a Java regular expression", "'(unclosed'");
        assertThat(PayloadViolations.of(mirror().setGroups(List.of("a,b")).build())).singleElement().asString()
                .contains("payload.groups[0]", "','");
        assertThat(PayloadViolations.of(mirror().setSyncGroupOffsets(true).build())).singleElement().asString()
                .contains("payload.syncGroupOffsets", "groups");
        assertThat(PayloadViolations.of(mirror().setSourceCluster("Payments_EU").build())).singleElement().asString()
                .contains("payload.sourceCluster", "DNS-1123");
        assertThat(PayloadViolations.of(mirror().setSourceUser("Bad User").build())).singleElement().asString().contains("payload.sourceUser");
        assertThat(PayloadViolations.of(mirror().setTopics(List.of()).build())).singleElement().asString().contains("payload.topics");
        assertThat(PayloadViolations.of(mirror().setName("x".repeat(MirrorShape.MAX_NAME_LENGTH + 1)).build())).singleElement().asString()
                .contains("payload.name", "-checkpoint");
        assertThat(PayloadViolations.of(new DeleteMirror("a/b"))).singleElement().asString().contains("payload.name");
        assertThat(PayloadViolations.of(mirror().setExcludeTopics(List.of("tmp-.*", "audit", "tmp-.*")).build())).singleElement().asString()
                .contains("payload.excludeTopics[2]", "repeats payload.excludeTopics[0]", "give each expression once");
    }
}
