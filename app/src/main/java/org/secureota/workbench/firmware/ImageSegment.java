package org.secureota.workbench.firmware;

import java.util.Arrays;

/**
 * One segment of an app image: an 8-byte header ({@code u32 load_addr, u32 data_len}) and its data.
 * The data is copied in and out, so a segment is an immutable value.
 *
 * @param loadAddress where the bootloader loads the data (an address in the chip's memory map)
 * @param fileOffset  file offset of the segment header, or -1 for a segment not read from a file
 */
public record ImageSegment(long loadAddress, long fileOffset, byte[] data) {

    public static final int HEADER_SIZE = 8;

    public ImageSegment {
        data = data.clone();
    }

    public static ImageSegment of(long loadAddress, byte[] data) {
        return new ImageSegment(loadAddress, -1, data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    /** File offset of the first data byte. */
    public long dataOffset() {
        return fileOffset + HEADER_SIZE;
    }

    byte[] dataUnsafe() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSegment s && s.loadAddress == loadAddress && s.fileOffset == fileOffset
                && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(loadAddress) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("ImageSegment[load=0x%08x, offset=0x%x, length=%d]", loadAddress, fileOffset, data.length);
    }
}
