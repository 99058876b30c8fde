package org.secureota.workbench.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.secureota.workbench.device.BoardEvent;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.SerialCommand;
import org.secureota.workbench.device.DeviceLink;
import org.secureota.workbench.device.FactoryData;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.pki.ProductKeys;
import org.secureota.workbench.server.ApiKeyRegistry;

/**
 * A virtual ESP32 of a session: its own folder under the lab's {@code devices/<id>/} (factory data,
 * 4 MB flash, pty link), its supervisor process, and the link over its pty. The board's power state
 * follows the supervisor's status lines; a boot reported over the link makes it {@link BoardPower#RUNNING}.
 */
final class VirtualLabDevice implements LabDevice, LabSession.Closeable {


    private final LabSession session;
    private final String id;
    private final String product;
    private final Path flash;
    private final Path tty;
    private final VirtualEsp32 esp;
    private final Device model;
    private final Object linkLock = new Object();
    private DeviceLink link;
    /**
     * Pairs the supervisor's power-ons with the firmware's boots, which travel on two pipes (stdout and
     * the pty) and so arrive in either order. Only touched inside the session's snapshot updates, which
     * are serialised. A power-on waits for its boot (BOOTING); a boot read first is kept for the
     * power-on that announces it. A cut or power-off forgets both.
     */
    private boolean bootPending;
    private int bootsAhead;

    private FirmwareVariant variant = FirmwareVariant.SECURE;

    private VirtualLabDevice(LabSession session, String id, String product, Path flash, Path tty) {
        this.session = session;
        this.id = id;
        this.product = product;
        this.flash = flash.toAbsolutePath();
        this.tty = tty.toAbsolutePath();
        this.esp = new VirtualEsp32(session.options().projectRoot(), session.journal(), id)
                .sntpServer(session.timeSource().hostPort()).tlsKeyLog(session.tlsKeyLog(id))
                .localAddress(session.addresses().assign(id).map(java.net.InetAddress::getHostAddress).orElse(null));
        this.model = new Device(id);
    }

    /** The factory step, then power on (when asked); runs on a session worker. */
    static VirtualLabDevice create(LabSession session, String id, String product, VirtualDeviceOptions o) {
        LabFolder.ensurePrivateDirectory(session.lab().devices());
        Path dir = LabFolder.ensurePrivateDirectory(session.lab().devices().resolve(id));
        VirtualLabDevice d = new VirtualLabDevice(session, id, product, dir.resolve("flash.bin"), dir.resolve("tty"));
        d.variant = o.variant();
        Path image = d.esp.image(o.startImage(), o.variant()); // fails with how to build, before anything is provisioned
        ApiKeyRegistry keys = session.serverState().apiKeys();
        // A lab keeps its devices across sessions; a factory-fresh board gets a fresh key either way.
        String apiKey = keys.find(id).isPresent() ? keys.rotateKey(id, product) : keys.register(id, product);
        // The product's decryption key, when it has one (as 'device factory-image' does): the device can
        // then open the product's encrypted releases; without it, plaintext releases only.
        ProductKeys productKeys = new ProductKeys(session.pki().directory());
        String decryptionKey = productKeys.exists(product) ? LabSession.read(productKeys.privateKeyFile(product)) : null;
        FactoryData data = new FactoryData(id, product, session.deviceUrl(id), apiKey,
                LabSession.read(session.pki().path(PkiFile.CA_CERT)), LabSession.read(session.pki().path(PkiFile.SIGNING_PUB)),
                decryptionKey).withLcdLanguage(o.lcdLanguage());
        Path factoryData = dir.resolve("factory.bin");
        LabSession.writeSecret(factoryData, data.partitionImage(FactoryData.PARTITION_SIZE));
        try {
            Files.deleteIfExists(d.flash);
        } catch (java.io.IOException e) {
            throw new LabSessionException("Cannot replace the flash file " + d.flash + ": " + e.getMessage(), e);
        }
        d.esp.factory(d.flash, image, o.layout(), factoryData, o.variant());
        d.observe();
        if (o.powerOn()) {
            d.startBoard();
        }
        return d;
    }

    /**
     * A board from a flash file as it is ({@code device virtual}): nothing is provisioned. When the
     * file does not exist, a factory-fresh one is written first from {@code freshApp} (null: V1) and
     * {@code freshFactoryData} (null: an unprovisioned board).
     */
    static VirtualLabDevice fromFlash(LabSession session, String id, String product, Path flash, Path tty,
                                      FlashLayout layout, Path freshApp, Path freshFactoryData) {
        VirtualLabDevice d = new VirtualLabDevice(session, id, product, flash, tty);
        if (!Files.exists(d.flash)) {
            LabFolder.ensureDirectory(d.flash.getParent());
            d.esp.factory(d.flash, freshApp != null ? freshApp : d.esp.image("v1_base"), layout, freshFactoryData);
        }
        d.observe();
        d.startBoard();
        return d;
    }

    private void observe() {
        model.addListener(this::modelChanged);
        esp.addBoardListener(this::boardEvent);
        session.updateDevice(this, id, s -> s.withBoard(id, b -> b.withVariant(variant.wireName())).withDevice(id, model.snapshot()));
    }

    /** Starts the supervisor (which powers the board on) and opens the link to its pty. */
    private void startBoard() {
        synchronized (linkLock) {
            if (esp.isRunning()) {
                return;
            }
        }
        esp.start(flash, tty);
        session.updateDevice(this, id, s -> s.withBoard(id, b -> b.withProcess(esp.ptyPath(), esp.pid().orElse(null))));
        DeviceLink opened;
        try {
            opened = DeviceLink.open(tty.toString(), model, session.journal());
        } catch (RuntimeException e) {
            esp.stop(); // a board nobody can hear is stopped, not left running
            throw e;
        }
        synchronized (linkLock) {
            link = opened;
        }
    }

