/**
 * Baton's test kit for users' JUnit 5 tests.
 *
 * <p>{@link io.baton.test.BatonTest} is the extension: it fails a test that leaves a correlation
 * or Baton's MDC keys behind (on the test thread, and on the threads of the executors and tasks it
 * checks), and captures every log line with the IDs it carried as {@link io.baton.test.LogLine}s.
 * {@link io.baton.test.BatonAssertions} asserts lineage between lines: the same correlation, a
 * child of another, a fresh root.
 *
 * <pre>{@code
 * @RegisterExtension final BatonTest baton = BatonTest.create();
 * }</pre>
 *
 * <p>Log capture needs Logback ({@code logback-classic}) as the SLF4J backend; the leak check
 * works with any backend.
 */
package io.baton.test;
