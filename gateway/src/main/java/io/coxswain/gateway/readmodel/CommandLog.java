package io.coxswain.gateway.readmodel;

import io.coxswain.avro.command.ApproveCommand;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.RejectProposal;
import io.coxswain.avro.command.WithdrawProposal;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.topology.CommandRecord;
import io.coxswain.orchestrator.topology.NewerSchemas;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;

/**
 * Every command record of the commands topic matched with its decision from the events topic: the
 * per-cluster history in log order, the status of each command id, and the futures of callers
 * waiting for a decision. The two topics are read by one consumer but not in a guaranteed
 * interleaving, so a decision may arrive before its command record; both orders are handled.
 */
public final class CommandLog {

    private static final String OBSERVATION = RecordObservation.class.getSimpleName();

    private final Map<String, List<CommandEntry>> history = new HashMap<>();
    /** clusterId/commandId → command records still waiting for their decision, oldest first. */
    private final Map<String, Deque<CommandEntry>> undecided = new HashMap<>();
    /** clusterId/commandId → decisions that arrived before their command record. */
    private final Map<String, Deque<Decided>> early = new HashMap<>();
    /** clusterId/commandId → the first (non-duplicate) decision. */
    private final Map<String, Decision> firstDecision = new HashMap<>();
    /**
     * clusterId/commandId → what this gateway cannot read of the first decision, a newer events schema having written it (one
     * it cannot decode at all has no {@link #firstDecision}): a dry run of a repeat answers as a node of this version does.
     */
    private final Map<String, DroppedFields> newerFirst = new HashMap<>();
    /** commandId → clusters that have a command with that id (ids are unique per cluster only). */
    private final Map<String, List<String>> clustersOf = new HashMap<>();
    /** Commands this gateway wrote whose record the read model has not seen yet. */
    private final Map<String, CommandEntry> submitted = new LinkedHashMap<>();
    private final Map<String, List<Waiter>> waiters = new HashMap<>();
    /**
     * clusterId → decision records of the cluster this gateway cannot read even the command id of (where, and why): a
     * command of it still without a decision says that its decision may be one of them.
     */
    private final Map<String, List<String>> unattributed = new HashMap<>();

    /**
     * A decision and what this gateway cannot read of it ({@link #onDecision(Decision, DroppedFields)}); or, {@code decision}
     * null, one it cannot read at all, {@code unreadable} saying where it is and why.
     */
    private record Decided(Decision decision, String note, String unreadable) {
        void decide(CommandEntry e) {
            e.decision = decision;
            e.decisionNote = note;
            e.unreadableDecision = unreadable;
        }
    }

    /** A sender waiting for the decision of the record it wrote at {@code offset} (-1: of any record with the id). */
    private record Waiter(CompletableFuture<Decision> future, long offset) {
        boolean answeredBy(Decision d) {
            return Commands.decides(d, offset);
        }
    }

    /**
     * The proposal an ApproveCommand, RejectProposal or WithdrawProposal acts on (its payload's commandId); empty for any other
     * command.
     */
    public static Optional<String> proposalActedOn(Command c) {
        Object p = c.getPayload();
        return p instanceof ApproveCommand a ? Optional.of(a.getCommandId()) : p instanceof RejectProposal r ? Optional.of(r.getCommandId())
                : p instanceof WithdrawProposal w ? Optional.of(w.getCommandId()) : Optional.empty();
    }

    /**
     * Why a command's entry may not show all of it: written with a newer commands schema, it holds a type, an enum symbol or
     * fields this gateway's schema lacks, which Avro would drop or read as something else (a new command type as another
     * whose fields it can fill).
     */
    static String newerNote(DroppedFields dropped) {
        return NewerSchemas.note("commands", StoredCommands.CURRENT_VERSION, dropped, "this gateway");
    }

    /** Why a command's entry may not show all of its decision: a newer events schema wrote it, holding what this gateway's lacks. */
    static String decisionNote(DroppedFields dropped) {
        return "its decision was " + NewerSchemas.note("events", NewerSchemas.EVENTS_VERSION, dropped, "this gateway");
    }

    private static String key(String clusterId, String commandId) {
        return clusterId + "/" + commandId;
    }

    /** A command record read from the commands topic ({@link CommandRecord#read}: a newer writer's as it wrote it). */
    synchronized void onCommand(CommandRecord c, int partition, long offset) {
        CommandEntry e = new CommandEntry(c, partition, offset);
        String k = key(c.clusterId(), c.commandId());
        submitted.remove(k);
        add(e);
        Deque<Decided> waiting = early.get(k);
        if (waiting != null) {
            waiting.poll().decide(e);
            if (waiting.isEmpty()) {
                early.remove(k);
            }
        } else {
            undecided.computeIfAbsent(k, x -> new ArrayDeque<>()).add(e);
        }
    }

