package org.secureota.workbench.ui;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.secureota.workbench.attack.Judgement;

/**
 * Why a judgement says what it says, in the window's language. The judge writes its reason in English; until
 * its reasons carry keys, another language shows the evidence that reason rests on (the verdict, the requests
 * and image bytes served, the version before and after), translated, rather than English inside French text.
 */
final class JudgementEvidence {

    private JudgementEvidence() {
    }

    /** The judge's own sentence in English; the translated evidence in any other language. */
    static String why(I18n i18n, Judgement j) {
        return "en".equals(i18n.getLocale().getLanguage()) ? j.reason() : evidence(i18n, j);
    }

    /** The figures the judgement rests on, translated. */
    static String evidence(I18n i18n, Judgement j) {
        return String.join("; ", List.of(
                i18n.get("attacker.reason.verdict", j.verdict(), String.join(" / ", new TreeSet<>(j.expected()))),
                i18n.get("attacker.reason.requests", j.httpRequests()),
                i18n.get("attacker.reason.imageBytes", j.imageBytesServed()),
                Objects.equals(j.versionBefore(), j.versionAfter())
                        ? i18n.get("attacker.reason.version", String.valueOf(j.versionBefore()))
                        : i18n.get("attacker.reason.versionChanged", String.valueOf(j.versionBefore()),
                        String.valueOf(j.versionAfter()))));
    }
}
