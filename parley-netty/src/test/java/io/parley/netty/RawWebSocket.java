package io.parley.netty;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A minimal RFC 6455 client over a plain socket, for what java.net.http cannot do: offer
 * permessage-deflate (RFC 7692) and look at the RSV1 bit of each frame.
 */
final class RawWebSocket implements AutoCloseable {
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A whole message (or a control frame); {@code compressed} is the RSV1 bit of its first frame. */
  record Message(int opcode, boolean compressed, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final Inflater inflater = new Inflater(true);
  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();

  private RawWebSocket(Socket socket, String path, String extensions) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5_000);
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = socket.getOutputStream();
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    StringBuilder req = new StringBuilder()
        .append("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(socket.getPort()).append("\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
        .append("Sec-WebSocket-Version: 13\r\n");
    if (extensions != null) {
      req.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
    }
    out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String statusLine = line();
    this.status = Integer.parseInt(statusLine.split(" ")[1]);
    for (String l = line(); !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
  }

  static RawWebSocket connect(Socket socket, String path, String extensions) throws IOException {
    return new RawWebSocket(socket, path, extensions);
  }

  static RawWebSocket connect(int port, String path, String extensions) throws IOException {
    return new RawWebSocket(new Socket("127.0.0.1", port), path, extensions);
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("connection closed during the handshake");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  void sendText(String s, boolean compress) throws IOException {
    send(TEXT, s.getBytes(StandardCharsets.UTF_8), compress);
  }

  void sendBinary(byte[] b, boolean compress) throws IOException {
    send(BINARY, b, compress);
  }

  void sendClose(int status) throws IOException {
    frame(true, CLOSE, new byte[] {(byte) (status >>> 8), (byte) status}, false);
  }

  /** Sends {@code text} as a fragmented message: one frame per part, continuation frames after the first. */
  void sendTextFragments(String... parts) throws IOException {
    for (int i = 0; i < parts.length; i++) {
      frame(i == parts.length - 1, i == 0 ? TEXT : 0, parts[i].getBytes(StandardCharsets.UTF_8), false);
    }
  }

  private void send(int opcode, byte[] data, boolean compress) throws IOException {
    frame(true, opcode, compress ? deflate(data) : data, compress);
  }

  private void frame(boolean fin, int opcode, byte[] payload, boolean compress) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | (compress ? 0x40 : 0) | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    f.write(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /** A fresh deflater per message: valid whether or not context takeover was negotiated. */
  private static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      d.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[1024];
      int n;
      do {
        n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        out.write(buf, 0, n);
      } while (n == buf.length);
      byte[] all = out.toByteArray();
      if (all.length >= 4 && Arrays.equals(all, all.length - 4, all.length, TAIL, 0, 4)) {
        return Arrays.copyOf(all, all.length - 4);
      }
      return all;
    } finally {
      d.end();
    }
  }

  private byte[] inflate(byte[] data) throws IOException {
    byte[] input = Arrays.copyOf(data, data.length + 4);
    System.arraycopy(TAIL, 0, input, data.length, 4);
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    try {
      while (!inflater.needsInput()) {
        int n = inflater.inflate(buf);
        if (n == 0 && inflater.needsInput()) {
          break;
        }
        out.write(buf, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IOException("bad deflate data", e);
    }
    return out.toByteArray();
  }

  /** The next message; throws {@link EOFException} when the connection ended. */
  Message read() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    int opcode = -1;
    boolean compressed = false;
    while (true) {
      int b0 = in.read();
      if (b0 < 0) {
        throw new EOFException("connection closed");
      }
      int b1 = in.readUnsignedByte();
      int op = b0 & 0x0f;
      long len = b1 & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      byte[] mask = null;
      if ((b1 & 0x80) != 0) {
        mask = in.readNBytes(4);
      }
      byte[] payload = in.readNBytes((int) len);
      if (mask != null) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i & 3];
        }
      }
      if (op >= 8) {
        return new Message(op, false, payload);
      }
      if (op != 0) {
        opcode = op;
        compressed = (b0 & 0x40) != 0;
      }
      message.write(payload);
      if ((b0 & 0x80) != 0) {
        byte[] data = message.toByteArray();
        return new Message(opcode, compressed, compressed ? inflate(data) : data);
      }
    }
  }

  /** The next data message that is not an Engine.IO ping. */
  Message readData() throws IOException {
    Message m;
    do {
      m = read();
    } while (m.opcode() == TEXT && "2".equals(m.text()));
    return m;
  }

  /** True when the server ends the connection (close frame or EOF) within the socket timeout. */
  boolean awaitClosed() throws IOException {
    try {
      while (true) {
        if (read().opcode() == CLOSE) {
          return true;
        }
      }
    } catch (EOFException | java.net.SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    socket.close();
  }
}
