package org.secureota.workbench.attack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of a plaintext a stolen copy gives away: the longest run of bytes the copy shares with the
 * plaintext, at any offsets in either. Runs of one repeated byte value (erased-flash padding, zeroed
 * buffers) are not counted: they reveal nothing, and any file shares them.
 *
 * <p>Every common run of {@link #MIN_RUN} bytes or more contains a whole {@link #WINDOW}-byte window that
 * starts at a multiple of {@code WINDOW} in the plaintext (since {@code MIN_RUN >= 2 * WINDOW - 1}), so only
 * those windows are indexed; every offset of the copy is then looked up with a rolling hash, and each hit is
 * compared byte by byte and grown both ways.
 */
final class PlaintextRuns {

    /** A shared run this long or longer means the copy holds plaintext. */
    static final int MIN_RUN = 64;

    private static final int WINDOW = 32;
    private static final long BASE = 1_000_003L;
    /** Identical windows kept per hash: past this the plaintext repeats itself and more add nothing. */
    private static final int POSITIONS_KEPT = 16;

    private PlaintextRuns() {
    }

    /** The longest run, at least {@link #WINDOW} bytes long, shared by both (0 when there is none). */
    static int longest(byte[] copy, byte[] plaintext) {
        if (copy.length < WINDOW || plaintext.length < WINDOW) {
            return 0;
        }
        Map<Long, List<Integer>> index = new HashMap<>();
        for (int p = 0; p + WINDOW <= plaintext.length; p += WINDOW) {
            if (!uniform(plaintext, p, WINDOW)) {
                List<Integer> at = index.computeIfAbsent(hash(plaintext, p), h -> new ArrayList<>(1));
                if (at.size() < POSITIONS_KEPT) {
                    at.add(p);
                }
            }
        }
        long top = 1;
        for (int i = 1; i < WINDOW; i++) {
            top *= BASE;
        }
        int best = 0;
        // Per diagonal (copy offset minus plaintext offset), where the run found last ends in the copy: a hit
        // inside it is the same run again, and growing it again would make a plaintext copy cost n squared.
        Map<Integer, Integer> covered = new HashMap<>();
        long h = hash(copy, 0);
        for (int c = 0; ; c++) {
            List<Integer> at = index.get(h);
            if (at != null) {
                for (int p : at) {
                    Integer until = covered.get(c - p);
                    if (until != null && c < until) {
                        continue;
                    }
                    int ahead = ahead(copy, c, plaintext, p);
                    if (ahead < WINDOW) {
                        continue; // a hash collision, not a shared window
                    }
                    covered.put(c - p, c + ahead);
                    int behind = behind(copy, c, plaintext, p);
                    if (!uniform(copy, c - behind, behind + ahead)) {
                        best = Math.max(best, behind + ahead);
                    }
                }
            }
            if (c + WINDOW >= copy.length) {
                break;
            }
            h = (h - (copy[c] & 0xff) * top) * BASE + (copy[c + WINDOW] & 0xff);
        }
        return best;
    }

    private static long hash(byte[] b, int from) {
        long h = 0;
        for (int i = from; i < from + WINDOW; i++) {
            h = h * BASE + (b[i] & 0xff);
        }
        return h;
    }

    private static boolean uniform(byte[] b, int from, int length) {
        for (int i = from + 1; i < from + length; i++) {
            if (b[i] != b[from]) {
                return false;
            }
        }
        return true;
    }

    /** How many bytes from copy[c] and plaintext[p] on are equal. */
    private static int ahead(byte[] copy, int c, byte[] plaintext, int p) {
        int n = 0;
        while (c + n < copy.length && p + n < plaintext.length && copy[c + n] == plaintext[p + n]) {
            n++;
        }
        return n;
    }

    /** How many bytes just before copy[c] and plaintext[p] are equal. */
    private static int behind(byte[] copy, int c, byte[] plaintext, int p) {
        int n = 0;
        while (c - n > 0 && p - n > 0 && copy[c - n - 1] == plaintext[p - n - 1]) {
            n++;
        }
        return n;
    }
}
