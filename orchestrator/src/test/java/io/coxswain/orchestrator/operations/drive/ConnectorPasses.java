package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.operations.connect.ConnectRest;
import io.coxswain.orchestrator.operations.connect.ConnectWorker;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the connector step's tests share: a REAL Kafka Connect worker (distributed mode, against the tests' shared KRaft
 * broker) of each test class, a cluster of its own per test whose connect component has a ready pod, and passes made as
 * the executor makes them, what they record folded by the log in order.
 */
abstract class ConnectorPasses {

    /** How long Connect gets for anything (a rebalance, a task's start or restart): a loaded 2-core machine's, not a quiet one's. */
    static final Duration T = Duration.ofSeconds(120);
    static final String SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector";
    static final String SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector";
    static ConnectWorker worker;

    @TempDir
    Path dir;
    final String cluster = "pay-" + UUID.randomUUID().toString().substring(0, 6);
    final AtomicReference<String> url = new AtomicReference<>();
    RecordingSink sink;
    ConnectorSync sync;
    ConnectRest rest;
    ClusterState state;
    int folded;

    @BeforeAll
    static void startWorker() {
        worker = ConnectWorker.start(SharedKafka.bootstrapServers());
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    @BeforeEach
    void cluster() {
        url.set(worker.url());
        sink = new RecordingSink();
        sync = new ConnectorSync(new OperationRecorder(sink), (s, n) -> url.get(), Duration.ofSeconds(10), Clock.systemUTC());
        rest = new ConnectRest(HttpClient.newHttpClient(), worker.url(), Duration.ofSeconds(10), Duration.ofSeconds(60));
        state = TestStates.created(cluster, 1, 1);
        state = fold(on().setComponent("connect", 1, null, null, Map.of()));
        state = fold(on().observation("exec", ComponentObserved.newBuilder().setComponent("connect").setDesired(1).setReady(1).build()));
    }

    boolean sync(ClusterState s, String cause) {
        boolean aligned = sync.sync(s, new ClusterNames(cluster, "kafka-" + cluster), cause);
        List<Object> recorded = sink.all();
        for (Object o : recorded.subList(folded, recorded.size())) { // the log folds what was recorded, actions and reports, in order
            state = fold(on().observation("exec", o));
        }
        folded = recorded.size();
        return aligned;
    }

    /** Passes (as the resync makes them) until the last report satisfies the condition, at most {@link #T}. */
    void syncUntil(String cause, String what, Predicate<ConnectorsObserved> reported) {
        DriveWorld.await(T, () -> what + "; last report " + (sink.of(ConnectorsObserved.class).isEmpty() ? "none" : lastReport()), () -> {
            sync(state, cause);
            return !sink.of(ConnectorsObserved.class).isEmpty() && reported.test(lastReport());
        });
    }

    List<ResourceActionObserved> actions() {
        return sink.of(ResourceActionObserved.class);
    }

    ConnectorsObserved lastReport() {
        List<ConnectorsObserved> reports = sink.of(ConnectorsObserved.class);
        assertThat(reports).isNotEmpty();
        return reports.get(reports.size() - 1);
    }

    CommandBuilder on() {
        return Commands.on(cluster).issuer("alice");
    }

    ClusterState fold(Command c) {
        return Evolve.apply(state, c);
    }

    /**
     * A local port that refuses connections for as long as the returned socket stays open: bound, never listening. A port
     * found free and closed again could be bound by anything else on the machine before the test connects to it.
     */
    static java.net.Socket refusingPort() throws java.io.IOException {
        java.net.Socket s = new java.net.Socket();
        s.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        return s;
    }
}
