package org.secureota.workbench.ui;

import java.util.concurrent.CompletableFuture;

/**
 * What a device panel's buttons do. A live device maps these onto the session's device; a replayed
 * one has none ({@link #NONE}), and its buttons are disabled. Every call returns at once.
 */
public interface DeviceActions {

    CompletableFuture<Void> powerOn();

    CompletableFuture<Void> reset();

    CompletableFuture<Void> powerCut();

    CompletableFuture<Void> armCut(long flashOp);

    CompletableFuture<Void> check();

    CompletableFuture<Void> send(String rawLine);

    /** Whether the buttons do anything (false while replaying a past session). */
    default boolean live() {
        return true;
    }

    DeviceActions NONE = new DeviceActions() {
        private CompletableFuture<Void> nothing() {
            return CompletableFuture.failedFuture(new IllegalStateException("a replayed device cannot be driven"));
        }

        @Override
        public CompletableFuture<Void> powerOn() {
            return nothing();
        }

        @Override
        public CompletableFuture<Void> reset() {
            return nothing();
        }

        @Override
        public CompletableFuture<Void> powerCut() {
            return nothing();
        }

        @Override
        public CompletableFuture<Void> armCut(long flashOp) {
            return nothing();
        }

        @Override
        public CompletableFuture<Void> check() {
            return nothing();
        }

        @Override
        public CompletableFuture<Void> send(String rawLine) {
            return nothing();
        }

        @Override
        public boolean live() {
            return false;
        }
    };
}
