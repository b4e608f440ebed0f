package dev.trafficctl.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code trafficctl --version}: the version the jar was built as. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = Trafficctl.class.getPackage().getImplementationVersion();
    return new String[] {"trafficctl " + (version == null ? "development build" : version)};
  }
}
