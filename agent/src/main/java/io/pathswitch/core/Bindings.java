package io.pathswitch.core;

import io.pathswitch.bootstrap.Routes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Hands out the {@link Routes} slots: one per switch and loaded class, kept across
 * retransformations so a class transformed again keeps its slot. Class loaders are held weakly.
 * Thread-safe.
 */
public final class Bindings {

  private final Map<ClassLoader, Map<String, Binding>> byLoader = new WeakHashMap<>();
  private final Map<String, Binding> bootLoaded = new HashMap<>();
  private int next;

  /** The binding of {@code sw} to {@code className} in {@code loader}; empty when slots ran out. */
  public synchronized Optional<Binding> bind(
      Switch sw, ClassLoader loader, String className, Invoker.Plan plan) {
    Map<String, Binding> bindings =
        loader == null ? bootLoaded : byLoader.computeIfAbsent(loader, l -> new HashMap<>());
    String key = sw.name() + '\u0000' + className;
    Binding existing = bindings.get(key);
    if (existing != null) {
      return Optional.of(existing);
    }
    if (next >= Routes.CAPACITY) {
      return Optional.empty();
    }
    Binding binding = new Binding(next++, sw, className, plan);
    bindings.put(key, binding);
    sw.bind(binding);
    return Optional.of(binding);
  }

  /** Forgets every binding: after a detach, a later attach starts from slot 0 again. */
  public synchronized void clear() {
    for (int i = 0; i < next; i++) {
      Routes.set(i, null);
    }
    byLoader.clear();
    bootLoaded.clear();
    next = 0;
  }
}
