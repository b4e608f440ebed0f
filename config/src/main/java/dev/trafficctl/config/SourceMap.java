package dev.trafficctl.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each field of a document stands in its text: field path ({@code canary.api.steps[1]}) to
 * line and column. Built by one streaming pass over the same parser Jackson binds with, so that
 * problems found after binding (a weight out of range) point at the line a person has to edit.
 */
final class SourceMap {

  /** A 1-based position in the text. */
  record Position(int line, int column) {
    static Position of(JsonLocation location) {
      return new Position(location.getLineNr(), location.getColumnNr());
    }
  }

  private final Map<String, Position> positions;

  /** Each scalar's text exactly as the document wrote it: {@code 1e30} stays {@code 1e30}. */
  private final Map<String, String> written;

  /** The fields and list items whose value is the empty text, {@code ""}, in document order. */
  private final List<String> empty;

  private SourceMap(
      Map<String, Position> positions, Map<String, String> written, List<String> empty) {
    this.positions = positions;
    this.written = written;
    this.empty = empty;
  }

  static SourceMap empty() {
    return new SourceMap(Map.of(), Map.of(), List.of());
  }

  /** Indexes {@code text}; a text that does not parse yields an empty map (binding reports it). */
  static SourceMap of(JsonFactory factory, String text) {
    Map<String, Position> positions = new HashMap<>();
    Map<String, String> written = new HashMap<>();
    List<String> empty = new ArrayList<>();
    // One frame per open container: its path, and for arrays the index of the next element.
    Deque<String> paths = new ArrayDeque<>();
    Deque<int[]> indexes = new ArrayDeque<>();
    String pendingField = null;
    try (JsonParser p = factory.createParser(text)) {
      JsonToken token;
      while ((token = p.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          pendingField = p.currentName();
          String path = join(paths.isEmpty() ? "" : paths.peek(), pendingField);
          positions.put(path, Position.of(p.currentTokenLocation()));
          continue;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          paths.pop();
          indexes.pop();
          continue;
        }
        String path = valuePath(paths, indexes, pendingField);
        pendingField = null;
        // A field's key position is more useful than its value's for containers; for scalars the
        // value is what is wrong, so point at it.
        if (token.isScalarValue() || !positions.containsKey(path)) {
          positions.put(path, Position.of(p.currentTokenLocation()));
        }
        if (token.isScalarValue()) {
          String scalar = p.getText();
          written.put(path, scalar);
          if (token == JsonToken.VALUE_STRING && scalar.isEmpty()) {
            empty.add(path);
          }
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          paths.push(path);
          indexes.push(new int[] {token == JsonToken.START_ARRAY ? 0 : -1});
        }
      }
    } catch (IOException unparsable) {
      return new SourceMap(positions, written, empty);
    }
    return new SourceMap(positions, written, empty);
  }

  private static String valuePath(Deque<String> paths, Deque<int[]> indexes, String field) {
    if (paths.isEmpty()) {
      return "";
    }
    int[] index = indexes.peek();
    if (index[0] >= 0) {
      return paths.peek() + "[" + index[0]++ + "]";
    }
    return join(paths.peek(), field);
  }

  private static String join(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  /** The position of exactly {@code path}, if the text has that field. */
  Optional<Position> exact(String path) {
    return Optional.ofNullable(positions.get(path));
  }

  /** The scalar at exactly {@code path} as the document wrote it, if it has one there. */
  Optional<String> written(String path) {
    return Optional.ofNullable(written.get(path));
  }

  /** The fields and list items written as the empty text ({@code ""}), in document order. */
  List<String> emptyValues() {
    return List.copyOf(empty);
  }

  /**
   * The field or list item whose value begins on {@code line} at or nearest before {@code column},
   * if one does: the field a character at that place belongs to, or is written after.
   */
  Optional<String> fieldBefore(int line, int column) {
    String found = null;
    int foundColumn = 0;
    for (Map.Entry<String, Position> entry : positions.entrySet()) {
      Position at = entry.getValue();
      if (at.line() == line && at.column() <= column && at.column() > foundColumn) {
        found = entry.getKey();
        foundColumn = at.column();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The position of {@code path}, or of its nearest ancestor that has one. */
  Position find(String path) {
    String p = path == null ? "" : path;
    while (true) {
      Position found = positions.get(p);
      if (found != null) {
        return found;
      }
      if (p.isEmpty()) {
        return new Position(1, 1);
      }
      p = parent(p);
    }
  }

  private static String parent(String path) {
    if (path.endsWith("]")) {
      return path.substring(0, path.lastIndexOf('['));
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }
}
