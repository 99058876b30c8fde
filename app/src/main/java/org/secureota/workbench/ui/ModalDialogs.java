package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The window's modal dialogs (Lab > Add a real board, Lab > Add a virtual device): loaded and shown alike. */
final class ModalDialogs {

    private ModalDialogs() {
    }

    /** Loads {@code fxml} (beside this class in resources) and returns its controller. FX thread. */
    static <C> C load(String fxml) {
        FXMLLoader loader = new FXMLLoader(ModalDialogs.class.getResource(fxml));
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(fxml + " could not be loaded", e);
        }
        return loader.getController();
    }

    /**
     * Shows {@code root} in a dialog of {@code width} x {@code height} over {@code owner}, modal to it,
     * titled by {@code titleKey} in the reader's language and styled as the owner (its theme); returns at once.
     */
    static Stage show(Parent root, Window owner, I18n i18n, String titleKey, double width, double height) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.titleProperty().bind(i18n.text(titleKey));
        Scene scene = new Scene(root, width, height);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
        stage.show();
        return stage;
    }
}
