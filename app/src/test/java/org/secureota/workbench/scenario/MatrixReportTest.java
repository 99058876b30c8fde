package org.secureota.workbench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The defence matrix's own rules (what makes {@code ./workbench matrix} exit 1) and its comparable table. */
@Tag("unit")
class MatrixReportTest {

    private static MatrixCell cell(String variant, String attack, String result) {
        return new MatrixCell(variant, attack, result, result.equals(MatrixCell.NOT_RESISTED) ? "UPDATED" : "HASH_MISMATCH",
                null, "reason of " + variant + " " + attack);
    }

    @Test
    void aSecureDeviceThatDoesNotResistIsAProblem() {
        MatrixReport r = new MatrixReport(List.of(cell("secure", "rogue-server", MatrixCell.NOT_RESISTED),
                cell("no-pinning", "rogue-server", MatrixCell.NOT_RESISTED)));
        assertThat(r.problems()).singleElement().asString().contains("secure firmware did not resist rogue-server");
    }

    @Test
    void aVariantThatSurvivesTheAttacksOfItsMissingCheckIsAProblem() {
        MatrixReport r = new MatrixReport(List.of(cell("secure", "rogue-server", MatrixCell.RESISTED),
                cell("no-pinning", "rogue-server", MatrixCell.RESISTED)));
        assertThat(r.problems()).singleElement().asString().contains("no-pinning resisted every attack");
        MatrixReport proven = new MatrixReport(List.of(cell("secure", "rogue-server", MatrixCell.RESISTED),
                cell("no-pinning", "rogue-server", MatrixCell.NOT_RESISTED)));
        assertThat(proven.problems()).isEmpty();
    }

    @Test
    void aKnownGapIsSaidNotFailedAndAGapThatClosesIsAProblem() {
        MatrixReport gap = new MatrixReport(List.of(cell("secure", "truncated-image", MatrixCell.RESISTED),
                cell("no-size-check", "truncated-image", MatrixCell.RESISTED)));
        assertThat(gap.problems()).isEmpty();
        assertThat(gap.gaps()).singleElement().asString().contains("no-size-check").contains("signed hash");
        assertThat(gap.html()).contains("Not proven").contains("signed hash");
        MatrixReport closed = new MatrixReport(List.of(cell("no-size-check", "truncated-image", MatrixCell.NOT_RESISTED)));
        assertThat(closed.problems()).singleElement().asString().contains("knownGap()");
    }

    @Test
    void theTableIsComparedOnVariantAttackAndResultOnly() {
        List<MatrixCell> cells = new ArrayList<>(List.of(cell("secure", "downgrade", MatrixCell.RESISTED),
                cell("naive", "downgrade", MatrixCell.NOT_RESISTED)));
        MatrixReport r = new MatrixReport(cells);
        assertThat(MatrixReport.cellKeys(r.html()))
                .containsExactlyInAnyOrder("secure downgrade resisted", "naive downgrade not_resisted");
        assertThat(r.html()).contains("RÉSISTE").contains("NOT RESISTED").doesNotContain("<script src");
    }
}
