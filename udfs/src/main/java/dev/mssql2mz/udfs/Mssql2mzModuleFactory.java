package dev.mssql2mz.udfs;

import java.util.Collections;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.factories.ModuleFactory;
import org.apache.flink.table.module.Module;

/** Makes {@code LOAD MODULE mssql2mz} find {@link Mssql2mzModule}; it takes no options. */
public final class Mssql2mzModuleFactory implements ModuleFactory {

  /** The name in {@code LOAD MODULE mssql2mz}. */
  public static final String IDENTIFIER = "mssql2mz";

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Collections.emptySet();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Collections.emptySet();
  }

  @Override
  public Module createModule(Context context) {
    return new Mssql2mzModule();
  }
}