    /** A record of the commands topic that could not be decoded: the node dead-lettered it, no decision will come. */
    synchronized void onUndecodable(String key, int partition, long offset, String reason) {
        if (key != null) {
            history.computeIfAbsent(key, x -> new ArrayList<>())
                    .add(new CommandEntry(key, null, "Undecodable", null, null, partition, offset, reason, null, null));
        }
    }

    private void add(CommandEntry e) {
        history.computeIfAbsent(e.clusterId, x -> new ArrayList<>()).add(e);
        List<String> clusters = clustersOf.computeIfAbsent(e.commandId, x -> new ArrayList<>(1));
        if (!clusters.contains(e.clusterId)) {
            clusters.add(e.clusterId);
        }
    }

    /** A decision read from the events topic. */
    void onDecision(Decision d) {
        onDecision(d, null);
    }

    /**
     * A decision read from the events topic; {@code newer} is what this gateway cannot read of it, a newer events schema
     * having written it with fields this gateway's lacks (null: nothing), said on its command's entry ({@link #decisionNote}).
     */
    void onDecision(Decision d, DroppedFields newer) {
        List<Waiter> answered = new ArrayList<>();
        Decision answer;
        String note = newer == null ? null : decisionNote(newer);
        synchronized (this) {
            String k = key(d.getClusterId(), d.getCommandId());
            decide(k, new Decided(d, note, null));
            // a record refused before DECIDE is not the id's outcome: the id stays free for its real sender
            if (!d.getDuplicate() && d.getAdmitted() && firstDecision.putIfAbsent(k, d) == null && newer != null) {
                newerFirst.putIfAbsent(k, newer);
            }
            answer = d.getAdmitted() ? firstDecision.getOrDefault(k, d) : d;
            answered(k, w -> w.answeredBy(d), answered);
        }
        answered.forEach(w -> w.future().complete(answer));
    }

    /** Takes the waiters for {@code k} that {@code decided} answers out of the waiting, into {@code answered}. */
    private void answered(String k, Predicate<Waiter> decided, List<Waiter> answered) {
        List<Waiter> list = waiters.get(k);
        if (list != null) {
            list.removeIf(w -> decided.test(w) && answered.add(w));
            if (list.isEmpty()) {
                waiters.remove(k);
            }
        }
    }

    /** The oldest command record of {@code k} without a decision takes {@code d}; with none yet, {@code d} waits for it. */
    private void decide(String k, Decided d) {
        Deque<CommandEntry> queue = undecided.get(k);
        if (queue != null) {
            d.decide(queue.poll());
            if (queue.isEmpty()) {
                undecided.remove(k);
            }
        } else {
            early.computeIfAbsent(k, x -> new ArrayDeque<>()).add(d);
        }
    }

    /**
     * A decision read from the events topic that this gateway cannot decode at all ({@code newer}: a newer events schema wrote
     * it, with an outcome type or enum symbol this gateway lacks), at {@code where} (its topic, partition and offset). Its
     * command shows it as {@link CommandView#DECISION_UNREADABLE}, saying where it is and what to do; a first one still takes
     * the command id, so a dry run of a repeat answers as a node of this version does.
     */
    void onUnreadableDecision(DroppedFields newer, String where) {
        GenericRecord d = newer.asWritten();
        String k = key(String.valueOf(d.get("clusterId")), String.valueOf(d.get("commandId")));
        String unreadable = "its decision exists (" + where + ") but this gateway cannot read it: it was "
                + NewerSchemas.note("events", NewerSchemas.EVENTS_VERSION, newer, "this gateway")
                + ". Upgrade this gateway to a Coxswain that knows events schema v" + newer.writer().version() + " to see it";
        Long commandOffset = d.get("commandOffset") instanceof Long o ? o : null;
        List<Waiter> answered = new ArrayList<>();
        synchronized (this) {
            if (Boolean.TRUE.equals(d.get("admitted")) && !Boolean.TRUE.equals(d.get("duplicate")) && !firstDecision.containsKey(k)) {
                newerFirst.putIfAbsent(k, newer);
            }
            decide(k, new Decided(null, null, unreadable));
            // a sender waiting for it learns now that its command was decided and that this gateway cannot say how, rather
            // than waiting out its timeout to be told that no node may be running
            answered(k, w -> Commands.decides(commandOffset, w.offset()), answered);
        }
        answered.forEach(w -> w.future().completeExceptionally(new DecisionUnreadableException(unreadable)));
    }

    /**
     * A record of the events topic keyed {@code clusterId} that this gateway cannot decode even as its writer schema wrote it
     * (its schema is not in the registry this gateway reads, say), at {@code where}: which command it decides cannot be told,
     * so the cluster's commands still without a decision say that theirs may be it.
     */
    synchronized void onUndecodableDecision(String clusterId, String where, String reason) {
        if (clusterId != null) {
            unattributed.computeIfAbsent(clusterId, x -> new ArrayList<>()).add(where + ": " + reason);
        }
    }

