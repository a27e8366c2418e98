package io.baton.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Correlation;
import org.junit.jupiter.api.Test;

/** The sqlcommenter comment: where it goes, what it holds, and when it is left out. */
class SqlCommentTest {

  private final Correlation root = Correlation.of("3f2c9a1e-5b7d-4e21-9c8a-1d2e3f4a5b6c", null);
  private final Correlation child = Correlation.of("child-id-0123456789", "parent-id-0123456789");

  @Test
  void the_comment_is_appended_with_the_id() {
    assertThat(SqlComment.append("select * from payments", root))
        .isEqualTo("select * from payments /*correlation_id='3f2c9a1e-5b7d-4e21-9c8a-1d2e3f4a5b6c'*/");
  }

  @Test
  void keys_are_sorted_and_the_parent_follows_the_id() {
    assertThat(SqlComment.append("update t set a = 1", child))
        .isEqualTo("update t set a = 1 /*correlation_id='child-id-0123456789',"
            + "parent_correlation_id='parent-id-0123456789'*/");
  }

  @Test
  void a_final_semicolon_stays_last() {
    assertThat(SqlComment.append("select 1;\n", root))
        .isEqualTo("select 1 /*correlation_id='3f2c9a1e-5b7d-4e21-9c8a-1d2e3f4a5b6c'*/;\n");
  }

  @Test
  void a_statement_that_holds_a_comment_is_left_alone_so_none_is_commented_twice() {
    String once = SqlComment.append("select 1", root);
    assertThat(SqlComment.append(once, child)).isSameAs(once);
    assertThat(SqlComment.append("select /*+ index(t) */ a from t", root)).isEqualTo("select /*+ index(t) */ a from t");
    assertThat(SqlComment.append("select a -- why\nfrom t", root)).isEqualTo("select a -- why\nfrom t");
  }

  @Test
  void no_sql_no_comment() {
    assertThat(SqlComment.append(null, root)).isNull();
    assertThat(SqlComment.current("select 1")).as("no correlation current").isEqualTo("select 1");
  }
}
