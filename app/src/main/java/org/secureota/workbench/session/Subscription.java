package org.secureota.workbench.session;

/** A registered listener; closing it unregisters it. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
