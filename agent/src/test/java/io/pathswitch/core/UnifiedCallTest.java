package io.pathswitch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathswitch.bootstrap.FallBack;
import io.pathswitch.bootstrap.Route;
import io.pathswitch.config.AgentConfig;
import io.pathswitch.instrumentation.TargetCheck.Shape;
import io.pathswitch.time.Clock;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The chain of method handles a typed call site of a legacy method is linked to. */
class UnifiedCallTest {

  private static final MethodType READ =
      MethodType.methodType(Object.class, Route.class, Meter.class, long.class);
  private static final MethodType READ_LONG = READ.changeReturnType(long.class);

  @Test
  void returnsTheUnifiedResultBoxedAndRecordsTheCall() throws Throwable {
    Switch sw = switchOf("switch.s.fallback=true");
    Binding binding = bindingOf(sw, "readUnified", Shape.SAME_INSTANCE);

    Object result = chain(binding, READ).invoke((Route) binding, new Meter(), 3L);

    assertThat(result).isEqualTo(31L);
    assertThat(sw.unifiedStats().calls()).isEqualTo(1);
  }

  @Test
  void handsACallOfAnotherRouteToThatRouteWithItsArgumentsInAnArray() throws Throwable {
    Binding binding = bindingOf(switchOf(), "readUnified", Shape.SAME_INSTANCE);
    List<Object> asked = new ArrayList<>();
    Route other = routeAnswering(asked, "other's");
    Meter meter = new Meter();

    Object result = chain(binding, READ).invoke(other, meter, 3L);

    assertThat(result).isEqualTo("other's");
    assertThat(asked).containsExactly(Meter.class, meter, List.of(3L));
  }

  @Test
  void answersUseLegacyWhenTheUnifiedMethodThrowsAndTheSwitchFallsBack() throws Throwable {
    Switch sw = switchOf("switch.s.fallback=true");
    Binding binding = bindingOf(sw, "readBroken", Shape.STATIC);

    Object result = chain(binding, READ).invoke((Route) binding, new Meter(), 3L);

    assertThat(result).isSameAs(Route.USE_LEGACY);
    assertThat(sw.unifiedErrors()).isEqualTo(1);
    assertThat(sw.unifiedStats().calls()).isZero();
  }

