package dev.trafficctl.worker;

import dev.trafficctl.activities.router.nginx.StandaloneNginxConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trafficctl-worker nginx-config}: writes a complete {@code nginx.conf} for an nginx
 * instance of its own, whose {@code http} block includes what the nginx router renders into the
 * config dir and writes the JSON access log the nginx-log metrics provider reads. The demo runs its
 * nginx this way; in production nginx's own configuration includes the config dir instead.
 */
@Command(
    name = "nginx-config",
    mixinStandardHelpOptions = true,
    description =
        "Write an nginx.conf for an nginx of its own (nginx -p PREFIX -c PREFIX/nginx.conf).")
final class NginxConfigCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--prefix", required = true, paramLabel = "DIR", description = "nginx's prefix.")
  Path prefix;

  @Option(
      names = "--config-dir",
      required = true,
      paramLabel = "DIR",
      description =
          "The nginx router's config_dir (router.nginx.config_dir), included by the http block.")
  Path configDir;

  @Option(
      names = "--lua",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Load the Lua module, which dynamic mode needs (default: on).")
  boolean lua;

  @Override
  public Integer call() {
    Path conf = StandaloneNginxConfig.in(prefix, configDir, lua).write();
    spec.commandLine().getOut().println(conf);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
