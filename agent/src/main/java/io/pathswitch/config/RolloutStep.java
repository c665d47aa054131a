package io.pathswitch.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a rollout schedule: the percentage of calls sent to the unified path, and how long
 * the step lasts before it may advance. Immutable.
 *
 * @param percentage from 0 to 100
 * @param duration above zero; empty only for the last step, where the rollout stays
 */
public record RolloutStep(double percentage, Optional<Duration> duration) {

  /**
   * Checks the step on its own.
   *
   * @throws IllegalArgumentException when the percentage or the duration is out of range
   */
  public RolloutStep {
    Objects.requireNonNull(duration, "duration");
    if (!(percentage >= 0 && percentage <= 100)) {
      throw new IllegalArgumentException(
          "rollout step percentage is " + percentage + "; " + Values.PERCENTAGE);
    }
    if (duration.filter(d -> d.isNegative() || d.isZero()).isPresent()) {
      throw new IllegalArgumentException(
          "rollout step duration is " + duration.get() + "; expected a duration above 0");
    }
  }
}
