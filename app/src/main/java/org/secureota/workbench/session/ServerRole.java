package org.secureota.workbench.session;

/** Whose server answers: the lab's, or the attacker's look-alike (same names, another CA). */
public enum ServerRole {
    LAB, ROGUE
}
