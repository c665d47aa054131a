package io.pathswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void alignsColumnsTwoSpacesApartAndLeavesTheLastUnpadded() {
    Table table = new Table("PID", "PATHSWITCH", "MAIN CLASS");
    table.row(7, "-", "a.B");
    table.row(12345, "0.1.0", "sample-target.jar");

    String text = table.toString();

    assertThat(text)
        .isEqualTo(
            "PID    PATHSWITCH  MAIN CLASS\n"
                + "7      -           a.B\n"
                + "12345  0.1.0       sample-target.jar\n");
  }

  @Test
  void refusesARowOfTheWrongWidth() {
    Table table = new Table("A", "B");

    assertThatThrownBy(() -> table.row("only one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a row of 1 cells in a table of 2 columns");
  }
}
