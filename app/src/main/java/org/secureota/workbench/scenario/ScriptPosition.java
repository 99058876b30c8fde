package org.secureota.workbench.scenario;

/** Where something is in a demo script: what an error message points at ({@code file:line:column}). */
public record ScriptPosition(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
