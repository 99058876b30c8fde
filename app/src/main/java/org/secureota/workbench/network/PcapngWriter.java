package org.secureota.workbench.network;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The four pcapng block types a capture needs (IETF draft-ietf-opsawg-pcapng): a section header, one
 * Ethernet interface, a Decryption Secrets Block holding a TLS key log, and enhanced packet blocks.
 * Little-endian, microsecond timestamps (the interface's default resolution).
 */
public final class PcapngWriter {

    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 0x00000001;
    static final int EPB = 0x00000006;
    static final int DSB = 0x0000000A;
    /** Secrets type of a TLS key log ("TLSK"). */
    static final int TLS_KEY_LOG = 0x544c534b;
    static final int LINKTYPE_ETHERNET = 1;
    static final int SNAPLEN = 65535;

    private final OutputStream out;

    public PcapngWriter(OutputStream out) {
        this.out = out;
    }

    /** Section header (with the writing application's name) and one Ethernet interface. */
    public void header(String application, String interfaceName) throws IOException {
        byte[] app = application.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = block(SHB, 16 + option(app.length) + 4);
        b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        putOption(b, 4, app);  // shb_userappl
        b.putInt(0);           // opt_endofopt
        write(b);
        byte[] name = interfaceName.getBytes(StandardCharsets.UTF_8);
        ByteBuffer i = block(IDB, 8 + option(name.length) + 4);
        i.putShort((short) LINKTYPE_ETHERNET).putShort((short) 0).putInt(SNAPLEN);
        putOption(i, 2, name);  // if_name
        i.putInt(0);
        write(i);
    }

    /** A Decryption Secrets Block with an NSS key log; it must come before the packets it decrypts. */
    public void tlsKeyLog(byte[] keyLog) throws IOException {
        ByteBuffer b = block(DSB, 8 + pad(keyLog.length));
        b.putInt(TLS_KEY_LOG).putInt(keyLog.length).put(keyLog);
        b.position(b.position() + pad(keyLog.length) - keyLog.length);
        write(b);
    }

    /** One Ethernet frame captured at {@code micros} since the Unix epoch. */
    public void packet(long micros, byte[] frame) throws IOException {
        ByteBuffer b = block(EPB, 20 + pad(frame.length));
        b.putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros).putInt(frame.length).putInt(frame.length);
        b.put(frame);
        b.position(b.position() + pad(frame.length) - frame.length);
        write(b);
    }

    /** A block of {@code body} bytes between its type/length and its trailing length. */
    private static ByteBuffer block(int type, int body) {
        int total = 12 + body;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(total);
        return b;
    }

    private void write(ByteBuffer b) throws IOException {
        b.putInt(b.capacity());
        out.write(b.array());
    }

    private static int option(int length) {
        return 4 + pad(length);
    }

    private static void putOption(ByteBuffer b, int code, byte[] value) {
        b.putShort((short) code).putShort((short) value.length).put(value);
        b.position(b.position() + pad(value.length) - value.length);
    }

    static int pad(int n) {
        return (n + 3) & ~3;
    }
}