    private void modelChanged(org.secureota.workbench.device.DeviceSnapshot before,
                              org.secureota.workbench.device.DeviceSnapshot after) {
        session.updateDevice(this, id, s -> {
            SessionSnapshot next = s.withDevice(id, after);
            if (bootPending && after.connection() == before.connection()) {
                // Any line from the firmware after a power-on shows it runs: its boot line, or, when the link
                // opened after that line went by, the answer to the session's status request. (A change of
                // the link alone says nothing about the firmware.)
                bootPending = false;
                next = next.withBoard(id, b -> b.power() == BoardPower.BOOTING ? b.withPower(BoardPower.RUNNING) : b);
            } else if (after.boots() > before.boots()) {
                bootsAhead++;
            }
            return next;
        });
    }

    /**
     * On the board's stdout thread: only swaps the snapshot (the session notifies on its own thread).
     * The supervisor's "power on" and the firmware's boot line travel on different pipes (stdout and
     * the pty), so the boot can be read first: a power-on whose boot was already reported leaves the
     * board {@link BoardPower#RUNNING}.
     */
    private void boardEvent(BoardEvent e) {
        session.updateDevice(this, id, s -> s.withBoard(id, b -> switch (e.eventType()) {
            case BOARD_POWER_ON, BOARD_RESTART, BOARD_CRASH -> b.withPower(poweredOn());
            case BOARD_POWER_OFF, BOARD_HALTED -> forgetBoots(b.withPower(BoardPower.OFF));
            case BOARD_EXITED -> forgetBoots(b.withPower(BoardPower.OFF).withProcess(null, null).withArmedCut(null));
            case BOARD_POWER_CUT -> forgetBoots(b.withPower(BoardPower.CUT).withArmedCut(null));
            case BOARD_ARMED -> b.withArmedCut((((Number) e.fields().get("fail_after")).longValue() + 1) + "/"
                    + e.fields().get("cut"));
            case BOARD_DISARMED -> b.withArmedCut(null);
            case BOARD_READY -> b.withProcess((String) e.fields().get("pty"), esp.pid().orElse(null));
            default -> b;
        }));
    }

    /** A power-on: RUNNING if its boot was already read, else BOOTING until it is. */
    private BoardPower poweredOn() {
        if (bootsAhead > 0) {
            bootsAhead--;
            return BoardPower.RUNNING;
        }
        bootPending = true;
        return BoardPower.BOOTING;
    }

    private BoardSnapshot forgetBoots(BoardSnapshot b) {
        bootPending = false;
        bootsAhead = 0;
        return b;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public FirmwareVariant variant() {
        return variant;
    }

    @Override
    public String product() {
        return product;
    }

    @Override
    public boolean isVirtual() {
        return true;
    }

    @Override
    public Device model() {
        return model;
    }

    @Override
    public BoardSnapshot board() {
        return session.snapshot().boards().getOrDefault(id, BoardSnapshot.off(id));
    }

    /** The supervisor, for what the session does not wrap (flash operation counts, inspect). */
    VirtualEsp32 esp() {
        return esp;
    }

    @Override
    public CompletableFuture<Void> powerOn() {
        return run(() -> {
            if (esp.isRunning()) {
                esp.powerOn();
            } else {
                startBoard();
            }
        });
    }

    @Override
    public CompletableFuture<Void> reset() {
        return run(esp::reset);
    }

    @Override
    public CompletableFuture<Void> powerCut() {
        return run(esp::powerCut);
    }

    @Override
    public CompletableFuture<Void> armCut(long flashOp, CutPoint point) {
        return run(() -> esp.failAfter(flashOp, point));
    }

    @Override
    public CompletableFuture<Void> disarmCut() {
        return run(esp::disarm);
    }

    @Override
    public CompletableFuture<Void> resetFlashCount() {
        return run(esp::countReset);
    }

    @Override
    public CompletableFuture<Long> flashOperations() {
        return session.async(() -> esp.status().flashOps());
    }

    @Override
    public CompletableFuture<Void> check() {
        return run(() -> link().send(SerialCommand.CHECK));
    }

    @Override
    public CompletableFuture<Void> status() {
        return run(() -> link().send(SerialCommand.STATUS));
    }

    @Override
    public CompletableFuture<Void> send(String rawLine) {
        return run(() -> link().sendLine(rawLine));
    }

    @Override
    public Path transcript() {
        return session.transcriptFile(id);
    }

    private DeviceLink link() {
        synchronized (linkLock) {
            if (link == null) {
                throw new LabSessionException("Device " + id + " is powered off (its board was never started); power"
                        + " it on first.");
            }
            return link;
        }
    }

    private CompletableFuture<Void> run(Runnable action) {
        return session.async(() -> {
            action.run();
            return null;
        });
    }

    @Override
    public void close() {
        DeviceLink l;
        synchronized (linkLock) {
            l = link;
            link = null;
        }
        if (l != null) {
            l.close();
        }
        esp.close();
        session.updateDevice(this, id, s -> s.withBoard(id, b -> b.withPower(BoardPower.OFF).withProcess(null, null)));
    }

    @Override
    public String toString() {
        return "virtual device " + id + " (" + product + ") " + Map.of("flash", flash, "tty", tty);
    }
}
