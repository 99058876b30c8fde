package org.secureota.workbench.ui;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.ServerSnapshot;
import org.secureota.workbench.session.ServerStatus;

/** What the server panel shows, from the session's {@link ServerSnapshot}s; no screen needed. */
public final class ServerViewModel {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneId.of("UTC"));

    private final I18n i18n;
    private final StringProperty status = new SimpleStringProperty(this, "status", "");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running");
    private final StringProperty url = new SimpleStringProperty(this, "url", "—");
    private final StringProperty tls = new SimpleStringProperty(this, "tls", "—");
    private final StringProperty provider = new SimpleStringProperty(this, "provider", "—");
    private final StringProperty certificate = new SimpleStringProperty(this, "certificate", "—");
    private final StringProperty deployLabel = new SimpleStringProperty(this, "deployLabel", "");
    private final BooleanProperty canDeploy = new SimpleBooleanProperty(this, "canDeploy");
    private final ObservableList<String> releases = FXCollections.observableArrayList();
    private final ObservableList<String> deployments = FXCollections.observableArrayList();
    /** Every published version of the lab's product, newest last: what the version chooser offers. */
    private final ObservableList<String> versions = FXCollections.observableArrayList();
    private ServerSnapshot last;
    private List<String> lastRunning = List.of();

    /** Held here, listened to weakly: each lab the window shows (each script's) has its own server view model. */
    private final javafx.beans.value.ChangeListener<Locale> relabel = (o, a, b) -> {
        if (last != null) {
            apply(last, lastRunning);
        }
    };

    public ServerViewModel(I18n i18n) {
        this.i18n = i18n;
        i18n.localeProperty().addListener(new javafx.beans.value.WeakChangeListener<>(relabel));
    }

    /** FX thread. */
    public void apply(ServerSnapshot s, List<String> runningVersions) {
        last = s;
        lastRunning = List.copyOf(runningVersions);
        status.set(i18n.get("server.state." + s.status().name().toLowerCase(Locale.ROOT)) + (s.failure() == null ? "" : ": " + s.failure()));
        running.set(s.status() == ServerStatus.RUNNING);
        url.set(s.url() == null ? "—" : s.url().toString());
        tls.set(s.lastTlsVersion() == null ? "—" : s.lastTlsVersion() + " · " + s.lastCipherSuite());
        provider.set(s.tlsProvider() == null ? "—" : s.tlsProvider());
        certificate.set(s.certificateSha256() == null ? "—" : i18n.get("server.certificate.value",
                s.certificateSha256().substring(0, Math.min(16, s.certificateSha256().length())),
                s.certificateNotAfter() == null ? "?" : DATE.format(s.certificateNotAfter())));
        releases.setAll(s.releases().stream()
                // Short rows (no horizontal scroll bar): the product only when it is not the lab's own.
                .map(r -> r.product().equals(LabSessionDefaults.PRODUCT)
                        ? i18n.get("server.release.own", r.version(), String.valueOf(r.secureVersion()),
                                String.valueOf(r.counter()), String.valueOf(r.size() / 1024))
                        : i18n.get("server.release", r.version(), r.product(), String.valueOf(r.secureVersion()),
                                String.valueOf(r.counter()), String.valueOf(r.size() / 1024)))
                .toList());
        List<String> d = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.deployments().products()).entrySet()) {
            d.add(e.getKey() + " → " + e.getValue());
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.deployments().devices()).entrySet()) {
            d.add(e.getKey() + " → " + e.getValue());
        }
        deployments.setAll(d);
        String product = LabSessionDefaults.PRODUCT;
        List<String> published = s.releases().stream().filter(r -> r.product().equals(product))
                .filter(r -> org.secureota.workbench.server.SemanticVersion.isValid(r.version()))
                .sorted(java.util.Comparator.comparing(r -> org.secureota.workbench.server.SemanticVersion.parse(r.version())))
                .map(Release::version).toList();
        if (!published.equals(versions)) {
            versions.setAll(published);
        }
        Release next = NextRelease.after(s.releases(), product, s.deployments().products().get(product), runningVersions)
                .orElse(null);
        canDeploy.set(next != null && running.get());
        deployLabel.set(next == null ? i18n.get("server.deployNext.none") : i18n.get("server.deployNext.to", "V" + next.version()));
    }

    public StringProperty statusProperty() {
        return status;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public StringProperty urlProperty() {
        return url;
    }

    public StringProperty tlsProperty() {
        return tls;
    }

    public StringProperty providerProperty() {
        return provider;
    }

    public StringProperty certificateProperty() {
        return certificate;
    }

    public StringProperty deployLabelProperty() {
        return deployLabel;
    }

    public BooleanProperty canDeployProperty() {
        return canDeploy;
    }

    public ObservableList<String> releases() {
        return releases;
    }

    public ObservableList<String> deployments() {
        return deployments;
    }

    public ObservableList<String> versions() {
        return versions;
    }
}
