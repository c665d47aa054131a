package io.pathswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesNestedMapsAndListsInTheirOwnOrder() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", true);
    inner.put("a", null);
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("pid", 42L);
    outer.put("switches", List.of(inner, List.of()));
    outer.put("empty", Map.of());

    String json = Json.write(outer);

    assertThat(json)
        .isEqualTo("{\"pid\":42,\"switches\":[{\"z\":true,\"a\":null},[]],\"empty\":{}}");
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    String json = Json.write("say \"hi\" \\ to\nall\t\u0001\u2028é");

    assertThat(json).isEqualTo("\"say \\\"hi\\\" \\\\ to\\nall\\t\\u0001\\u2028é\"");
  }

  @Test
  void writesFiguresThatWereNotCountedAsNull() {
    String json =
        Json.write(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY, 100.0, 4.5, 7, -0.25));

    assertThat(json).isEqualTo("[null,null,100,4.5,7,-0.25]");
  }

  @Test
  void refusesAValueWithNoJsonForm() {
    assertThatThrownBy(() -> Json.write(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no JSON form for java.lang.Object");
  }
}