    /** Remembers a command this gateway just wrote, so that GET /v1/commands/{id} knows it before the record is read back. */
    synchronized void noteSubmitted(Command c, int partition, long offset) {
        String k = key(c.getClusterId(), c.getCommandId());
        if (!firstDecision.containsKey(k) && !undecided.containsKey(k)) {
            submitted.put(k, new CommandEntry(c, partition, offset));
        }
    }

    /**
     * The decision of the command record written at {@code offset} (-1: of any record with this id),
     * once there is one; times out with {@link java.util.concurrent.TimeoutException}.
     */
    public CompletableFuture<Decision> awaitDecision(String clusterId, String commandId, long offset, Duration timeout) {
        String k = key(clusterId, commandId);
        CompletableFuture<Decision> f = new CompletableFuture<>();
        Waiter waiter = new Waiter(f, offset);
        synchronized (this) {
            Decision known = firstDecision.get(k);
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
            waiters.computeIfAbsent(k, x -> new ArrayList<>()).add(waiter);
        }
        f.whenComplete((d, e) -> {
            synchronized (this) {
                List<Waiter> list = waiters.get(k);
                if (list != null) {
                    list.remove(waiter);
                    if (list.isEmpty()) {
                        waiters.remove(k);
                    }
                }
            }
        });
        return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The status of a command id. When several clusters used the same id, {@code clusterId} picks one;
     * without it the most recently seen cluster wins.
     */
    public synchronized Optional<CommandView> command(String commandId, String clusterId) {
        List<String> clusters = clustersOf.getOrDefault(commandId, List.of());
        String cluster = clusterId != null ? clusterId : clusters.isEmpty() ? null : clusters.get(clusters.size() - 1);
        if (cluster != null && clusters.contains(cluster)) {
            CommandEntry first = history.get(cluster).stream().filter(e -> commandId.equals(e.commandId)).findFirst().orElseThrow();
            // the id's outcome; for an id only ever refused before DECIDE, that refusal
            Decision d = firstDecision.getOrDefault(key(cluster, commandId), first.decision);
            return Optional.of(first.view(d, false, this::maybeUnreadable));
        }
        return submitted.values().stream()
                .filter(e -> e.commandId.equals(commandId) && (clusterId == null || clusterId.equals(e.clusterId)))
                .reduce((a, b) -> b)
                .map(e -> e.view(null, false, this::maybeUnreadable));
    }

    /**
     * Up to {@code limit} history entries of a cluster from {@code fromOffset} on, in log order.
     *
     * @param observations false to leave out the executor's RecordObservation records: only what someone asked
     */
    public synchronized List<CommandView> history(String clusterId, long fromOffset, int limit, boolean observations) {
        List<CommandView> page = new ArrayList<>();
        for (CommandEntry e : history.getOrDefault(clusterId, List.of())) {
            if (e.offset >= fromOffset && shown(e, observations)) {
                if (page.size() == limit) {
                    break;
                }
                page.add(e.view(this::maybeUnreadable));
            }
        }
        return page;
    }

    /** The cluster's latest {@code n} entries (without the executor's observations unless {@code observations}), in log order. */
    public synchronized List<CommandView> last(String clusterId, int n, boolean observations) {
        List<CommandEntry> all = history.getOrDefault(clusterId, List.of());
        ArrayDeque<CommandView> latest = new ArrayDeque<>();
        for (int i = all.size() - 1; i >= 0 && latest.size() < n; i--) {
            CommandEntry e = all.get(i);
            if (shown(e, observations)) {
                latest.addFirst(e.view(this::maybeUnreadable));
            }
        }
        return List.copyOf(latest);
    }

    private static boolean shown(CommandEntry e, boolean observations) {
        return observations || !OBSERVATION.equals(e.type);
    }

    /** The first decision of a command id on a cluster (what a repeat of that id would be answered), if this model has read one. */
    public synchronized Optional<Decision> decided(String clusterId, String commandId) {
        return Optional.ofNullable(firstDecision.get(key(clusterId, commandId)));
    }

    /** What this gateway cannot read of the first decision of a command id, a newer events schema having written it. */
    public synchronized Optional<DroppedFields> newerDecision(String clusterId, String commandId) {
        return Optional.ofNullable(newerFirst.get(key(clusterId, commandId)));
    }

    public synchronized boolean hasHistory(String clusterId) {
        return history.containsKey(clusterId);
    }

    /** For a command of {@code clusterId} without a decision: the cluster's decisions this gateway could not read at all, if any. */
    private String maybeUnreadable(String clusterId) {
        List<String> records = unattributed.get(clusterId);
        if (records == null) {
            return null;
        }
        return "this gateway could not read " + records.size() + (records.size() == 1 ? " decision record" : " decision records")
                + " of cluster " + clusterId + " (" + records.get(records.size() - 1) + (records.size() == 1 ? "" : ", the latest")
                + "), nor tell which command each decides: if this command's decision is one, it stays pending here. Check that every"
                + " node writes its schemas where this gateway's node reads them (the same --schema-registry-url, or none: the"
                + " schemas topic), or upgrade this gateway";
    }
}
