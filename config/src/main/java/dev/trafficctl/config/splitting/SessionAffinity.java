package dev.trafficctl.config.splitting;

import dev.trafficctl.config.SpecEnum;

/** What identifies a client, so that sticky sessions keep it on one target. */
public enum SessionAffinity implements SpecEnum {
  /** A cookie the router sets on the first response. */
  COOKIE,
  /** A request header the client sends (for API clients without cookies). */
  HEADER,
  /** The client's address; clients behind one NAT share a target. */
  SOURCE_IP;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
