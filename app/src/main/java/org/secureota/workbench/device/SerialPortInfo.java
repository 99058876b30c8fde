package org.secureota.workbench.device;

/**
 * A serial port of this machine, as the operating system lists it.
 *
 * @param path        what to open ({@code /dev/ttyUSB0}, {@code COM3})
 * @param name        a descriptive name ({@code CP2102 USB to UART Bridge Controller})
 * @param description the driver's description
 * @param location    the physical location (USB bus and port), when known
 */
public record SerialPortInfo(String path, String name, String description, String location) {
}
