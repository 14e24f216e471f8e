package dev.mssql2mz.sink;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Installs the {@link MaterializeGuard} before any test of a class runs and fails a test during
 * which a Materialize-dialect connection issued a statement Materialize would reject. Registered
 * for every test class of this module through JUnit's extension auto-detection ({@code
 * META-INF/services/org.junit.jupiter.api.extension.Extension}, enabled in {@code
 * junit-platform.properties}), so no Materialize-dialect test can run unguarded.
 */
public final class MaterializeGuardExtension
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    MaterializeGuard.install();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    failOnViolations("test " + context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    failOnViolations("class " + context.getDisplayName());
  }

  private static void failOnViolations(String where) {
    List<String> violations = MaterializeGuard.takeViolations();
    if (!violations.isEmpty()) {
      throw new AssertionError(
          "Materialize would reject "
              + violations.size()
              + " statement(s) issued during "
              + where
              + ":\n  "
              + String.join("\n  ", violations));
    }
  }
}
