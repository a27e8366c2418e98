package io.baton;

import java.util.Objects;
import java.util.Optional;

/**
 * The correlation of a piece of work: its ID and, when it was spawned by other work, the ID of
 * that work (its parent). Immutable, with value equality.
 *
 * <pre>{@code
 * Correlation order = Correlation.newRoot();      // a user's click
 * Correlation receipt = order.newChild();         // work it spawned
 * receipt.parentId();                             // Optional[order.id()]
 * }</pre>
 *
 * <p>IDs are opaque: 16-64 characters of letters, digits, {@code -} and {@code _}; fresh ones are
 * random UUID v4 strings, never derived from user data.
 */
public final class Correlation {

  private final String id;
  private final String parentId;

  Correlation(String id, String parentId) {
    this.id = id;
    this.parentId = parentId;
  }

  /**
   * A fresh correlation with no parent.
   *
   * @return a new root correlation with a fresh random ID
   */
  public static Correlation newRoot() {
    return new Correlation(Ids.newUuidV4(), null);
  }

  /**
   * The correlation with the given IDs.
   *
   * @param id the correlation ID
   * @param parentId the parent's ID, or {@code null} for a root
   * @return the correlation
   * @throws IllegalArgumentException when {@code id} or a non-null {@code parentId} is not a valid
   *     ID (see {@link #isValidId(CharSequence)})
   */
  public static Correlation of(String id, String parentId) {
    if (!Ids.isValid(id)) {
      throw new IllegalArgumentException("Not a valid correlation ID: " + describe(id));
    }
    if (parentId != null && !Ids.isValid(parentId)) {
      throw new IllegalArgumentException("Not a valid parent correlation ID: " + describe(parentId));
    }
    return new Correlation(id, parentId);
  }

  /**
   * Whether {@code value} is a valid correlation ID: 16 to 64 characters, each one of {@code
   * A-Z}, {@code a-z}, {@code 0-9}, {@code -} or {@code _}. Null is not valid.
   *
   * @param value the candidate ID; may be {@code null}
   * @return {@code true} when {@code value} may be used as a correlation ID
   */
  public static boolean isValidId(CharSequence value) {
    return Ids.isValid(value);
  }

  /**
   * A fresh correlation whose parent is this one.
   *
   * @return a new child correlation with a fresh random ID
   */
  public Correlation newChild() {
    return new Correlation(Ids.newUuidV4(), id);
  }

  Correlation newChild(String childId) {
    return new Correlation(childId, id);
  }

  /**
   * This correlation's ID.
   *
   * @return the ID, always valid
   */
  public String id() {
    return id;
  }

  /**
   * The parent's ID, empty for a root.
   *
   * @return the parent's ID, or empty for a root
   */
  public Optional<String> parentId() {
    return Optional.ofNullable(parentId);
  }

  String parentIdOrNull() {
    return parentId;
  }

  private static String describe(String value) {
    return value == null ? "null" : Ids.describe(value);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Correlation)) {
      return false;
    }
    Correlation that = (Correlation) other;
    return id.equals(that.id) && Objects.equals(parentId, that.parentId);
  }

  @Override
  public int hashCode() {
    return 31 * id.hashCode() + Objects.hashCode(parentId);
  }

  @Override
  public String toString() {
    return parentId == null
        ? "Correlation{id=" + id + "}"
        : "Correlation{id=" + id + ", parentId=" + parentId + "}";
  }
}
