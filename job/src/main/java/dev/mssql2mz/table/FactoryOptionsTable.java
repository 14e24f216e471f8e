package dev.mssql2mz.table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.util.TimeUtils;

/**
 * The options of a table factory as the README's Markdown table: required options first, then the
 * optional ones, each with its default and description (a test keeps the README in step).
 */
public final class FactoryOptionsTable {

  private FactoryOptionsTable() {}

  public static String markdown(DynamicTableFactory factory) {
    StringBuilder sb = new StringBuilder("| option | required | default | what it does |\n");
    sb.append("|---|---|---|---|\n");
    sb.append("| `connector` | yes | | `").append(factory.factoryIdentifier()).append("` |\n");
    for (ConfigOption<?> o : sorted(factory.requiredOptions())) {
      row(sb, o, "yes");
    }
    for (ConfigOption<?> o : sorted(factory.optionalOptions())) {
      row(sb, o, "no");
    }
    return sb.toString();
  }

  private static List<ConfigOption<?>> sorted(java.util.Set<ConfigOption<?>> options) {
    List<ConfigOption<?>> list = new ArrayList<>(options);
    list.sort(Comparator.comparing(ConfigOption::key));
    return list;
  }

  private static void row(StringBuilder sb, ConfigOption<?> o, String required) {
    sb.append("| `")
        .append(o.key())
        .append("` | ")
        .append(required)
        .append(" | ")
        .append(o.hasDefaultValue() ? "`" + defaultText(o.defaultValue()) + "`" : "")
        .append(" | ")
        .append(text(o).replace("|", "\\|").replace("\n", " "))
        .append(" |\n");
  }

  private static String defaultText(Object value) {
    return value instanceof Duration
        ? TimeUtils.formatWithHighestUnit((Duration) value)
        : String.valueOf(value);
  }

  private static String text(ConfigOption<?> o) {
    StringBuilder sb = new StringBuilder();
    for (BlockElement b : o.description().getBlocks()) {
      if (b instanceof TextElement) {
        sb.append(((TextElement) b).getFormat());
      }
    }
    return sb.toString().strip();
  }
}
