/**
 * The health-check activity: asks a pool's instances over HTTP whether they are healthy. Unhealthy
 * instances are reported, never thrown; only a check that cannot be run as given (an address that
 * is not {@code host:port}, an endpoint that is not a path) fails, non-retryably.
 */
package dev.trafficctl.activities.health;
