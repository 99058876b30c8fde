package org.secureota.workbench.ui;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One parameter of an attack card: the wire value the attack gets (once, every, a number...) and the text its
 * field shows, the keyword in the current language. Typing a keyword in either language sets the wire value;
 * a language switch relabels the text; the field is editable only while the attack is disarmed.
 */
public final class AttackParameterModel {

    private final AttackCardModel card;
    private final String name;
    private final StringProperty wire;
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final StringBinding shown;
    private final StringBinding label;
    private final StringBinding help;
    private final BooleanBinding editable;
    private final IntegerBinding columns;
    private final StringBinding tooltip;
    /** Set while one side writes the other: what was typed stays as typed. */
    private boolean updating;

    AttackParameterModel(AttackCardModel card, String name, StringProperty wire, I18n i18n) {
        this.card = card;
        this.name = name;
        this.wire = wire;
        // The wire value in the current language, recomputed when either changes; the text follows it.
        shown = i18n.bind(() -> card.displayValue(wire.get()), wire);
        text.set(shown.get());
        shown.addListener((o, a, b) -> write(() -> text.set(b)));
        text.addListener((o, a, typed) -> write(() -> wire.set(card.wireValue(typed))));
        label = i18n.bind(() -> card.parameterLabel(name));
        help = i18n.bind(() -> card.parameterHelp(name));
        editable = card.armedProperty().not();
        columns = Bindings.createIntegerBinding(() -> columnsFor(text.get()), text);
        tooltip = Bindings.createStringBinding(() -> tooltipFor(text.get(), help.get()), text, help);
    }

    /** Fewest columns a field asks for: a short value ("once", "2") still gets a field one can click into. */
    static final int MIN_COLUMNS = 6;

    /** Columns for {@code value}: its length (a column is about one average character), at least {@link #MIN_COLUMNS}. */
    static int columnsFor(String value) {
        return Math.max(MIN_COLUMNS, value == null ? 0 : value.length() + 1);
    }

    /** The whole value on the first line, then the help: a field narrower than its value still tells it. */
    static String tooltipFor(String value, String help) {
        return value == null || value.isEmpty() ? help : value + "\n" + help;
    }

    private void write(Runnable r) {
        if (updating) {
            return;
        }
        updating = true;
        try {
            r.run();
        } finally {
            updating = false;
        }
    }

    public String name() {
        return name;
    }

    /** The value as the attack gets it (the wire name of a keyword). */
    public StringProperty wireProperty() {
        return wire;
    }

    /** The field's text: the value in the current language, or what was typed. */
    public StringProperty textProperty() {
        return text;
    }

    /** The parameter's name in the current language. */
    public StringBinding labelProperty() {
        return label;
    }

    /** What the parameter does, with its wire name for scripts and the CLI. */
    public StringBinding helpProperty() {
        return help;
    }

    /** Columns the field asks for, so that its whole value shows (the card may give it more). */
    public IntegerBinding columnsProperty() {
        return columns;
    }

    /** The field's tooltip: the whole value, then what the parameter does. */
    public StringBinding tooltipProperty() {
        return tooltip;
    }

    /** Editable while disarmed: an armed attack runs with the values it was armed with. */
    public BooleanBinding editableProperty() {
        return editable;
    }

    /** Shown when the attack can reach this lab's devices. */
    public javafx.beans.property.BooleanProperty shownProperty() {
        return card.availableProperty();
    }
}
