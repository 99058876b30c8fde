/**
 * The lab session: the one owner of a session's journal, PKI, OTA server, time source and devices.
 * The CLI, the tests, the scenario runner and the GUI open a {@link org.secureota.workbench.session.LabSession}
 * and observe its immutable snapshots; none of them wires the parts together itself.
 */
package org.secureota.workbench.session;
