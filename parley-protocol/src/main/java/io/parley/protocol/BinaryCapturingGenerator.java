package io.parley.protocol;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Writes every binary value (byte[], ByteBuffer, BinaryNode: Jackson routes them all through
 * {@code writeBinary}) as a Socket.IO placeholder {@code {"_placeholder":true,"num":N}} and collects
 * the bytes as attachments, depth first, as the reference encoder does.
 */
final class BinaryCapturingGenerator extends JsonGeneratorDelegate {
  private final List<byte[]> attachments;

  BinaryCapturingGenerator(JsonGenerator d, List<byte[]> attachments) {
    super(d, false);
    this.attachments = attachments;
  }

  private void placeholder(byte[] bytes) throws IOException {
    int num = attachments.size();
    attachments.add(bytes);
    delegate.writeStartObject();
    delegate.writeBooleanField("_placeholder", true);
    delegate.writeNumberField("num", num);
    delegate.writeEndObject();
  }

  private static byte[] slice(byte[] data, int offset, int len) {
    if (offset == 0 && len == data.length) {
      return data.clone();
    }
    byte[] b = new byte[len];
    System.arraycopy(data, offset, b, 0, len);
    return b;
  }

  @Override
  public void writeBinary(Base64Variant v, byte[] data, int offset, int len) throws IOException {
    placeholder(slice(data, offset, len));
  }

  @Override
  public void writeBinary(byte[] data, int offset, int len) throws IOException {
    placeholder(slice(data, offset, len));
  }

  @Override
  public void writeBinary(byte[] data) throws IOException {
    placeholder(data.clone());
  }

  @Override
  public int writeBinary(InputStream in, int dataLength) throws IOException {
    return writeBinary(null, in, dataLength);
  }

  @Override
  public int writeBinary(Base64Variant v, InputStream in, int dataLength) throws IOException {
    byte[] b = dataLength >= 0 ? in.readNBytes(dataLength) : in.readAllBytes();
    placeholder(b);
    return b.length;
  }
}
