package dev.trafficctl.e2e;

import java.nio.file.Path;

/** Where the project's launchers and scripts are, for tests that run them as a user would. */
final class ProjectPaths {

  private ProjectPaths() {}

  static Path root() {
    return Path.of(System.getProperty("trafficctl.root", "..")).toAbsolutePath().normalize();
  }

  static Path bin(String name) {
    return root().resolve("bin").resolve(name);
  }

  static Path script(String name) {
    return root().resolve("scripts").resolve(name);
  }
}
