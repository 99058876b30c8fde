package org.secureota.workbench.attack;

/** Puts back everything an armed attack changed (files, route, time offset, servers it started). */
@FunctionalInterface
public interface Undo {
    void undo() throws Exception;
}
