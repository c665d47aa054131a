package io.pathswitch.benchmarks.peers;

import org.togglz.core.Feature;

/** Togglz names its features with an enum. */
public enum PricingFeature implements Feature {
  UNIFIED_PRICING
}
