package io.pathswitch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementTextTest {

  @Test
  void showsAShortShapeWhole() {
    String shape = "SELECT id, name, code FROM representatives WHERE id = ?";

    assertThat(StatementText.brief(shape)).isEqualTo(shape);
  }

  @Test
  void dropsTheSelectListOfALongShapeButNotASubquerysFrom() {
    String shape =
        "SELECT (SELECT MAX(x) FROM y), COALESCE(SUM(amount), ?), MAX(payment_date) FROM payments"
            + " WHERE representative_id = ? AND is_allocated = TRUE";

    assertThat(StatementText.brief(shape))
        .isEqualTo("SELECT … FROM payments WHERE representative_id = ? AND is_allocated = TRUE");
  }

  @Test
  void cutsWhatIsStillTooLong() {
    String shape = "UPDATE t SET " + "a = ?, ".repeat(60) + "b = ?";

    String brief = StatementText.brief(shape);

    assertThat(brief).hasSize(StatementText.MOST).endsWith("…").startsWith("UPDATE t SET a = ?");
  }
}
