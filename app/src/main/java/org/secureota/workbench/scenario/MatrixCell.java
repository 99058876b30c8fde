package org.secureota.workbench.scenario;

import java.util.Objects;

/**
 * One cell of the defence matrix: one catalogue attack against a fresh device of one firmware variant,
 * as the attacker's one judge judged it.
 *
 * @param variant the firmware variant's wire name ({@code secure}, {@code naive}, {@code no-hash} ...)
 * @param attack  the catalogue attack's id
 * @param result  {@code resisted}, {@code not_resisted} or {@code no_attempt}
 * @param verdict the device's OTA verdict that ended the attempt ({@code HASH_MISMATCH}, {@code UPDATED}); null when none
 * @param check   the device check that stopped the attack (the judge's), or null
 * @param reason  the judge's one-sentence reason (English)
 */
public record MatrixCell(String variant, String attack, String result, String verdict, String check, String reason) {

    public static final String RESISTED = "resisted";
    public static final String NOT_RESISTED = "not_resisted";
    public static final String NO_ATTEMPT = "no_attempt";

    public MatrixCell {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(attack, "attack");
        Objects.requireNonNull(result, "result");
    }
}
