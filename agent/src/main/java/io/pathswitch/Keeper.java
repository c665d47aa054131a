package io.pathswitch;

import io.pathswitch.config.Mode;
import io.pathswitch.config.Values;
import io.pathswitch.core.Switch;
import io.pathswitch.rollout.Rollout;
import io.pathswitch.state.StateFile;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Keeps what operators, rollouts and trips change at run time in {@code state.file}, and gives it
 * back at the next start. Writes happen on the agent's thread, never on the application's, right
 * after each change and every 10 seconds while a rollout's step runs. Thread-safe.
 */
final class Keeper {

  private final StateFile file;
  private final ScheduledExecutorService scheduler;
  private final Supplier<Collection<Switch>> switches;
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile boolean writeFailed;

  Keeper(
      StateFile file, ScheduledExecutorService scheduler, Supplier<Collection<Switch>> switches) {
    this.file = file;
    this.scheduler = scheduler;
    this.switches = switches;
    scheduler.scheduleWithFixedDelay(this::writeIfRolling, 10, 10, TimeUnit.SECONDS);
  }

  /** Applies the kept state to {@code all}; switches without one start as configured. */
  void restore(Collection<Switch> all) {
    Map<String, StateFile.SwitchState> kept = read();
    for (Switch sw : all) {
      StateFile.SwitchState state = kept.get(sw.name());
      if (state == null) {
        sw.startRollout(null, "rollout started by the configuration");
        continue;
      }
      restore(sw, state);
    }
  }

  private void restore(Switch sw, StateFile.SwitchState state) {
    String cause = "kept in " + file.path();
    Mode mode;
    try {
      mode = Values.mode(state.mode());
    } catch (IllegalArgumentException e) {
      Pathswitch.logger()
          .warn(
              "switch {}: the state file {} holds mode '{}', {}; the configuration's values apply",
              sw.name(),
              file.path(),
              state.mode(),
              e.getMessage());
      sw.startRollout(null, "rollout started by the configuration");
      return;
    }
    sw.restore(state, mode, cause);
    Rollout.Snapshot snapshot = state.rollout().orElse(null);
    try {
      sw.startRollout(snapshot, cause);
    } catch (RuntimeException e) {
      Pathswitch.logger()
          .warn(
              "switch {}: the rollout kept in {} does not fit the configured one ({}); the rollout"
                  + " starts again at its first step",
              sw.name(),
              file.path(),
              e.getMessage());
      sw.startRollout(null, "rollout restarted: the kept one did not fit");
    }
    Pathswitch.logger()
        .info(
            "switch {}: restored from {}: {}, {}, {}{}",
            sw.name(),
            file.path(),
            state.enabled() ? "enabled" : "not enabled",
            Pathswitch.percent(state.percentage()),
            state.mode(),
            sw.rollout() == null ? "" : ", rollout " + sw.rolloutStep());
  }

  private Map<String, StateFile.SwitchState> read() {
    try {
      return file.read();
    } catch (IOException e) {
      Pathswitch.logger()
          .warn(
              "the state file {} cannot be read ({}); it is ignored and the configuration's values"
                  + " apply. Fix or remove it; it is written again at the next change",
              file.path(),
              e.getMessage());
      return Map.of();
    }
  }

  /** Schedules one write of every switch's state; several changes in a row write once. */
  void changed() {
    if (pending.compareAndSet(false, true)) {
      try {
        scheduler.execute(this::write);
      } catch (RuntimeException e) {
        pending.set(false);
      }
    }
  }

  private void writeIfRolling() {
    for (Switch sw : switches.get()) {
      if (sw.rollout() != null && !sw.rollout().paused() && !sw.rollout().done()) {
        changed();
        return;
      }
    }
  }

  /** Writes now, on the calling thread; used at detach so nothing is lost. */
  void write() {
    pending.set(false);
    Map<String, StateFile.SwitchState> states = new LinkedHashMap<>();
    for (Switch sw : switches.get()) {
      states.put(sw.name(), sw.keptState());
    }
    try {
      file.write(states);
      if (writeFailed) {
        writeFailed = false;
        Pathswitch.logger().info("the state file {} is written again", file.path());
      }
    } catch (IOException | RuntimeException e) {
      if (!writeFailed) {
        writeFailed = true;
        Pathswitch.logger()
            .warn(
                "cannot write the state file {}: {}; the switches work, but changes made at run"
                    + " time will not survive a restart until it can be written",
                file.path(),
                e.toString());
      } else {
        Pathswitch.logger().debug("cannot write the state file {}: {}", file.path(), e.toString());
      }
    }
  }
}
