package io.pathswitch.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
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

  private static CallSite link(int id) {
    return Routes.link(MethodHandles.lookup(), "route", ROUTE, id);
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
