package dev.mssql2mz.sink;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the {@link MaterializeGuard} before any test of a class runs and fails a test during
 * which a Materialize-dialect connection issued a statement Materialize would reject. Registered
 * for every test class of this module through JUnit's extension auto-detection ({@code
 * META-INF/services/org.junit.jupiter.api.extension.Extension}, enabled in {@code
 * junit-platform.properties}), so no Materialize-dialect test can run unguarded.
 */
public final class MaterializeGuardExtension
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  private static final Logger LOG = LoggerFactory.getLogger(MaterializeGuardExtension.class);

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
    LOG.info(
        "Materialize-rules guard after {}: {} statements checked on {} connections in this JVM",
        context.getDisplayName(),
        MaterializeGuard.statementsChecked(),
        MaterializeGuard.connectionsGuarded());
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
