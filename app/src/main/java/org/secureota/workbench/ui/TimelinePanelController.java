package org.secureota.workbench.ui;

import java.util.EnumSet;
import java.util.function.Function;
import java.util.function.LongConsumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.ui.timeline.TimelineModel;
import org.secureota.workbench.ui.timeline.TimelineView;

/**
 * Thin controller of timeline-panel.fxml: the lanes ({@link TimelineView}), their filters and the selected
 * event's fields, bound to a {@link TimelinePanelViewModel}.
 */
public final class TimelinePanelController {

    @FXML BorderPane timelinePane;
    @FXML CheckComboBox<Source> sourceFilter;
    @FXML TextField typeFilter;
    @FXML ComboBox<String> deviceFilter;
    @FXML StackPane timelineHost;
    @FXML TableView<EventText.Row> eventDetails;
    @FXML TableColumn<EventText.Row, String> eventField;
    @FXML TableColumn<EventText.Row, String> eventValue;
    @FXML Label eventCount;

    private TimelinePanelViewModel model;
    private TimelineView timeline;

    /** {@code onCursor} hears the replay cursor move (the device panels follow it). */
    void init(I18n i18n, LongConsumer onCursor) {
        model = new TimelinePanelViewModel(i18n, new TimelineModel());
        timeline = new TimelineView(model.model());
        timelineHost.getChildren().add(timeline);
        // The selected event as a table of names and values; a long value is whole in its cell's tooltip.
        timeline.setOnSelect(e -> eventDetails.getItems().setAll(EventText.rows(e)));
        Label noEvent = new Label();
        noEvent.textProperty().bind(i18n.text("timeline.details.none"));
        noEvent.setWrapText(true);
        eventDetails.setPlaceholder(noEvent);
        eventField.textProperty().bind(i18n.text("timeline.details.field"));
        eventValue.textProperty().bind(i18n.text("timeline.details.value"));
        eventField.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        eventValue.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().value()));
        eventValue.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new Tooltip(item));
            }
        });
        timeline.cursorNanosProperty().addListener((o, a, b) -> onCursor.accept(b.longValue()));
        timeline.laneNamesProperty().bind(Bindings.createObjectBinding(
                () -> (Function<Source, String>) src -> i18n.get("source." + src.wireName()),
                i18n.bundleProperty()));
        sourceFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(Source src) {
                return src == null ? "" : i18n.get("source." + src.wireName());
            }

            @Override
            public Source fromString(String text) {
                return null;
            }
        });
        sourceFilter.getItems().setAll(Source.values());
        sourceFilter.getCheckModel().checkAll();
        sourceFilter.getCheckModel().getCheckedItems().addListener((ListChangeListener<Source>) c -> applyFilter());
        typeFilter.textProperty().addListener((o, a, b) -> applyFilter());
        deviceFilter.setItems(model.deviceIds());
        deviceFilter.valueProperty().addListener((o, a, b) -> applyFilter());
        deviceFilter.promptTextProperty().bind(i18n.text("timeline.filter.allDevices"));
        eventCount.textProperty().bind(model.eventCountProperty());
    }

    private void applyFilter() {
        EnumSet<Source> shown = EnumSet.noneOf(Source.class);
        shown.addAll(sourceFilter.getCheckModel().getCheckedItems());
        model.filter(shown, typeFilter.getText(), deviceFilter.getValue());
        timeline.refresh();
    }

    TimelinePanelViewModel model() {
        return model;
    }

    TimelineView timeline() {
        return timeline;
    }

    @FXML
    void fitTimeline() {
        timeline.fitAll();
    }

    @FXML
    void followTimeline() {
        timeline.followLive();
    }
}
