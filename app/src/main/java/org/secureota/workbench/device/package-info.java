/**
 * The workbench's side of a device, real or virtual (see {@code docs/telemetry.md}, the contract).
 *
 * <ul>
 *   <li><b>Protocol</b>: {@link org.secureota.workbench.device.TelemetryCodec} decodes each line into a
 *       {@link org.secureota.workbench.device.TelemetryLine} (a typed event, a human log line, or a line to
 *       ignore) and encodes the {@link org.secureota.workbench.device.SerialCommand}s. It never throws on
 *       what comes over the wire.</li>
 *   <li><b>Model</b>: {@link org.secureota.workbench.device.Device} holds the latest
 *       {@link org.secureota.workbench.device.DeviceSnapshot} (running slot, version, slots, LCD, LED,
 *       last verdict and error, {@link org.secureota.workbench.device.ConnectionState}), with listeners and
 *       awaits, after Cryptomator's {@code VaultState}. No JavaFX: the GUI adapts it.</li>
 *   <li><b>Link</b>: {@link org.secureota.workbench.device.DeviceLink} reads a serial port with jSerialComm,
 *       journals every line ({@link org.secureota.workbench.journal.EventType}), feeds the model, and
 *       reconnects when the port comes back.</li>
 *   <li><b>Virtual board</b>: {@link org.secureota.workbench.device.VirtualEsp32} runs
 *       {@code esp32-firmware/build/virtual-esp32}: factory flash, power on, power cut, reset, armed cuts.</li>
 *   <li><b>Provisioning</b>: {@link org.secureota.workbench.device.FactoryData}, the factory data partition.</li>
 * </ul>
 *
 * Nothing here knows the server, the network or the UI; the scenario layer combines them.
 */
package org.secureota.workbench.device;
