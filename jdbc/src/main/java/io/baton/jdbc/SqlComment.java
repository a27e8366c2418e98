package io.baton.jdbc;

import io.baton.Baton;
import io.baton.Correlation;

/**
 * The sqlcommenter comment for a correlation: {@code key='value'} pairs, keys sorted, appended to
 * the statement (before a final {@code ;}). Keys and values need no URL-encoding or escaping: the
 * keys are fixed and a valid ID holds only unreserved characters ({@code [A-Za-z0-9_-]}).
 */
final class SqlComment {

  private SqlComment() {}

  /**
   * {@code sql} with the current correlation's comment, or {@code sql} itself when no correlation
   * is current or the statement already holds a comment: the spec leaves such statements alone,
   * and so a statement is never commented twice.
   */
  static String current(String sql) {
    Correlation correlation = Baton.current().orElse(null);
    return correlation == null ? sql : append(sql, correlation);
  }

  static String append(String sql, Correlation correlation) {
    if (sql == null || sql.contains("/*") || sql.contains("--")) {
      return sql;
    }
    String id = correlation.id();
    String parent = correlation.parentId().orElse(null);
    if (!Correlation.isValidId(id) || (parent != null && !Correlation.isValidId(parent))) {
      return sql; // a Correlation holds only valid IDs; this keeps the promise without relying on it
    }
    int end = sql.length();
    while (end > 0 && Character.isWhitespace(sql.charAt(end - 1))) {
      end--;
    }
    if (end > 0 && sql.charAt(end - 1) == ';') {
      end--;
    }
    StringBuilder out = new StringBuilder(sql.length() + 110)
        .append(sql, 0, end)
        .append(" /*")
        .append(Baton.ID_KEY).append("='").append(id).append('\'');
    if (parent != null) {
      out.append(',').append(Baton.PARENT_KEY).append("='").append(parent).append('\'');
    }
    return out.append("*/").append(sql, end, sql.length()).toString();
  }
}
