package dev.trafficctl.activities.router.nginx;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data the include hands to its Lua: only quoted strings, numbers and tables get through. */
class LuaTableTest {

  @Test
  void rendersNestedDataIndentedFromItsLine() {
    Map<String, String> pools = new LinkedHashMap<>();
    pools.put("v1", "pool_v1");
    pools.put("v2", "pool_v2");
    LuaTable table =
        LuaTable.fields()
            .put("label", "api (production)")
            .put("percent", 25)
            .put("absent", (String) null)
            .put("pools", LuaTable.map(pools))
            .put("order", LuaTable.list(List.of("v1", "v2")))
            .put(
                "rules",
                LuaTable.records(
                    List.of(LuaTable.fields().put("members", LuaTable.set(List.of("a.b", "c"))))))
            .put("none", LuaTable.records(List.of()));
    assertEquals(
        "{\n"
            + "    label = \"api (production)\",\n"
            + "    percent = 25,\n"
            + "    pools = {\n"
            + "      [\"v1\"] = \"pool_v1\",\n"
            + "      [\"v2\"] = \"pool_v2\",\n"
            + "    },\n"
            + "    order = { \"v1\", \"v2\" },\n"
            + "    rules = {\n"
            + "      {\n"
            + "        members = { [\"a.b\"] = true, [\"c\"] = true },\n"
            + "      },\n"
            + "    },\n"
            + "    none = {},\n"
            + "  }",
        table.render("  "));
  }

  @Test
  void refusesTextThatLuaOrNginxWouldParse() {
    for (String text : List.of("a\"b", "a\\b", "a\nb", "a{b", "a;b", "a$b", "a'b")) {
      assertInvalidConfiguration(() -> LuaTable.fields().put("name", text));
      assertInvalidConfiguration(() -> LuaTable.set(List.of(text)));
      assertInvalidConfiguration(() -> LuaTable.list(List.of(text)));
      assertInvalidConfiguration(() -> LuaTable.map(Map.of("k", text)));
    }
    assertThrows(IllegalArgumentException.class, () -> LuaTable.fields().put("a-b", "x"));
    assertThrows(IllegalArgumentException.class, () -> LuaTable.fields().put("end = 1 }", "x"));
  }
}
