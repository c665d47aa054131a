package io.pathswitch.sample.dashboard;

import java.util.Comparator;
import java.util.List;

/**
 * The finance dashboard: every representative's summary, sorted by id. Immutable.
 *
 * <p>The constructor sorts by id, so two dashboards over the same data are {@code equals} whatever
 * order a path gathered them in.
 */
public record Dashboard(List<RepresentativeSummary> representatives) {

  public Dashboard {
    representatives =
        representatives.stream()
            .sorted(Comparator.comparingLong(RepresentativeSummary::id))
            .toList();
  }
}
