package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The RESULT column of {@code cox history} for entries as GET /v1/clusters/{id}/history writes them: a plain change, a
 * rejection, a proposal waiting and ended, an approval naming the proposal it acted on, a proposal whose end the
 * state no longer holds, and a command a newer commands schema wrote, with the gateway's note. (End to end through a real gateway and fold: the gateway module's ApprovalsApiTest.)
 */
class HistoryResultTest {

    private static JsonNode entry(String json) throws IOException {
        return GatewayClient.JSON.readTree(json);
    }

    @Test
    void aProposalsLineSaysWhatBecameOfItAndAnApprovalsLineWhichProposalItActedOn() throws IOException {
        assertThat(ReadCommands.result(entry("{\"commandId\": \"c-1\", \"status\": \"accepted\", \"version\": 7}"))).isEqualTo("v7");
        assertThat(ReadCommands.result(entry("{\"commandId\": \"c-2\", \"status\": \"rejected\", \"code\": \"NO_CHANGE\", \"reason\": \"3 already\"}")))
                .isEqualTo("NO_CHANGE: 3 already");
        assertThat(ReadCommands.result(entry("{\"commandId\": \"drop\", \"status\": \"accepted\", \"version\": 8, \"proposed\": true,"
                + " \"awaitingApprovals\": 1, \"proposal\": {\"commandId\": \"drop\", \"type\": \"DeleteTopic\", \"state\": \"PENDING\","
                + " \"summary\": \"awaiting 1 approval\"}}"))).isEqualTo("v8, awaiting 1 approval");
        assertThat(ReadCommands.result(entry("{\"commandId\": \"drop\", \"status\": \"accepted\", \"version\": 8, \"proposed\": true,"
                + " \"proposal\": {\"commandId\": \"drop\", \"type\": \"DeleteTopic\", \"state\": \"APPLIED\", \"summary\": \"APPLIED v9 by bob\"}}")))
                .isEqualTo("v8, APPLIED v9 by bob");
        assertThat(ReadCommands.result(entry("{\"commandId\": \"ok-1\", \"status\": \"accepted\", \"version\": 9,"
                + " \"proposal\": {\"commandId\": \"drop\", \"type\": \"DeleteTopic\", \"state\": \"APPLIED\", \"summary\": \"APPLIED v9 by bob\"}}")))
                .isEqualTo("v9, DeleteTopic drop APPLIED v9 by bob");
        assertThat(ReadCommands.result(entry("{\"commandId\": \"old\", \"status\": \"accepted\", \"version\": 3, \"proposed\": true}")))
                .isEqualTo("v3, ended past the latest outcomes the state keeps (cox audit)");
        assertThat(ReadCommands.result(entry("{\"commandId\": \"drain-1\", \"type\": \"DrainBroker\", \"status\": \"rejected\", \"code\": \"OTHER\","
                + " \"reason\": \"not decided\", \"note\": \"written with commands schema v29, which this gateway (v28) cannot fully read\"}")))
                .isEqualTo("OTHER: not decided (written with commands schema v29, which this gateway (v28) cannot fully read)");
    }
}
