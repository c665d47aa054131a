package io.pathswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MethodRefTest {

  private static final String EXPECTED =
      "expected a method such as pkg.Class#method or pkg.Class#method(long,java.lang.String)";

  @Test
  void readsClassAndMethodWithoutParameters() {
    MethodRef method = MethodRef.parse("com.example.DashboardService#buildDashboard");

    assertThat(method)
        .isEqualTo(
            new MethodRef("com.example.DashboardService", "buildDashboard", Optional.empty()));
  }

  @Test
  void readsOverloadWithParameterTypes() {
    MethodRef method = MethodRef.parse(" com.example.Dashboard#build( long , java.lang.String ) ");

    assertThat(method.className()).isEqualTo("com.example.Dashboard");
    assertThat(method.methodName()).isEqualTo("build");
    assertThat(method.parameterTypes()).contains(List.of("long", "java.lang.String"));
  }

  @Test
  void readsEmptyParameterListAsNoParameters() {
    MethodRef method = MethodRef.parse("com.example.Dashboard#build()");

    assertThat(method.parameterTypes()).contains(List.of());
  }

  @Test
  void readsArraysAndNestedClasses() {
    MethodRef method =
        MethodRef.parse("com.example.Outer$Inner#run(int[],java.lang.String[][],pkg.A$B)");

    assertThat(method.className()).isEqualTo("com.example.Outer$Inner");
    assertThat(method.parameterTypes())
        .contains(List.of("int[]", "java.lang.String[][]", "pkg.A$B"));
  }

  @Test
  void readsClassInTheDefaultPackage() {
    MethodRef method = MethodRef.parse("Dashboard#build");

    assertThat(method.className()).isEqualTo("Dashboard");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "com.example.Dashboard#build",
        "com.example.Dashboard#build()",
        "com.example.Outer$Inner#build(long,java.lang.String,int[][])"
      })
  void writesBackTheConfigForm(String text) {
    MethodRef method = MethodRef.parse(text);

    assertThat(method.toString()).isEqualTo(text);
    assertThat(MethodRef.parse(method.toString())).isEqualTo(method);
  }

  @Test
  void rejectsBlankText() {
    assertThatThrownBy(() -> MethodRef.parse("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(EXPECTED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"com.example.Dashboard.build", "a#b#c", "com.example.Dashboard::build"})
  void rejectsTextWithoutOneHash(String text) {
    assertThatThrownBy(() -> MethodRef.parse(text))
        .hasMessage(EXPECTED + "; write one '#' between the class and the method");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "#build | ''",
        "com..Dashboard#build | com..Dashboard",
        "com.example.#build | com.example.",
        "com.1example.Dashboard#build | com.1example.Dashboard",
        "com.ex ample.Dashboard#build | com.ex ample.Dashboard"
      })
  void rejectsBadClassName(String text, String className) {
    assertThatThrownBy(() -> MethodRef.parse(text))
        .hasMessage(EXPECTED + "; '" + className + "' is not a class name");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "com.example.Dashboard# | ''",
        "com.example.Dashboard#(long) | ''",
        "com.example.Dashboard#<init> | <init>",
        "com.example.Dashboard#build.all | build.all",
        "com.example.Dashboard#2build | 2build"
      })
  void rejectsBadMethodName(String text, String methodName) {
    assertThatThrownBy(() -> MethodRef.parse(text))
        .hasMessage(EXPECTED + "; '" + methodName + "' is not a method name");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "com.example.Dashboard#build(long",
        "com.example.Dashboard#build(long))",
        "com.example.Dashboard#build(long)x",
        "com.example.Dashboard#build)long("
      })
  void rejectsUnclosedOrTrailingParameterList(String text) {
    assertThatThrownBy(() -> MethodRef.parse(text)).hasMessageStartingWith(EXPECTED + "; ");
  }

  @Test
  void rejectsUnclosedParameterListSayingSo() {
    assertThatThrownBy(() -> MethodRef.parse("com.example.Dashboard#build(long"))
        .hasMessage(EXPECTED + "; the parameter types end with the one ')' that closes the text");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"String", "java.util.List<String>", "java.lang.String...", "", "in t", "[]int"})
  void rejectsParameterTypesThatCannotMatchADescriptor(String type) {
    assertThatThrownBy(() -> MethodRef.parse("com.example.Dashboard#build(long," + type + ")"))
        .hasMessage(
            EXPECTED
                + "; '"
                + type
                + "' is not a parameter type such as long, int[] or java.lang.String"
                + " (classes with their package, generics erased)");
  }

  @Test
  void rejectsControlCharacterInClassName() {
    assertThatThrownBy(() -> MethodRef.parse("com.example.Dash\u0001board#build"))
        .hasMessage(EXPECTED + "; 'com.example.Dash\u0001board' is not a class name");
  }

  @Test
  void keepsParameterTypesImmutable() {
    List<String> types = new ArrayList<>(List.of("long"));
    MethodRef method = new MethodRef("a.B", "c", Optional.of(types));

    types.add("int");

    assertThat(method.parameterTypes()).contains(List.of("long"));
  }
}
