package dev.trafficctl.workflows.bluegreen;

import java.util.List;

/** The two colors of a blue-green pair; they are the router's version names. */
public final class Colors {

  public static final String BLUE = "blue";
  public static final String GREEN = "green";
  public static final List<String> BOTH = List.of(BLUE, GREEN);

  private Colors() {}

  public static boolean isColor(String name) {
    return BOTH.contains(name);
  }

  public static String other(String color) {
    return BLUE.equals(color) ? GREEN : BLUE;
  }
}
