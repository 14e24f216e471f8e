package dev.mssql2mz.table;

import dev.mssql2mz.config.SslMode;
import dev.mssql2mz.config.TargetDialectKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.api.ValidationException;

/** Parses the table factories' enumerated option values, naming the option and what it allows. */
final class OptionValues {

  private OptionValues() {}

  static SslMode sslMode(String option, String value) {
    List<String> allowed = new ArrayList<>();
    for (SslMode m : SslMode.values()) {
      if (m.configName().equals(value.toLowerCase(Locale.ROOT))) {
        return m;
      }
      allowed.add(m.configName());
    }
    throw invalid(option, value, allowed);
  }

  static TargetDialectKind dialect(String option, String value) {
    List<String> allowed = new ArrayList<>();
    for (TargetDialectKind d : TargetDialectKind.values()) {
      if (d.configName().equals(value.toLowerCase(Locale.ROOT))) {
        return d;
      }
      allowed.add(d.configName());
    }
    throw invalid(option, value, allowed);
  }

  static ValidationException invalid(String option, String value, List<String> allowed) {
    return new ValidationException(
        "Option '"
            + option
            + "' has the value '"
            + value
            + "', which is not allowed. Allowed values: "
            + String.join(", ", allowed)
            + ".");
  }
}
