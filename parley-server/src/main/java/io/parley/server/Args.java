package io.parley.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of an event or of an ack, as received. Binary arguments are {@code BinaryNode}s;
 * {@link #get(int, Class)} maps any argument to a record, a {@code Map}, a {@code byte[]}, etc.
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

  public int size() {
    return values.size();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The i-th argument as JSON, or {@code null} when there is no such argument. */
  public JsonNode get(int i) {
    return i < values.size() ? values.get(i) : null;
  }

  /** The i-th argument mapped to {@code type} by Jackson; {@code null} when absent. */
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

  public List<JsonNode> asList() {
    return List.copyOf(values);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
