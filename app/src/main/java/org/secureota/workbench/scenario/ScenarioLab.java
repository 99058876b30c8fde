package org.secureota.workbench.scenario;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;

/**
 * What the runner needs of a lab: the lab session and its attacker, seen through the few calls a
 * script makes. {@link SessionScenarioLab} is the one implementation over a real session; the seam
 * keeps the runner's sequencing (step, play, pauses, timeouts) readable on its own.
 */
public interface ScenarioLab {

    Journal journal();

    /** Events recorded after {@code afterSeq}, oldest first (from the file if memory no longer holds them). */
    List<JournalEvent> eventsAfter(long afterSeq);

    /** The last sequence number recorded so far (0 when nothing was). */
    long lastSeq();

    /**
     * Publishes a built image; with {@code encrypt}, encrypted for the product's decryption key (created,
     * P-256, when the product has none), so devices created afterwards get that key at the factory.
     */
    CompletableFuture<Void> publish(String imageName, String product, boolean encrypt);

    CompletableFuture<Void> createDevice(String id, String product, String startImage, FlashLayout layout);

    /**
     * Like {@link #createDevice(String, String, String, FlashLayout)}, with a firmware variant (a
     * script's {@code variant:}); a lab that cannot build weakened devices refuses anything but SECURE.
     */
    default CompletableFuture<Void> createDevice(String id, String product, String startImage, FlashLayout layout,
                                                 org.secureota.workbench.device.FirmwareVariant variant) {
        if (variant.weakened()) {
            return CompletableFuture.failedFuture(new IllegalStateException("this lab cannot build " + variant.label()));
        }
        return createDevice(id, product, startImage, layout);
    }

    List<String> deviceIds();

    Optional<DeviceSnapshot> device(String id);

    /** The board's power as the session sees it ({@code OFF}, {@code BOOTING}, {@code RUNNING}, {@code CUT}). */
    Optional<String> boardPower(String id);

    CompletableFuture<Void> deploy(String product, String version);

    CompletableFuture<Void> deployToDevice(String device, String version);

    CompletableFuture<Void> check(String device);

    CompletableFuture<Void> powerOn(String device);

    CompletableFuture<Void> reset(String device);

    CompletableFuture<Void> powerCut(String device);

    CompletableFuture<Void> armCut(String device, long operation, CutPoint point);

    CompletableFuture<Void> disarmCut(String device);

    CompletableFuture<Void> arm(String attack, Map<String, String> params);

    CompletableFuture<Void> disarm(String attack);

    /** The attacker's judgement of an attack from the events after {@code afterSeq}. */
    AttackJudgement judge(String attack, long afterSeq);

    /** An attack judged from the journal: {@code outcome} is resisted, not resisted or no attempt. */
    record AttackJudgement(String attack, String outcome, boolean resisted, String evidence, String stoppedBy) {
    }
}
