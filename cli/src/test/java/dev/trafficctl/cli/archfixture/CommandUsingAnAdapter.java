package dev.trafficctl.cli.archfixture;

import dev.trafficctl.activities.archfixture.SomeAdapter;

/** A command that reaches an adapter directly (test sources only, never run): the rule's prey. */
public class CommandUsingAnAdapter {

  public Object adapter() {
    return new SomeAdapter();
  }
}
