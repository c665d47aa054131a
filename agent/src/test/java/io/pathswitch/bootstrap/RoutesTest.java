package io.pathswitch.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The route table and the call sites that instrumented methods read it through. */
class RoutesTest {

  // The table is one per JVM; slots at its far end are never handed out by the other tests.
  private static final int SLOT = Routes.CAPACITY - 1;
  private static final int OTHER = Routes.CAPACITY - 2;
  private static final MethodType ROUTE = MethodType.methodType(Route.class);

  @AfterEach
  void emptySlots() {
    Routes.set(SLOT, null);
    Routes.set(OTHER, null);
  }

  @Test
  void linksASiteThatAnswersTheRoutePublishedBefore() throws Throwable {
    Route route = noRoute();
    Routes.set(SLOT, route);

    MethodHandle read = link(SLOT).dynamicInvoker();

    assertThat((Route) read.invoke()).isSameAs(route);
  }

  @Test
  void relinksTheSiteWhenARouteIsPublishedOrWithdrawn() throws Throwable {
    MethodHandle read = link(SLOT).dynamicInvoker();
    assertThat((Route) read.invoke()).isNull();

    Route route = noRoute();
    Routes.set(SLOT, route);
    Route published = (Route) read.invoke();
    Routes.set(SLOT, null);
    Route withdrawn = (Route) read.invoke();

    assertThat(published).isSameAs(route);
    assertThat(withdrawn).isNull();
    assertThat(Routes.get(SLOT)).isNull();
  }

  @Test
  void givesEveryInstructionOfOneBindingTheSameSite() {
    CallSite first = link(SLOT);
    CallSite again = link(SLOT);
    CallSite other = link(OTHER);

    assertThat(again).isSameAs(first);
    assertThat(other).isNotSameAs(first);
  }

  @Test
  void leavesTheSiteAloneWhenTheSameRouteIsPublishedAgain() {
    Route route = noRoute();
    Routes.set(SLOT, route);
    CallSite site = link(SLOT);
    MethodHandle target = site.getTarget();

    Routes.set(SLOT, route);

    assertThat(site.getTarget()).isSameAs(target);
  }

  @Test
  void refusesAReadOfAnotherShapeOrOutsideTheTable() {
    MethodHandles.Lookup lookup = MethodHandles.lookup();

    assertThatThrownBy(() -> Routes.link(lookup, "route", MethodType.methodType(Object.class), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a route is read as ()Route with a binding below 8192, not ()Object with 1");
    assertThatThrownBy(() -> Routes.link(lookup, "route", ROUTE, Routes.CAPACITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("with " + Routes.CAPACITY);
  }

  @Test
  void linksAUnifiedCallThatHandsItsReceiverAndArgumentsToTheRouteInAnArray() throws Throwable {
    MethodType type = MethodType.methodType(Object.class, Route.class, String.class, long.class);
    List<Object> asked = new ArrayList<>();
    Route route = routeAnswering(asked, "served");
    CallSite site = Routes.unified(MethodHandles.lookup(), "unified", type);

    Object result = site.dynamicInvoker().invoke(route, "receiver", 7L);

    assertThat(result).isEqualTo("served");
    assertThat(asked).containsExactly(site, RoutesTest.class, List.of("receiver", 7L));
  }

  @Test
  void linksAUnifiedCallTypedWithAPrimitiveResultThatReturnsItUnboxed() throws Throwable {
    MethodType type = MethodType.methodType(long.class, Route.class, long.class);
    List<Object> asked = new ArrayList<>();
    Route route = routeAnswering(asked, 42L);
    CallSite site = Routes.unified(MethodHandles.lookup(), "unified", type);

    long result = (long) site.dynamicInvoker().invokeExact(route, 7L);

    assertThat(result).isEqualTo(42L);
    assertThat(asked).containsExactly(site, RoutesTest.class, List.of(7L));
  }

  @Test
  void throwsFallBackFromAPrimitiveUnifiedCallThatTheLegacyPathMustServe()
      throws ReflectiveOperationException {
    MethodType type = MethodType.methodType(int.class, Route.class);
    Route route = routeAnswering(new ArrayList<>(), Route.USE_LEGACY);
    CallSite site = Routes.unified(MethodHandles.lookup(), "unified", type);

    assertThatThrownBy(
            () -> {
              int ignored = (int) site.dynamicInvoker().invokeExact(route);
            })
        .isSameAs(FallBack.INSTANCE);
    assertThat(FallBack.INSTANCE.getStackTrace()).isEmpty();
  }

  @Test
  void givesEveryUnifiedCallItsOwnSite() throws ReflectiveOperationException {
    MethodType type = MethodType.methodType(Object.class, Route.class);

    CallSite first = Routes.unified(MethodHandles.lookup(), "unified", type);
    CallSite second = Routes.unified(MethodHandles.lookup(), "unified", type);

    assertThat(second).isNotSameAs(first);
  }

  @Test
  void refusesAUnifiedCallOfAnotherShape() {
    MethodHandles.Lookup lookup = MethodHandles.lookup();

    assertThatThrownBy(
            () -> Routes.unified(lookup, "unified", MethodType.methodType(void.class, Route.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a unified call is typed (Route, ...) returning Object or a primitive,"
                + " not (Route)void");
    assertThatThrownBy(
            () ->
                Routes.unified(lookup, "unified", MethodType.methodType(String.class, Route.class)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Routes.unified(lookup, "unified", MethodType.methodType(Object.class, long.class)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CallSite link(int id) {
    return Routes.link(MethodHandles.lookup(), "route", ROUTE, id);
  }

  /** A route that notes what its typed call sites hand it, and answers {@code answer}. */
  private static Route routeAnswering(List<Object> asked, Object answer) {
    return (Route)
        Proxy.newProxyInstance(
            Route.class.getClassLoader(),
            new Class<?>[] {Route.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("unified") || !(args[0] instanceof MutableCallSite)) {
                throw new AssertionError("asked " + method);
              }
              asked.add(args[0]);
              asked.add(args[1]);
              asked.add(List.of((Object[]) args[2]));
              return answer;
            });
  }

  /** A route that is never asked anything: only its identity matters here. */
  private static Route noRoute() {
    return (Route)
        Proxy.newProxyInstance(
            Route.class.getClassLoader(),
            new Class<?>[] {Route.class},
            (proxy, method, args) -> {
              throw new AssertionError("asked " + method.getName());
            });
  }
}
