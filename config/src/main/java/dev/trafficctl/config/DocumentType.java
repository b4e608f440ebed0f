package dev.trafficctl.config;

import dev.trafficctl.config.abtest.AbTestDocument;
import dev.trafficctl.config.bluegreen.BlueGreenDocument;
import dev.trafficctl.config.canary.CanaryDocument;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.config.loadbalancer.LoadBalancerDocument;
import dev.trafficctl.config.splitting.TrafficSplittingDocument;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Every document trafficctl reads, recognised by its top-level key. */
public enum DocumentType {
  CATALOG("services", "service catalog", Catalog.class),
  CANARY("canary", "canary", CanaryDocument.class),
  BLUE_GREEN("blue_green", "blue-green", BlueGreenDocument.class),
  TRAFFIC_SPLITTING("traffic_splitting", "traffic splitting", TrafficSplittingDocument.class),
  LOAD_BALANCER("load_balancer", "load balancer", LoadBalancerDocument.class),
  AB_TEST("ab_test", "A/B test", AbTestDocument.class);

  private final String rootKey;
  private final String title;
  private final Class<? extends Validatable> recordType;

  DocumentType(String rootKey, String title, Class<? extends Validatable> recordType) {
    this.rootKey = rootKey;
    this.title = title;
    this.recordType = recordType;
  }

  /** The top-level key that marks this document, e.g. {@code canary}. */
  public String rootKey() {
    return rootKey;
  }

  /** How the document is named to people, e.g. in {@code ok canary.yaml (canary)}. */
  public String title() {
    return title;
  }

  public Class<? extends Validatable> recordType() {
    return recordType;
  }

  public static Optional<DocumentType> byRootKey(String key) {
    return Arrays.stream(values()).filter(t -> t.rootKey.equals(key)).findFirst();
  }

  public static Optional<DocumentType> byRecordType(Class<?> type) {
    return Arrays.stream(values()).filter(t -> t.recordType.equals(type)).findFirst();
  }

  public static List<String> rootKeys() {
    return Arrays.stream(values()).map(DocumentType::rootKey).toList();
  }
}