  @Test
  void rethrowsTheUnifiedFailureWhenTheSwitchDoesNotFallBack() {
    Switch sw = switchOf("switch.s.fallback=false");
    Binding binding = bindingOf(sw, "readBroken", Shape.STATIC);
    MethodHandle chain = chain(binding, READ);

    assertThatThrownBy(() -> chain.invoke((Route) binding, new Meter(), 3L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("meter broken at 3");
    assertThat(sw.unifiedErrors()).isEqualTo(1);
    assertThat(sw.unifiedStats().calls()).isEqualTo(1);
  }

  @Test
  void answersNullForAVoidOrNullResultWithoutAReceiverForAStaticMethod() throws Throwable {
    Switch sw = switchOf();
    MethodType reset = MethodType.methodType(Object.class, Route.class, long.class);
    Binding nothing = bindingOf(sw, "resetUnified", Shape.STATIC);
    Binding none = bindingOf(sw, "noneUnified", Shape.STATIC);

    Object fromVoid = chain(nothing, reset).invoke((Route) nothing, 3L);
    Object fromNull = chain(none, reset).invoke((Route) none, 3L);

    assertThat(fromVoid).isSameAs(Route.NULL);
    assertThat(fromNull).isSameAs(Route.NULL);
    assertThat(sw.unifiedStats().calls()).isEqualTo(2);
  }

  @Test
  void returnsAPrimitiveResultUnboxedToASiteTypedWithIt() throws Throwable {
    Switch sw = switchOf("switch.s.fallback=true");
    Binding binding = bindingOf(sw, "readUnified", Shape.SAME_INSTANCE);

    long result = (long) chain(binding, READ_LONG).invokeExact((Route) binding, new Meter(), 3L);

    assertThat(result).isEqualTo(31L);
    assertThat(sw.unifiedStats().calls()).isEqualTo(1);
  }

  @Test
  void throwsFallBackFromASiteTypedWithAPrimitiveWhenTheSwitchFallsBack() {
    Switch sw = switchOf("switch.s.fallback=true");
    Binding binding = bindingOf(sw, "readBroken", Shape.STATIC);
    MethodHandle chain = chain(binding, READ_LONG);

    assertThatThrownBy(
            () -> {
              long ignored = (long) chain.invokeExact((Route) binding, new Meter(), 3L);
            })
        .isSameAs(FallBack.INSTANCE);
    assertThat(sw.unifiedErrors()).isEqualTo(1);
    assertThat(sw.unifiedStats().calls()).isZero();
  }

  @Test
  void rethrowsTheFailureFromASiteTypedWithAPrimitiveWhenTheSwitchDoesNotFallBack() {
    Switch sw = switchOf("switch.s.fallback=false");
    Binding binding = bindingOf(sw, "readBroken", Shape.STATIC);
    MethodHandle chain = chain(binding, READ_LONG);

    assertThatThrownBy(
            () -> {
              long ignored = (long) chain.invokeExact((Route) binding, new Meter(), 3L);
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("meter broken at 3");
  }

  @Test
  void handsAPrimitiveCallOfAnotherRouteOnAndThrowsFallBackWhenThatRouteSaysLegacy()
      throws Throwable {
    Binding binding = bindingOf(switchOf(), "readUnified", Shape.SAME_INSTANCE);
    MethodHandle served = chain(binding, READ_LONG);
    Route other = routeAnswering(new ArrayList<>(), 77L);
    Route legacy = routeAnswering(new ArrayList<>(), Route.USE_LEGACY);

    long result = (long) served.invokeExact(other, new Meter(), 3L);

    assertThat(result).isEqualTo(77L);
    assertThatThrownBy(
            () -> {
              long ignored = (long) served.invokeExact(legacy, new Meter(), 3L);
            })
        .isSameAs(FallBack.INSTANCE);
  }

  /** The chain of {@code binding}'s site typed {@code site} in {@link Meter}. */
  private static MethodHandle chain(Binding binding, MethodType site) {
    return UnifiedCall.of(binding, Invoker.resolve(binding.plan(), Meter.class), Meter.class, site);
  }

  private static Binding bindingOf(Switch sw, String unified, Shape shape) {
    Invoker.Plan plan =
        new Invoker.Plan(
            Meter.class.getName(), unified, List.of("long"), shape, 1, Optional.empty());
    return new Binding(0, sw, Meter.class.getName(), plan);
  }

  private static Switch switchOf(String... lines) {
    Properties properties = new Properties();
    properties.setProperty("switch.s.legacy", Meter.class.getName() + "#read");
    properties.setProperty("switch.s.unified", Meter.class.getName() + "#readUnified");
    properties.setProperty("switch.s.enabled", "true");
    for (String line : lines) {
      String[] pair = line.split("=", 2);
      properties.setProperty(pair[0], pair[1]);
    }
    try {
      return new Switch(
          AgentConfig.parse(properties, "test").switches().get(0),
          Clock.SYSTEM,
          new SwitchListener() {});
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A route that notes what its array path is asked and answers {@code answer}. */
  private static Route routeAnswering(List<Object> asked, Object answer) {
    return (Route)
        Proxy.newProxyInstance(
            Route.class.getClassLoader(),
            new Class<?>[] {Route.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("unified") || args[0] != Meter.class) {
                throw new AssertionError("asked " + method);
              }
              asked.add(args[0]);
              asked.add(args[1]);
              asked.add(List.of((Object[]) args[2]));
              return answer;
            });
  }

  /** A legacy class and its unified methods, in each shape the tests need. */
  public static final class Meter {

    public long read(long base) {
      return base * 10;
    }

    public long readUnified(long base) {
      return base * 10 + 1;
    }

    public static long readBroken(long base) {
      throw new IllegalStateException("meter broken at " + base);
    }

    public static void resetUnified(long base) {}

    public static Object noneUnified(long base) {
      return null;
    }
  }
}
