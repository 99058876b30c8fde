package org.secureota.workbench.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.Waits;

/** What the window tests share: the display check (fail in CI, skip elsewhere) and FX-thread calls. */
final class FxSupport {

    private FxSupport() {
    }

    /** A window test needs a display: run it under {@code xvfb-run -a}. In CI its absence is a failure. */
    static void requireDisplay() {
        String problem = DisplayCheck.problem(System.getenv(), System.getProperty("os.name", ""));
        Prerequisites.require(problem == null, "the window tests need a display; run them under 'xvfb-run -a mvn verify'. "
                + problem);
        String library = NativeLibraryCheck.problem(System.getenv(), System.getProperty("os.name", ""));
        Prerequisites.require(library == null, "the window tests: " + library);
    }

    /** Runs {@code task} on the FX thread and returns its result. */
    static <T> T onFx(Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Polls {@code condition} on the FX thread until it holds, or fails naming {@code what}. */
    static void waitFor(String what, long timeoutMs, Callable<Boolean> condition) throws Exception {
        Waits.until(() -> {
            try {
                return Boolean.TRUE.equals(onFx(condition));
            } catch (Exception e) {
                throw new IllegalStateException("checking " + what + " on the FX thread failed", e);
            }
        }, java.time.Duration.ofMillis(timeoutMs), what);
    }
}
