package dev.trafficctl.activities.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Links into the Temporal Web UI, so a message leads straight to the rollout's workflow.
 *
 * @param baseUrl the Web UI's address, e.g. {@code http://localhost:8233} (the dev server's) or
 *     {@code https://cloud.temporal.io}
 * @param namespace the Temporal namespace the rollouts run in
 */
public record WebUiLinks(String baseUrl, String namespace) {

  public WebUiLinks {
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** The workflow's page: its current run, with history and the status query. */
  public String workflow(String workflowId) {
    return baseUrl + "/namespaces/" + encode(namespace) + "/workflows/" + encode(workflowId);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
