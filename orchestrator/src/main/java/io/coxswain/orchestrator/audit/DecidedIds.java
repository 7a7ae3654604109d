package io.coxswain.orchestrator.audit;

import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The outcome of every command id a replay has decided, per cluster, in flat arrays: a replay of a
 * long log remembers millions of ids, and a map of strings to boxed longs made each look-up chase
 * four pointers through a heap the size of the log (a fifth of a 1M-command replay was spent in
 * {@code HashMap.getNode}). Ids in the canonical lower-case UUID form, which {@code Commands} and the
 * gateway generate, are kept as two longs in an open-addressing table; any other id (a producer may
 * choose its own) goes in a second open-addressing table of strings, with their hashes beside them so
 * that a probe touches no string but the one that matches. An outcome is never 0 (a version is at
 * least 1, a rejection is negative), so 0 marks an empty slot.
 */
final class DecidedIds {

    private final Map<String, Table> byCluster = new HashMap<>();
    /** The fold asks about an id, then remembers it: the second call reuses the first's parse. */
    private String lastId;
    private long[] lastUuid;

    /** The outcome remembered for this id on this cluster, or 0 if it was never decided. */
    long get(String clusterId, String commandId) {
        Table t = byCluster.get(clusterId);
        return t == null ? 0 : t.get(commandId, uuid(commandId));
    }

    void put(String clusterId, String commandId, long outcome) {
        if (outcome == 0) {
            throw new IllegalArgumentException("an outcome is never 0");
        }
        byCluster.computeIfAbsent(clusterId, k -> new Table()).put(commandId, uuid(commandId), outcome);
    }

    /** A decision's outcome as one long: its accepted version (at least 1), or -(1 + its rejection code's ordinal). */
    static long outcome(Decision d) {
        return d.getOutcome() instanceof CommandAccepted a ? a.getVersion() : -1L - ((CommandRejected) d.getOutcome()).getCode().ordinal();
    }

    /** The rejection code an {@link #outcome} below 0 stands for. */
    static RejectionCode rejection(long outcome) {
        return RejectionCode.values()[(int) (-outcome - 1)];
    }

    private long[] uuid(String commandId) {
        if (commandId != lastId) { // the same String instance, not an equal one: a cheap check that is never wrong
            lastUuid = Uuid.parse(commandId);
            lastId = commandId;
        }
        return lastUuid;
    }

    /** One cluster's ids. */
    private static final class Table {
        private long[] slots = new long[3 * 16]; // (high bits, low bits, outcome) per slot
        private int size;
        private OtherIds others;

        long get(String id, long[] uuid) {
            if (uuid == null) {
                return others == null ? 0 : others.get(id);
            }
            int i = find(slots, uuid[0], uuid[1]);
            return slots[i + 2];
        }

        void put(String id, long[] uuid, long outcome) {
            if (uuid == null) {
                if (others == null) {
                    others = new OtherIds();
                }
                others.put(id, outcome);
                return;
            }
            if (2 * (size + 1) > slots.length / 3) {
                grow();
            }
            int i = find(slots, uuid[0], uuid[1]);
            if (slots[i + 2] == 0) {
                size++;
            }
            slots[i] = uuid[0];
            slots[i + 1] = uuid[1];
            slots[i + 2] = outcome;
        }

        /** The slot holding this id, or the empty slot where it belongs (linear probing; the table is at most half full). */
        private static int find(long[] slots, long high, long low) {
            int capacity = slots.length / 3;
            int i = mix(high, low) & (capacity - 1);
            while (slots[3 * i + 2] != 0 && (slots[3 * i] != high || slots[3 * i + 1] != low)) {
                i = (i + 1) & (capacity - 1);
            }
            return 3 * i;
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            for (int i = 0; i < old.length; i += 3) {
                if (old[i + 2] != 0) {
                    int j = find(slots, old[i], old[i + 1]);
                    System.arraycopy(old, i, slots, j, 3);
                }
            }
        }

        private static int mix(long high, long low) {
            long h = (high ^ Long.rotateLeft(low, 29)) * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }

