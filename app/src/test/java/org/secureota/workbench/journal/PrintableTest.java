package org.secureota.workbench.journal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class PrintableTest {

    @Test
    void controlAndBidirectionalCharactersBecomeVisibleEscapes() {
        assertThat(Printable.of("ok\u0000tail")).isEqualTo("ok\\u0000tail");
        assertThat(Printable.of("refused \u202Edesufer")).isEqualTo("refused \\u202Edesufer");
        assertThat(Printable.of("\u001B[2Jwiped")).isEqualTo("\\u001B[2Jwiped");
        assertThat(Printable.of("a\nb\rc\td")).isEqualTo("a\\u000Ab\\u000Dc\\u0009d");
        assertThat(Printable.of("\u2066isolate\u2069 \u200Bzw \u0085nel \u007Fdel")).doesNotContain(
                "\u2066", "\u2069", "\u200B", "\u0085", "\u007F");
        assertThat(Printable.of("lone \uD800 surrogate")).isEqualTo("lone \\uD800 surrogate");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "ALERTE SÉCURITÉ — HASH INVALID 😀 <b>&";
        assertThat(Printable.of(text)).isSameAs(text);
        assertThat(Printable.needsEscaping(text)).isFalse();
        assertThat(Printable.of(null)).isNull();
    }
}
