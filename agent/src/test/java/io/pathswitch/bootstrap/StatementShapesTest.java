package io.pathswitch.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatementShapesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT * FROM t WHERE id = 42 | SELECT * FROM t WHERE id = ?",
        "select * from t where name = 'O''Brien' | select * from t where name = ?",
        "SELECT a FROM t WHERE x = 1.5e-3 AND y = 0x1F | SELECT a FROM t WHERE x = ? AND y = ?",
        "SELECT a FROM t WHERE id IN (1, 2, 3) | SELECT a FROM t WHERE id IN (?)",
        "SELECT a FROM t WHERE id in (?,?,?,?) | SELECT a FROM t WHERE id in (?)",
        "SELECT a FROM t WHERE c IN ('x', 'y') | SELECT a FROM t WHERE c IN (?)",
        "SELECT a FROM t WHERE id = $1 | SELECT a FROM t WHERE id = ?",
        "SELECT t1.a2 FROM t1 | SELECT t1.a2 FROM t1",
      })
  void writesTheShapeWithLiteralsReplacedAndListsCollapsed(String sql, String shape) {
    assertThat(StatementShapes.of(sql)).isEqualTo(shape);
  }

  @Test
  void dropsCommentsAndFoldsWhitespace() {
    String sql = "SELECT  a\n  FROM t -- why\n WHERE /* hint */ b = 2";

    assertThat(StatementShapes.of(sql)).isEqualTo("SELECT a FROM t WHERE b = ?");
  }

  @Test
  void hashesOneShapeAlikeWhateverItsLiteralsCaseAndSpacing() {
    long shape = StatementShapes.hash("SELECT name FROM reps WHERE id = ?");

    assertThat(StatementShapes.hash("select name from reps where id = 17")).isEqualTo(shape);
    assertThat(StatementShapes.hash("SELECT name\n FROM reps WHERE id=  -- x\n 99"))
        .isEqualTo(shape);
    assertThat(StatementShapes.hash("SELECT name FROM reps WHERE id = $1")).isEqualTo(shape);
  }

  @Test
  void hashesInListsOfAnyLengthAlike() {
    assertThat(StatementShapes.hash("SELECT a FROM t WHERE id IN (1)"))
        .isEqualTo(StatementShapes.hash("SELECT a FROM t WHERE id IN (1, 2, 3, 4, 5)"))
        .isEqualTo(StatementShapes.hash("SELECT a FROM t WHERE id IN (?, ?)"));
  }

  @Test
  void tellsDifferentShapesApart() {
    long byId = StatementShapes.hash("SELECT a FROM t WHERE id = ?");

    assertThat(StatementShapes.hash("SELECT a FROM t WHERE code = ?")).isNotEqualTo(byId);
    assertThat(StatementShapes.hash("SELECT a FROM u WHERE id = ?")).isNotEqualTo(byId);
    assertThat(StatementShapes.hash("SELECT ab FROM t WHERE id = ?")).isNotEqualTo(byId);
    assertThat(StatementShapes.hash("SELECT a b FROM t WHERE id = ?")).isNotEqualTo(byId);
    assertThat(StatementShapes.hash("SELECT \"A\" FROM t WHERE id = ?"))
        .isNotEqualTo(StatementShapes.hash("SELECT \"a\" FROM t WHERE id = ?"));
  }

  @Test
  void keepsAnInSubqueryWhole() {
    String sql = "SELECT a FROM t WHERE id IN (SELECT id FROM u WHERE k = 3)";

    assertThat(StatementShapes.of(sql))
        .isEqualTo("SELECT a FROM t WHERE id IN (SELECT id FROM u WHERE k = ?)");
  }

  @Test
  void survivesTextThatEndsInsideALiteralOrComment() {
    assertThat(StatementShapes.of("SELECT 'open")).isEqualTo("SELECT ?");
    assertThat(StatementShapes.of("SELECT a /* open")).isEqualTo("SELECT a");
    assertThat(StatementShapes.of("SELECT a FROM t WHERE id IN (1,")).endsWith("IN (?,");
    assertThat(StatementShapes.of("")).isEmpty();
  }
}
