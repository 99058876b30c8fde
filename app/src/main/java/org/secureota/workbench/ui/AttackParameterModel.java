package org.secureota.workbench.ui;

import javafx.beans.binding.BooleanBinding;
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

    /** Editable while disarmed: an armed attack runs with the values it was armed with. */
    public BooleanBinding editableProperty() {
        return editable;
    }

    /** Shown when the attack can reach this lab's devices. */
    public javafx.beans.property.BooleanProperty shownProperty() {
        return card.availableProperty();
    }
}
