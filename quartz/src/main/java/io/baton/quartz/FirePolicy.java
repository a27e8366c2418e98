package io.baton.quartz;

/**
 * Which correlation a run of a tagged job gets.
 *
 * <table>
 *   <caption>Correlation per run</caption>
 *   <tr><th>policy</th><th>tagged job</th><th>untagged job</th></tr>
 *   <tr><td>{@link #CONTINUE}</td><td>the tagged correlation itself</td><td>a fresh root per fire</td></tr>
 *   <tr><td>{@link #CHILD}</td><td>a fresh ID per fire, parent = the tagged ID</td><td>a fresh root per fire</td></tr>
 *   <tr><td>{@link #AUTO} (default)</td><td>one-shot trigger: {@code CONTINUE}; repeating: {@code CHILD}</td><td>a fresh root per fire</td></tr>
 * </table>
 */
public enum FirePolicy {
  /** A one-shot trigger continues the scheduling request; a repeating one spawns children. */
  AUTO,
  /** Every fire runs under the tagged correlation. */
  CONTINUE,
  /** Every fire gets its own ID whose parent is the tagged one. */
  CHILD
}
