package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.commands.cli.StandInGateway.Run;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cox offsets reset|list} against a {@link StandInGateway}: the payload each target option builds, options
 * refused before anything is sent, and how list and {@code cox get} render the state's pending resets and their
 * outcomes. (End to end through a real gateway and fold: the gateway module's OffsetResetCliTest.)
 */
class OffsetsCommandTest {

    /** spec.offsetResets and status.offsetResets as GET /v1/clusters/{id} renders them (StateJson). */
    private static final String CLUSTER = """
            {"clusterId": "payments", "version": 9, "intentVersion": 8, "spec": {"kafkaVersion": "4.1.0", "offsetResets": {
              "orders-app": {"commandId": "reset-2", "issuer": "alice", "topics": ["orders", "refunds"], "to": "DATETIME",
                "datetime": "2026-12-01T10:00:00Z", "shiftBy": null, "reason": "replay after the bad deploy",
                "requestedAt": "2026-12-06T17:00:00Z", "plan": {}, "plannedAt": null},
              "ledger": {"commandId": "reset-3", "issuer": "bob", "topics": [], "to": "SHIFT_BY", "datetime": null, "shiftBy": -100,
                "reason": null, "requestedAt": "2026-12-06T17:01:00Z",
                "plan": {"entries": [{"partition": 0, "from": 500, "to": 400}, {"partition": 1, "from": null, "to": 0}],
                         "fees": [{"partition": 0, "from": 90, "to": 0}]},
                "plannedAt": "2026-12-06T17:01:05Z"}}},
             "status": {"phase": "Ready", "offsetResets": {
              "billing": {"commandId": "reset-1", "state": "DONE", "partitions": 12, "reason": null, "at": "2026-12-06T16:00:00Z"},
              "orders-app": {"commandId": "reset-0", "state": "REFUSED", "partitions": 0,
                "reason": "group orders-app has 2 active members: stop its consumers first", "at": "2026-12-06T15:00:00Z"},
              "fees": {"commandId": "reset-5", "state": "CANCELLED", "partitions": 0,
                "reason": "cancelled by command cancel-5 of bob (consumers kept running) before the executor planned it: no offset was moved",
                "at": "2026-12-06T14:00:00Z"}}}}""";

    /** A reset of group billing on cluster moving as the executor takes it: pending, then planned, then DONE, one GET each. */
    private static final List<String> MOVING = List.of("""
            {"clusterId": "moving", "spec": {"offsetResets": {"billing": {"commandId": "reset-7", "issuer": "alice", "topics": [],
              "to": "EARLIEST", "requestedAt": "2026-12-06T17:00:00Z", "plan": {}, "plannedAt": null}}}, "status": {"offsetResets": {}}}""", """
            {"clusterId": "moving", "spec": {"offsetResets": {"billing": {"commandId": "reset-7", "issuer": "alice", "topics": [],
              "to": "EARLIEST", "requestedAt": "2026-12-06T17:00:00Z", "plan": {"orders": [{"partition": 0, "from": 5, "to": 0}]},
              "plannedAt": "2026-12-06T17:00:02Z"}}}, "status": {"offsetResets": {}}}""", """
            {"clusterId": "moving", "spec": {"offsetResets": {}}, "status": {"offsetResets": {"billing": {"commandId": "reset-7",
              "state": "DONE", "partitions": 1, "reason": "committed EARLIEST on 1 partition(s)", "at": "2026-12-06T17:00:04Z"}}}}""");

    private StandInGateway gateway;
    private final AtomicInteger movingLooks = new AtomicInteger();

    @BeforeEach
    void startGateway() throws IOException {
        gateway = new StandInGateway(path -> switch (path) {
            case "/v1/clusters/empty" -> "{\"clusterId\": \"empty\", \"spec\": {\"offsetResets\": {}}, \"status\": {\"offsetResets\": {}}}";
            case "/v1/clusters/moving" -> MOVING.get(Math.min(movingLooks.getAndIncrement(), MOVING.size() - 1));
            default -> CLUSTER;
        });
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private Run cox(String... args) {
        return gateway.cox(args);
    }

    private JsonNode sent(String... args) {
        Run r = cox(args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(gateway.paths).last().isEqualTo("POST /v1/commands?wait=true");
        JsonNode body = gateway.lastBody();
        assertThat(body.get("type").asText()).isEqualTo("ResetConsumerGroupOffsets");
        assertThat(body.get("clusterId").asText()).isEqualTo("payments");
        return body.get("payload");
    }

    @Test
    void eachTargetSendsItsOwnValueAndOnlyIt() {
        assertThat(sent("offsets", "reset", "payments", "orders-app", "--to-earliest").toString())
                .isEqualTo("{\"group\":\"orders-app\",\"topics\":[],\"to\":\"EARLIEST\"}");
        assertThat(sent("offsets", "reset", "payments", "orders-app", "--to-latest", "--topic", "orders", "--topic", "refunds,fees").toString())
                .isEqualTo("{\"group\":\"orders-app\",\"topics\":[\"orders\",\"refunds\",\"fees\"],\"to\":\"LATEST\"}");
        assertThat(sent("offsets", "reset", "payments", "orders-app", "--to-datetime", "2026-12-01T11:00:00+01:00", "--reason", "replay").toString())
                .as("an offset is sent as the instant").isEqualTo("{\"group\":\"orders-app\",\"topics\":[],\"to\":\"DATETIME\","
                        + "\"datetime\":\"2026-12-01T10:00:00Z\",\"reason\":\"replay\"}");
        assertThat(sent("offsets", "reset", "payments", "orders-app", "--shift-by", "-100", "--topic", "orders").toString())
                .as("a negative N is the option's value, not an option").isEqualTo("{\"group\":\"orders-app\",\"topics\":[\"orders\"],"
                        + "\"to\":\"SHIFT_BY\",\"shiftBy\":-100}");

        Run accepted = cox("offsets", "reset", "payments", "orders-app", "--to-earliest", "--command-id", "reset-9", "--expected-version", "9");
        assertThat(accepted.out()).contains("ResetConsumerGroupOffsets on payments: accepted, version 10 (command reset-9)",
                "follow it with: cox offsets list payments");
        assertThat(gateway.lastBody().get("expectedVersion").asLong()).isEqualTo(9);
        assertThat(cox("offsets", "reset", "payments", "orders-app", "--to-earliest", "--dry-run").code()).isZero();
        assertThat(gateway.paths).last().isEqualTo("POST /v1/commands?dryRun=true");
    }

    @Test
    void noTargetTwoTargetsABadTimeAndAZeroShiftAreRefusedNamingTheOptionWithNothingSent() {
        Run none = cox("offsets", "reset", "payments", "orders-app", "--topic", "orders");
        assertThat(none.code()).isEqualTo(CliException.BAD_INPUT);
        assertThat(none.err()).contains("give where to reset group orders-app to: one of --to-earliest, --to-latest, --to-datetime TIME"
                + " or --shift-by N");
        Run two = cox("offsets", "reset", "payments", "orders-app", "--to-earliest", "--shift-by", "5");
        assertThat(two.code()).isEqualTo(CliException.BAD_INPUT);
        assertThat(two.err()).contains("not --to-earliest and --shift-by");
        Run badTime = cox("offsets", "reset", "payments", "orders-app", "--to-datetime", "yesterday at ten");
        assertThat(badTime.code()).isEqualTo(CliException.BAD_INPUT);
        assertThat(badTime.err()).contains("--to-datetime must be a time like 2026-11-20T10:00:00Z", "'yesterday at ten'");
        Run zero = cox("offsets", "reset", "payments", "orders-app", "--shift-by", "0");
        assertThat(zero.code()).isEqualTo(CliException.BAD_INPUT);
        assertThat(zero.err()).contains("--shift-by must not be 0");
        Run notANumber = cox("offsets", "reset", "payments", "orders-app", "--shift-by", "ten");
        assertThat(notANumber.code()).isEqualTo(CliException.BAD_INPUT);
        assertThat(notANumber.err()).contains("--shift-by", "'ten'");
        assertThat(cox("offsets", "reset", "payments", "--to-earliest").code()).as("GROUP is required").isEqualTo(CliException.BAD_INPUT);
        assertThat(gateway.paths).as("nothing reached the gateway").isEmpty();

        // picocli wraps the help at 80 columns: compared with the line breaks read as spaces
        assertThat(cox("offsets", "reset", "--help").out().replaceAll("\\s+", " ")).contains("stop its consumers first", "commits all of them or none",
                "--to-earliest", "--to-latest", "--to-datetime=TIME", "--shift-by=N", "--topic=TOPIC", "--reason", "--dry-run", "--no-wait");
        assertThat(cox("--help").out()).contains("offsets");
    }

    @Test
    void listShowsPendingResetsWithTheirPlanThenTheLatestOutcomes() {
        Run list = cox("offsets", "list", "payments");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(gateway.paths).containsExactly("GET /v1/clusters/payments?consistent=true");
        assertThat(list.out()).containsSubsequence("Pending:", "Latest outcomes:")
                .containsPattern("GROUP +TO +TOPICS +ASKED BY +REQUESTED +PLANNED +COMMAND")
                .containsPattern("ledger +SHIFT_BY -100 +all +bob +2026-12-06T17:01:00Z +3 partitions at 2026-12-06T17:01:05Z +reset-3")
                .containsPattern("orders-app +DATETIME 2026-12-01T10:00:00Z +orders,refunds +alice +2026-12-06T17:00:00Z +not yet +reset-2")
                .containsPattern("GROUP +STATE +PARTITIONS +AT +COMMAND +REASON")
                .containsPattern("billing +DONE +12 +2026-12-06T16:00:00Z +reset-1 +-")
                .containsPattern("orders-app +REFUSED +0 +2026-12-06T15:00:00Z +reset-0 +group orders-app has 2 active members: stop its consumers first")
                .containsPattern("fees +CANCELLED +0 +2026-12-06T14:00:00Z +reset-5 +cancelled by command cancel-5 of bob \\(consumers kept running\\)");

        Run asJson = cox("offsets", "list", "payments", "-o", "json");
        JsonNode doc = asJson.json();
        assertThat(doc.at("/pending/ledger/plan/entries/0/from").asLong()).isEqualTo(500);
        assertThat(doc.at("/latest/orders-app/state").asText()).isEqualTo("REFUSED");

        assertThat(cox("offsets", "list", "empty").out()).isEqualTo("cluster empty has no consumer group offset resets; ask for one with:"
                + " cox offsets reset empty GROUP --to-earliest | --to-latest | --to-datetime TIME | --shift-by N" + System.lineSeparator());
    }

    @Test
    void withWaitTheOutcomeIsTheExitCodeAndTheReasonIsPrinted() {
        Run done = cox("offsets", "reset", "payments", "billing", "--to-earliest", "--command-id", "reset-1", "--wait");
        assertThat(done.code()).as(done.err()).isZero();
        assertThat(done.out()).contains("billing on payments: DONE, 12 partition(s) set");
        assertThat(gateway.paths).contains("GET /v1/clusters/payments?consistent=true");

        Run refused = cox("offsets", "reset", "payments", "orders-app", "--to-earliest", "--command-id", "reset-0", "--wait");
        assertThat(refused.code()).isEqualTo(CliException.REJECTED);
        assertThat(refused.err()).contains("orders-app on payments: REFUSED: group orders-app has 2 active members", "cox audit");

        Run cancelled = cox("offsets", "reset", "payments", "fees", "--to-earliest", "--command-id", "reset-5", "--wait");
        assertThat(cancelled.code()).isEqualTo(CliException.REJECTED);
        assertThat(cancelled.err()).contains("fees on payments: CANCELLED: cancelled by command cancel-5 of bob");

        // --timeout 0s: one look, then the deadline
        Run notYet = cox("offsets", "reset", "payments", "orders-app", "--to-earliest", "--command-id", "reset-2", "--wait", "--timeout", "0s");
        assertThat(notYet.code()).isEqualTo(WaitCommand.NOT_DONE_IN_TIME);
        assertThat(notYet.err()).contains("no outcome for the reset of orders-app on payments after 0s", "not planned yet");

        Run planned = cox("offsets", "reset", "payments", "ledger", "--to-earliest", "--command-id", "reset-3", "--wait", "--timeout", "0s");
        assertThat(planned.out()).contains("ledger on payments: planned, 3 partitions at 2026-12-06T17:01:05Z");
        assertThat(planned.code()).isEqualTo(WaitCommand.NOT_DONE_IN_TIME);

        Run dry = cox("offsets", "reset", "payments", "billing", "--to-earliest", "--wait", "--dry-run");
        assertThat(dry.code()).isEqualTo(CliException.BAD_INPUT);
        assertThat(dry.err()).contains("not with --dry-run");
    }

    @Test
    void withWaitTheOutcomeIsWaitedForPassThePendingAndThePlannedLooks() {
        // a wait of 10 s looks again after 200 then 400 ms: the outcome, at the third look, comes well within a second, far from the deadline
        // even on a loaded machine
        Run done = cox("offsets", "reset", "moving", "billing", "--to-earliest", "--command-id", "reset-7", "--wait", "--timeout", "10s");
        assertThat(done.code()).as(done.err()).isZero();
        assertThat(done.out()).containsSubsequence("billing on moving: planned, 1 partitions at 2026-12-06T17:00:02Z",
                "billing on moving: DONE, 1 partition(s) set: committed EARLIEST on 1 partition(s)");
        assertThat(movingLooks.get()).as("looked until the outcome came, and then no more").isEqualTo(3);
    }

    @Test
    void cancelSendsTheGroupAndTheReason() {
        Run cancel = cox("offsets", "cancel", "payments", "orders-app", "--reason", "consumers kept running", "--command-id", "cancel-9");
        assertThat(cancel.code()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("CancelConsumerGroupOffsetReset on payments: accepted, version 10 (command cancel-9)");
        assertThat(gateway.paths).containsExactly("POST /v1/commands?wait=true");
        assertThat(gateway.lastBody().get("type").asText()).isEqualTo("CancelConsumerGroupOffsetReset");
        assertThat(gateway.lastBody().get("payload").toString()).isEqualTo("{\"group\":\"orders-app\",\"reason\":\"consumers kept running\"}");
        assertThat(cox("offsets", "cancel", "payments").code()).as("GROUP is required").isEqualTo(CliException.BAD_INPUT);
        assertThat(cox("offsets", "cancel", "--help").out().replaceAll("\\s+", " ")).contains("before the executor has planned it",
                "committed or refused on the executor's next pass", "--reason");
    }

    @Test
    void coxGetSaysHowManyArePendingAndTheLatestOutcomesOnlyWhenThereAreAny() {
        assertThat(cox("get", "payments").out()).contains("Offset resets: 2 pending; latest: 1 CANCELLED, 1 DONE, 1 REFUSED (cox offsets list payments)");
        assertThat(cox("get", "empty").out()).doesNotContain("Offset resets");
    }
}