    /**
     * One cluster's ids that are not canonical UUIDs: linear probing, at most half full, two longs per
     * slot ((hash, where the id's characters start), outcome) so that a probe reads one cache line; the
     * characters, each id preceded by its length, in one array. A 1M-command replay misses the cache on
     * nearly every look-up, whatever the layout: the tables of 1,000 clusters are tens of MB, and the
     * look-up is about a fifth of the fold threads' CPU (async-profiler, bench/; probes average 1.4 per
     * insert, 2.0-2.4 per miss, so it is the memory, not the hashing).
     * Not a String per id: a String with its byte array costs about 48 bytes for a 7-character
     * id, where its characters here take 18, so a replay in {@code bin/coxswain}'s 1 GiB heap remembers
     * more of them.
     */
    private static final class OtherIds {
        private long[] slots = new long[2 * 16];
        private char[] chars = new char[256];
        private int used;
        private int size;

        long get(String id) {
            return slots[find(id, id.hashCode()) + 1];
        }

        void put(String id, long outcome) {
            if (2 * (size + 1) > slots.length / 2) {
                grow();
            }
            int hash = id.hashCode();
            int i = find(id, hash);
            if (slots[i + 1] == 0) {
                size++;
                slots[i] = key(hash, append(id));
            }
            slots[i + 1] = outcome;
        }

        /** The slot (index of its first long) holding this id, or the empty slot where it belongs. */
        private int find(String id, int hash) {
            int mask = slots.length / 2 - 1;
            int i = spread(hash) & mask;
            while (slots[2 * i + 1] != 0) {
                long key = slots[2 * i];
                if ((int) (key >>> 32) == hash && same((int) key, id)) {
                    break;
                }
                i = (i + 1) & mask;
            }
            return 2 * i;
        }

        private static long key(int hash, int start) {
            return ((long) hash << 32) | (start & 0xFFFFFFFFL);
        }

        private boolean same(int start, String id) {
            int length = (chars[start] << 16) | chars[start + 1];
            if (length != id.length()) {
                return false;
            }
            for (int k = 0, at = start + 2; k < length; k++, at++) {
                if (chars[at] != id.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        private int append(String id) {
            int needed = 2 + id.length();
            if (chars.length - used < needed) {
                long wanted = Math.max(2L * chars.length, (long) used + needed);
                if (wanted > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("one cluster has more non-UUID command ids than a replay can remember ("
                            + size + ", " + used + " characters); use UUID command ids, as Commands and the gateway do");
                }
                chars = Arrays.copyOf(chars, (int) wanted);
            }
            int start = used;
            chars[start] = (char) (id.length() >>> 16);
            chars[start + 1] = (char) id.length();
            id.getChars(0, id.length(), chars, start + 2);
            used += needed;
            return start;
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            int mask = slots.length / 2 - 1;
            for (int j = 0; j < old.length; j += 2) {
                if (old[j + 1] != 0) {
                    int i = spread((int) (old[j] >>> 32)) & mask; // the ids are distinct: the first empty slot is theirs
                    while (slots[2 * i + 1] != 0) {
                        i = (i + 1) & mask;
                    }
                    slots[2 * i] = old[j];
                    slots[2 * i + 1] = old[j + 1];
                }
            }
        }

        /** Ids like c1, c2, c3 have consecutive String hashes: spread them, or linear probing would pile them up. */
        private static int spread(int hash) {
            int h = hash * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }

    /** The canonical textual UUID (36 characters, lower-case hex, dashes at 8, 13, 18 and 23) as two longs; null for anything else. */
    static final class Uuid {

        private Uuid() {
        }

        static long[] parse(String s) {
            if (s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
                return null;
            }
            long high = 0;
            long low = 0;
            int digits = 0;
            for (int i = 0; i < 36; i++) {
                if (i == 8 || i == 13 || i == 18 || i == 23) {
                    continue;
                }
                char c = s.charAt(i);
                int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (v < 0) {
                    return null;
                }
                if (digits++ < 16) {
                    high = (high << 4) | v;
                } else {
                    low = (low << 4) | v;
                }
            }
            return new long[] {high, low};
        }
    }
}
