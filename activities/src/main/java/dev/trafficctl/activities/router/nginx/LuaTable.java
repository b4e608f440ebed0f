package dev.trafficctl.activities.router.nginx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Lua table constructor holding data only: the form in which the include hands the catalog and
 * the routing rules to the Lua resources next to this class, which hold all the code. Strings go
 * through {@link NginxSyntax#quoted}, so nothing in them is parsed by Lua or by nginx's {@code
 * *_by_lua_block}; field names are fixed by this package.
 */
final class LuaTable {

  private static final Pattern FIELD = Pattern.compile("[a-z_][a-z0-9_]*");

  /** A key in Lua syntax ({@code name}, {@code ["v1"]}), null for a list item. */
  private record Entry(String key, Object value) {}

  private final List<Entry> entries = new ArrayList<>();

  /** Whether the entries go on one line: short lists and sets of strings. */
  private final boolean oneLine;

  private LuaTable(boolean oneLine) {
    this.oneLine = oneLine;
  }

  /** A record: named fields, one per line; {@code put} adds them. */
  static LuaTable fields() {
    return new LuaTable(false);
  }

  /** {@code { "a", "b" }}: walked in order with {@code ipairs}. */
  static LuaTable list(Collection<String> items) {
    LuaTable table = new LuaTable(true);
    items.forEach(item -> table.entries.add(new Entry(null, NginxSyntax.quoted(item))));
    return table;
  }

  /**
   * {@code { ["a"] = true }}: {@code set[value]} is true for a member and nil for anything else, an
   * exact, case-sensitive match (nil itself included).
   */
  static LuaTable set(Collection<String> members) {
    LuaTable table = new LuaTable(true);
    members.forEach(member -> table.entries.add(new Entry(key(member), "true")));
    return table;
  }

  /** {@code { ["k"] = "v" }}, one entry per line. */
  static LuaTable map(Map<String, String> entries) {
    LuaTable table = new LuaTable(false);
    entries.forEach((k, v) -> table.entries.add(new Entry(key(k), NginxSyntax.quoted(v))));
    return table;
  }

  /** A list of records, one per line. */
  static LuaTable records(List<LuaTable> records) {
    LuaTable table = new LuaTable(false);
    records.forEach(record -> table.entries.add(new Entry(null, record)));
    return table;
  }

  /** Adds a string field; a null text leaves the field nil. */
  LuaTable put(String name, String text) {
    return text == null ? this : add(name, NginxSyntax.quoted(text));
  }

  LuaTable put(String name, long number) {
    return add(name, Long.toString(number));
  }

  /** Adds a table field; a null table leaves the field nil. */
  LuaTable put(String name, LuaTable table) {
    return table == null ? this : add(name, table);
  }

  private LuaTable add(String name, Object value) {
    if (!FIELD.matcher(name).matches()) {
      throw new IllegalArgumentException("not a Lua field name: " + name);
    }
    entries.add(new Entry(name, value));
    return this;
  }

  /** The constructor, its inner lines indented from {@code indent}, the line it starts on. */
  String render(String indent) {
    if (entries.isEmpty()) {
      return "{}";
    }
    List<String> items = new ArrayList<>();
    String inner = oneLine ? indent : indent + "  ";
    for (Entry entry : entries) {
      String value =
          entry.value() instanceof LuaTable table ? table.render(inner) : (String) entry.value();
      items.add(entry.key() == null ? value : entry.key() + " = " + value);
    }
    if (oneLine) {
      return "{ " + String.join(", ", items) + " }";
    }
    StringBuilder out = new StringBuilder("{\n");
    items.forEach(item -> out.append(inner).append(item).append(",\n"));
    return out.append(indent).append('}').toString();
  }

  private static String key(String text) {
    return "[" + NginxSyntax.quoted(text) + "]";
  }
}
