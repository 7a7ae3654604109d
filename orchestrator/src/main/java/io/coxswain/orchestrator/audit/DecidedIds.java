package io.coxswain.orchestrator.audit;

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
     * One cluster's ids that are not canonical UUIDs: linear probing over parallel arrays, at most half
     * full, the ids' characters copied into one array. Not a String per id: a replay of a long log keeps
     * millions of them alive, and a String with its byte array costs about 48 bytes for a 7-character
     * id where its characters here take 14, so a replay in {@code bin/coxswain}'s 1 GiB heap remembers
     * more of them. (Speed: no difference measurable in a 1M-command replay.)
     */
    private static final class OtherIds {
        private int[] starts = new int[16];
        private int[] lengths = new int[16];
        private int[] hashes = new int[16];
        private long[] outcomes = new long[16];
        private char[] chars = new char[256];
        private int used;
        private int size;

        long get(String id) {
            return outcomes[find(id, id.hashCode())];
        }

        void put(String id, long outcome) {
            if (2 * (size + 1) > outcomes.length) {
                grow();
            }
            int hash = id.hashCode();
            int i = find(id, hash);
            if (outcomes[i] == 0) {
                size++;
                starts[i] = append(id);
                lengths[i] = id.length();
                hashes[i] = hash;
            }
            outcomes[i] = outcome;
        }

        private int find(String id, int hash) {
            int mask = outcomes.length - 1;
            int i = spread(hash) & mask;
            while (outcomes[i] != 0 && (hashes[i] != hash || !same(i, id))) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private boolean same(int slot, String id) {
            if (lengths[slot] != id.length()) {
                return false;
            }
            for (int k = 0, at = starts[slot]; k < id.length(); k++, at++) {
                if (chars[at] != id.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        private int append(String id) {
            if (chars.length - used < id.length()) {
                long wanted = Math.max(2L * chars.length, (long) used + id.length());
                if (wanted > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("one cluster has more non-UUID command ids than a replay can remember ("
                            + size + ", " + used + " characters); use UUID command ids, as Commands and the gateway do");
                }
                chars = Arrays.copyOf(chars, (int) wanted);
            }
            id.getChars(0, id.length(), chars, used);
            int start = used;
            used += id.length();
            return start;
        }

        private void grow() {
            int[] oldStarts = starts;
            int[] oldLengths = lengths;
            int[] oldHashes = hashes;
            long[] oldOutcomes = outcomes;
            int capacity = oldOutcomes.length * 2;
            starts = new int[capacity];
            lengths = new int[capacity];
            hashes = new int[capacity];
            outcomes = new long[capacity];
            int mask = capacity - 1;
            for (int j = 0; j < oldOutcomes.length; j++) {
                if (oldOutcomes[j] != 0) {
                    int i = spread(oldHashes[j]) & mask; // the ids are distinct: the first empty slot is theirs
                    while (outcomes[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    starts[i] = oldStarts[j];
                    lengths[i] = oldLengths[j];
                    hashes[i] = oldHashes[j];
                    outcomes[i] = oldOutcomes[j];
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
