package org.secureota.workbench.attack;

import java.util.ArrayList;
import java.util.List;

/**
 * The judgement rules as docs/attacks.md states them: one row per attack of the catalogue (with its default
 * parameters), written from the same definitions {@link AttemptJudge} applies, so that the document and the
 * code cannot drift apart (a test compares the committed table with this one).
 */
public final class JudgementRules {

    private JudgementRules() {
    }

    /** The Markdown table: attack, what counts as struck, RESISTED, NOT_RESISTED, NO_ATTEMPT. */
    public static String markdownTable() {
        List<String> rows = new ArrayList<>();
        rows.add("| attack | what counts as struck | RESISTED | NOT_RESISTED | NO_ATTEMPT |");
        rows.add("|---|---|---|---|---|");
        for (Attack a : AttackCatalog.all()) {
            ExpectedOutcome e = a.expected(a.defaults());
            StrikeKind kind = StrikeKind.of(a, e);
            rows.add("| `" + a.id() + "` | " + struck(kind) + " | " + resisted(kind, e) + " | " + notResisted(kind, e)
                    + " | " + noAttempt(kind) + " |");
        }
        return String.join("\n", rows) + "\n";
    }

    static String struck(StrikeKind kind) {
        return switch (kind) {
            case ROUTE -> "the device opened a connection through the endpoint while it led to the look-alike server"
                    + " (or showed the expected TLS verdict)";
            case CLOCK -> "the device showed one of the expected verdicts, or booted after the arming (it reads the"
                    + " time before each check)";
            case FAULT -> "the fault struck one of the device's own connections (`network.fault_struck`)";
            case IMAGE -> "the server answered the device (2xx) for the altered image file";
            case MANIFEST -> "the server offered the device a release whose manifest the attack altered";
            case COPY -> "always: the thief copies the deployed release when armed";
        };
    }

    static String resisted(StrikeKind kind, ExpectedOutcome e) {
        if (kind == StrikeKind.COPY) {
            return "the copy holds no run of 64 bytes or more of the built image (ciphertext only)";
        }
        String verdicts = "`" + String.join("` or `", Judgement.sorted(e.verdicts())) + "`";
        if (e.verdicts().contains("UPDATED")) {
            return "struck, and the device survived it: " + verdicts + " (" + e.stoppedBy().wireName().replace('_', ' ')
                    + "); or struck and refused with another verdict";
        }
        return "struck, and the device refused it at the " + e.stoppedBy().wireName().replace('_', ' ') + " check ("
                + verdicts + "); or struck and refused with another verdict (the reason names it)";
    }

    static String notResisted(StrikeKind kind, ExpectedOutcome e) {
        if (kind == StrikeKind.COPY) {
            return "the copy holds a run of 64 bytes or more of the built image";
        }
        List<String> accepted = new ArrayList<>();
        if (!e.verdicts().contains("UPDATED")) {
            accepted.add("it installed what was offered (`UPDATED`)");
        }
        if (e.mustNotHappen().contains(Forbidden.ANY_HTTP_REQUEST) && (kind == StrikeKind.ROUTE || kind == StrikeKind.CLOCK)) {
            accepted.add("it completed the handshake and sent an HTTP request");
        }
        if (e.mustNotHappen().contains(Forbidden.IMAGE_SERVED) && kind == StrikeKind.MANIFEST) {
            accepted.add("it accepted the manifest and downloaded image bytes");
        }
        return accepted.isEmpty() ? "never: the attack alters no content the device could accept"
                : "struck, and " + String.join(", or ", accepted);
    }

    static String noAttempt(StrikeKind kind) {
        return kind == StrikeKind.COPY ? "never"
                : "not struck during the attempt: the reason says why (e.g. `NO_UPDATE`: nothing was downloaded;"
                + " `VERSION_ROLLED_BACK`; a refusal before the attacked step)";
    }
}
