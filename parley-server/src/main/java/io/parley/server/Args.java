package io.parley.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of an event or of an ack, as received: socket.io's {@code (...args)} as Jackson
 * trees. Binary arguments are {@code BinaryNode}s; {@link #get(int, Class)} maps any argument to a
 * record, a {@code Map}, a {@code byte[]}, etc. Immutable and thread-safe (do not modify the trees).
 *
 * <pre>{@code
 * socket.on("update item", (args, ack) -> {
 *   int id = args.get(0).asInt();               // 1
 *   Item item = args.get(1, Item.class);        // { name: "updated" }
 *   byte[] image = args.get(2, byte[].class);   // a Buffer or ArrayBuffer sent by the client
 * });
 * }</pre>
 */
public final class Args {
  private final List<JsonNode> values;
  private final ObjectMapper mapper;

  Args(List<JsonNode> values, ObjectMapper mapper) {
    this.values = values;
    this.mapper = mapper;
  }

  /**
   * Arguments received from elsewhere (another node of a cluster, say), mapped with {@code mapper}
   * when a listener asks for a type. A Java {@code null} becomes a JSON null.
   *
   * @param values the arguments, in order
   * @param mapper maps them in {@link #get(int, Class)}
   * @return the arguments
   */
  public static Args of(List<JsonNode> values, ObjectMapper mapper) {
    return new Args(values.stream().map(v -> v == null ? (JsonNode) NullNode.getInstance() : v).toList(), mapper);
  }

  static Args of(ArrayNode array, int from, ObjectMapper mapper) {
    List<JsonNode> list = new ArrayList<>(Math.max(0, array.size() - from));
    for (int i = from; i < array.size(); i++) {
      list.add(array.get(i));
    }
    return new Args(list, mapper);
  }

  /** Number of arguments. */
  public int size() {
    return values.size();
  }

  /** Whether there is no argument (an event sent with its name only, an ack with no value). */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The i-th argument as JSON, or {@code null} when there is no such argument. */
  public JsonNode get(int i) {
    return i < values.size() ? values.get(i) : null;
  }

  /**
   * The i-th argument mapped to {@code type} by the server's Jackson mapper.
   *
   * @param <T> the type to map to
   * @param i the index, from 0
   * @param type a record, a {@code Map}, {@code String}, {@code byte[]}, ...
   * @return the mapped value; {@code null} when there is no such argument
   * @throws IllegalArgumentException when the argument does not map to {@code type}
   */
  public <T> T get(int i, Class<T> type) {
    JsonNode n = get(i);
    if (n == null) {
      return null;
    }
    try {
      return mapper.treeToValue(n, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("argument " + i + " is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The arguments as an array, ready to be passed on to {@code emit} (binary stays binary). */
  public Object[] toArray() {
    return values.toArray();
  }

  /** The arguments as an immutable list of JSON trees. */
  public List<JsonNode> asList() {
    return List.copyOf(values);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
