# syntax=docker/dockerfile:1
#
# The trafficctl image: the worker (ENTRYPOINT), the CLI as `trafficctl` on PATH, the demo service
# as `trafficctl-demo-service`, and Debian's nginx with its Lua module, so that the same image can
# run the nginx instance the worker steers (docker-compose.yml does: the worker runs `nginx -t` and
# `nginx -s reload` against that instance, which needs the very same nginx build and modules).
#
#   docker build -t trafficctl .
#   docker run --rm trafficctl --help                       # the worker's flags
#   docker run --rm --entrypoint trafficctl trafficctl --help
#
# Environment of the worker (all optional; see README.md, "Notifications" and "Commands"):
#   TEMPORAL_ADDRESS            host:port of Temporal's frontend (default 127.0.0.1:7233)
#   TEMPORAL_NAMESPACE          namespace (default "default")
#   TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE
#                               the rest of Temporal's environment configuration
#   TRAFFICCTL_STATE_BASE       where relative paths of a catalog (router.nginx.config_dir,
#                               prefix, error_log, ...; router.file.state_dir) resolve;
#                               default here /var/lib/trafficctl (--state-dir overrides it);
#                               every such path must lead inside it or an allowed directory
#   TRAFFICCTL_ALLOWED_PATHS    more directories catalog paths may lead into, colon-separated
#                               (--allow-path); none by default
#   TRAFFICCTL_ALLOWED_BINARIES nginx binaries a catalog may name, colon-separated
#                               (--allow-binary); default /usr/sbin/nginx
#   TRAFFICCTL_ALLOWED_HOSTS    HOST[:PORT]s besides loopback a catalog's metrics address and
#                               webhook URL may reach, comma-separated (--allow-host)
#   TRAFFICCTL_WEB_UI           Web UI address notifications link to
#   TRAFFICCTL_WORKER_JAVA_OPTS extra JVM options of the worker (heap: -Xmx512m by default)
#   Notification secrets, each NAME or, better in containers, NAME_FILE naming a mounted secret:
#     SLACK_BOT_TOKEN(_FILE), SLACK_API_URL
#     TRAFFICCTL_SMTP_HOST, TRAFFICCTL_SMTP_FROM, TRAFFICCTL_SMTP_PORT, TRAFFICCTL_SMTP_SECURITY,
#     TRAFFICCTL_SMTP_USERNAME, TRAFFICCTL_SMTP_PASSWORD(_FILE), TRAFFICCTL_SMTP_TIMEOUT
#     TRAFFICCTL_WEBHOOK_SECRET(_FILE)
# The worker's /healthz and /metrics listen where --health-host/--health-port say (default
# 127.0.0.1:7280; pass --health-host 0.0.0.0 for a scrape from another container).
# Environment of the CLI: TEMPORAL_* as above, TRAFFICCTL_CATALOG, TRAFFICCTL_ENV,
# TRAFFICCTL_JAVA_OPTS.

ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17.0.16_8-jre
ARG RUNTIME_BASE=debian:bookworm-20251229-slim

# ---------------------------------------------------------------------------------------- build --
FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
# The whole context (.dockerignore leaves out history, local state and build output): the reactor
# reads every module's pom, and only the modules the image runs are built.
COPY . ./
# The local repository is a build cache, kept between builds and out of the image.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl worker,cli,demo-service -am package -DskipTests

# -------------------------------------------------------------------------------------- runtime --
FROM ${JRE_IMAGE} AS jre

FROM ${RUNTIME_BASE}
# Debian's nginx 1.22 with the Lua module, as the project's tests and demo use: the nginx router's
# dynamic mode needs the Lua module, and StandaloneNginxConfig loads it from /usr/lib/nginx/modules.
# curl serves the healthchecks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       ca-certificates curl nginx libnginx-mod-http-lua \
    && rm -rf /var/lib/apt/lists/*

# A Temurin JRE 17 on Debian (Temurin's images document copying $JAVA_HOME onto another base).
ENV JAVA_HOME=/opt/java/openjdk \
    LANG=C.UTF-8
ENV PATH=${JAVA_HOME}/bin:${PATH}
COPY --from=jre /opt/java/openjdk ${JAVA_HOME}

# The same layout as a built checkout, so the project's own launchers in bin/ run unchanged.
COPY --from=build /src/worker/target/trafficctl-worker.jar /opt/trafficctl/worker/target/
COPY --from=build /src/worker/target/lib/ /opt/trafficctl/worker/target/lib/
COPY --from=build /src/cli/target/trafficctl.jar /opt/trafficctl/cli/target/
COPY --from=build /src/cli/target/lib/ /opt/trafficctl/cli/target/lib/
COPY --from=build /src/demo-service/target/trafficctl-demo-service.jar /opt/trafficctl/demo-service/target/
COPY --from=build /src/demo-service/target/lib/ /opt/trafficctl/demo-service/target/lib/
COPY bin/trafficctl bin/trafficctl-worker bin/trafficctl-demo-service /opt/trafficctl/bin/
# The CLI's class-data-sharing archive, recorded by this image's JVM (an archive only serves the
# JVM that wrote it). The training run calls an unreachable Temporal and exits 3 by design.
RUN chmod 755 /opt/trafficctl/bin/* \
    && ln -s /opt/trafficctl/bin/trafficctl /opt/trafficctl/bin/trafficctl-worker \
       /opt/trafficctl/bin/trafficctl-demo-service /usr/local/bin/ \
    && cd /opt/trafficctl/cli/target \
    && { java -XX:ArchiveClassesAtExit=/opt/trafficctl/cli/target/trafficctl.jsa \
         -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss1m -Xlog:cds=off \
         -jar trafficctl.jar traffic canary status cds-training --address 127.0.0.1:1 \
         >/dev/null 2>&1 || true; }

# A user of its own. nginx runs as this user too (ports above 1024, no `user` directive), so the
# worker, in the same PID namespace, may signal nginx's master for a reload. The state directory
# (and nginx's prefix inside it) belongs to it; a new named volume mounted there starts with this
# ownership.
RUN groupadd --system --gid 10001 trafficctl \
    && useradd --system --uid 10001 --gid trafficctl --home-dir /var/lib/trafficctl \
       --shell /usr/sbin/nologin trafficctl \
    && mkdir -p /var/lib/trafficctl/nginx/conf.d /var/lib/trafficctl/nginx/logs \
       /var/lib/trafficctl/nginx/temp /etc/trafficctl \
    && chown -R trafficctl:trafficctl /var/lib/trafficctl /var/log/nginx /var/lib/nginx

ENV TRAFFICCTL_STATE_BASE=/var/lib/trafficctl
WORKDIR /var/lib/trafficctl
USER trafficctl:trafficctl
# /healthz and /metrics of the worker (with --health-host 0.0.0.0).
EXPOSE 7280
# bin/trafficctl-worker execs the JVM, which drains the worker on SIGTERM.
ENTRYPOINT ["/opt/trafficctl/bin/trafficctl-worker"]
CMD ["--health-host", "0.0.0.0"]
