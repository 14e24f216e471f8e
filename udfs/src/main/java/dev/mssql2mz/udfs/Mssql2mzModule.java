package dev.mssql2mz.udfs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.module.Module;

/**
 * A Flink {@link Module} with every mssql2mz function, so that {@code LOAD MODULE mssql2mz} (via
 * {@link Mssql2mzModuleFactory}) or {@code tableEnv.loadModule("mssql2mz", new Mssql2mzModule())}
 * makes them available without one {@code CREATE FUNCTION} each.
 */
public final class Mssql2mzModule implements Module {

  /** The functions by SQL name, as registered with {@code CREATE FUNCTION name AS 'class'}. */
  public static final Map<String, Class<? extends FunctionDefinition>> FUNCTIONS;

  static {
    Map<String, Class<? extends FunctionDefinition>> f = new LinkedHashMap<>();
    f.put("LSN_TO_STRING", LsnToString.class);
    f.put("LSN_FROM_STRING", LsnFromString.class);
    f.put("LSN_COMPARE", LsnCompare.class);
    f.put("LSN_INCREMENT", LsnIncrement.class);
    f.put("CDC_OPERATION_NAME", CdcOperationName.class);
    f.put("CDC_COLUMN_UPDATED", CdcColumnUpdated.class);
    f.put("MZ_ROUND_TIMESTAMP", MzRoundTimestamp.class);
    FUNCTIONS = Collections.unmodifiableMap(f);
  }

  private final Map<String, FunctionDefinition> definitions = new LinkedHashMap<>();

  public Mssql2mzModule() {
    definitions.put("lsn_to_string", new LsnToString());
    definitions.put("lsn_from_string", new LsnFromString());
    definitions.put("lsn_compare", new LsnCompare());
    definitions.put("lsn_increment", new LsnIncrement());
    definitions.put("cdc_operation_name", new CdcOperationName());
    definitions.put("cdc_column_updated", new CdcColumnUpdated());
    definitions.put("mz_round_timestamp", new MzRoundTimestamp());
  }

  @Override
  public Set<String> listFunctions() {
    return Collections.unmodifiableSet(definitions.keySet());
  }

  /** Looks names up case-insensitively, as SQL function names are. */
  @Override
  public Optional<FunctionDefinition> getFunctionDefinition(String name) {
    return Optional.ofNullable(definitions.get(name.toLowerCase(Locale.ROOT)));
  }
}
