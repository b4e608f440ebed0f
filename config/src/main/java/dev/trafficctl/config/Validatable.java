package dev.trafficctl.config;

/** A record that checks its own values; {@code at} names where it sits in its document. */
public interface Validatable {

  void validate(Validator at);
}
