package io.coxswain.avro.wire;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * The bytes of one encoding, growing as Avro writes them. Not a ByteArrayOutputStream: the direct
 * encoder hands every field to its stream separately, and ByteArrayOutputStream locks on each write.
 * One buffer per encoding, never shared, so nothing here needs a lock.
 */
final class EncodingBuffer extends OutputStream {

    private byte[] bytes;
    private int size;

    EncodingBuffer(int capacity) {
        this.bytes = new byte[capacity];
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    /** Exactly the bytes written. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }
}
