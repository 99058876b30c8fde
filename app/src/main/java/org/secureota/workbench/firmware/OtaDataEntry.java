package org.secureota.workbench.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One otadata entry ({@code esp_ota_select_entry_t}, 32 bytes, little-endian):
 * {@code u32 ota_seq; u8 seq_label[20]; u32 ota_state; u32 crc}.
 *
 * <p>{@code crc} covers the 4 bytes of {@code ota_seq} only: {@code zlib.crc32(pack('<I', seq), 0xFFFFFFFF)}.
 * The label and the state are not covered, which is why the bootloader can rewrite the state
 * (NEW → PENDING_VERIFY → ABORTED) without recomputing it.
 *
 * @param seq       ota_seq; 0xFFFFFFFF when erased
 * @param seqLabel  20 bytes, 0xFF in everything ESP-IDF writes
 * @param stateRaw  ota_state as stored (see {@link OtaState})
 * @param crc       as stored
 */
public record OtaDataEntry(long seq, byte[] seqLabel, long stateRaw, long crc) {

    public static final int SIZE = 32;
    public static final long ERASED_SEQ = 0xFFFF_FFFFL;
    public static final int LABEL_SIZE = 20;

    public OtaDataEntry {
        seqLabel = seqLabel.clone();
        if (seqLabel.length != LABEL_SIZE) {
            throw new IllegalArgumentException("seq_label is 20 bytes, got " + seqLabel.length);
        }
    }

    /** An entry as ESP-IDF writes it: label all 0xFF and the right CRC. */
    public static OtaDataEntry of(long seq, OtaState state) {
        byte[] label = new byte[LABEL_SIZE];
        Arrays.fill(label, (byte) 0xFF);
        return new OtaDataEntry(seq, label, state.value(), crcOf(seq));
    }

    /** The 32 bytes of an erased sector. */
    public static OtaDataEntry erased() {
        byte[] ff = new byte[SIZE];
        Arrays.fill(ff, (byte) 0xFF);
        return read(ff, 0);
    }

    /** {@code zlib.crc32(struct.pack('<I', seq), 0xFFFFFFFF)}. */
    public static long crcOf(long seq) {
        byte[] le = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) seq).array();
        return Crc32.zlib(0xFFFF_FFFFL, le);
    }

    static OtaDataEntry read(byte[] bytes, int at) {
        ByteBuffer b = ByteBuffer.wrap(bytes, at, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long seq = Integer.toUnsignedLong(b.getInt());
        byte[] label = new byte[LABEL_SIZE];
        b.get(label);
        long state = Integer.toUnsignedLong(b.getInt());
        long crc = Integer.toUnsignedLong(b.getInt());
        return new OtaDataEntry(seq, label, state, crc);
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) seq).put(seqLabel).putInt((int) stateRaw).putInt((int) crc).array();
    }

    @Override
    public byte[] seqLabel() {
        return seqLabel.clone();
    }

    public Optional<OtaState> state() {
        return OtaState.fromValue(stateRaw);
    }

    public boolean crcOk() {
        return crc == crcOf(seq);
    }

    public boolean isErased() {
        return Arrays.equals(toBytes(), erased0());
    }

    /**
     * ESP-IDF's {@code bootloader_common_ota_select_valid}: seq is not 0xFFFFFFFF, the CRC matches,
     * and the state is neither INVALID nor ABORTED.
     */
    public boolean isValid() {
        return seq != ERASED_SEQ && crcOk() && stateRaw != OtaState.INVALID.value() && stateRaw != OtaState.ABORTED.value();
    }

    /** The same entry with another state; the CRC is unchanged because it covers only the seq. */
    public OtaDataEntry withState(OtaState state) {
        return new OtaDataEntry(seq, seqLabel, state.value(), crc);
    }

    /** Why this entry is not valid, or empty when it is. */
    public Optional<String> whyInvalid() {
        if (seq == ERASED_SEQ) {
            return Optional.of(isErased() ? "erased" : "ota_seq is 0xFFFFFFFF");
        }
        if (!crcOk()) {
            return Optional.of(String.format("crc 0x%08x does not match ota_seq %d (expected 0x%08x)", crc, seq, crcOf(seq)));
        }
        if (stateRaw == OtaState.INVALID.value() || stateRaw == OtaState.ABORTED.value()) {
            return Optional.of("state " + state().orElseThrow());
        }
        return Optional.empty();
    }

    public String stateName() {
        return state().map(Enum::name).orElse(String.format("0x%08x (unknown)", stateRaw));
    }

    private static byte[] erased0() {
        byte[] ff = new byte[SIZE];
        Arrays.fill(ff, (byte) 0xFF);
        return ff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OtaDataEntry e && e.seq == seq && e.stateRaw == stateRaw && e.crc == crc
                && Arrays.equals(e.seqLabel, seqLabel);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Long.hashCode(stateRaw) * 7 + Long.hashCode(crc) + Arrays.hashCode(seqLabel);
    }

    @Override
    public String toString() {
        return isErased() ? "OtaDataEntry[erased]" : String.format("OtaDataEntry[seq=%d, state=%s, crc=0x%08x%s, label=%s]",
                seq, stateName(), crc, crcOk() ? "" : " (bad)", HexFormat.of().formatHex(seqLabel));
    }
}
