package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL Server's CDC stored procedures as the emulator runs them: binds named ({@code @source_schema
 * = N'dbo'}) or positional arguments by SQL Server's parameter order, checks the required ones, and
 * calls {@link CdcAdmin}.
 */
final class CdcProcedures {

  private CdcProcedures() {}

  /**
   * Runs a CDC procedure sent as T-SQL ({@code EXEC sys.sp_cdc_enable_table @source_schema = ...}).
   */
  static void execute(
      CdcAdmin admin, String procedure, List<TsqlCommand.Arg> args, Map<Integer, Object> parameters)
      throws SQLException {
    switch (procedure) {
      case "sp_cdc_enable_db":
      case "rds_cdc_enable_db":
        admin.enableDatabase();
        return;
      case "sp_cdc_disable_db":
      case "rds_cdc_disable_db":
        admin.disableDatabase();
        return;
      case "sp_cdc_enable_table":
        {
          Map<String, Object> a =
              bind(
                  procedure,
                  args,
                  parameters,
                  "source_schema",
                  "source_name",
                  "role_name",
                  "capture_instance",
                  "supports_net_changes",
                  "index_name",
                  "captured_column_list",
                  "filegroup_name",
                  "allow_partition_switch");
          for (String required : new String[] {"source_schema", "source_name", "role_name"}) {
            if (!a.containsKey(required)) {
              throw new SQLException(
                  "Procedure or function 'sp_cdc_enable_table' expects parameter '@"
                      + required
                      + "', which was not supplied.",
                  "S0001",
                  201);
            }
          }
          CdcTableOptions o =
              CdcTableOptions.of(str(a, "source_schema"), str(a, "source_name"))
                  .roleName(str(a, "role_name"))
                  .captureInstance(str(a, "capture_instance"))
                  .indexName(str(a, "index_name"))
                  .supportsNetChanges("1".equals(str(a, "supports_net_changes")));
          String list = str(a, "captured_column_list");
          if (list != null) {
            o.capturedColumns(
                TsqlDdl.splitTopLevel(TsqlRewrites.mask(list, new ArrayList<>()))
                    .toArray(new String[0]));
          }
          admin.enableTable(o);
          return;
        }
      case "sp_cdc_disable_table":
        {
          Map<String, Object> a =
              bind(procedure, args, parameters, "source_schema", "source_name", "capture_instance");
          admin.disableTable(
              new ObjectName(str(a, "source_schema"), str(a, "source_name")),
              str(a, "capture_instance"));
          return;
        }
      case "sp_cdc_start_job":
        admin.emulator().startCaptureJob();
        return;
      case "sp_cdc_stop_job":
        admin.emulator().stopCaptureJob();
        return;
      case "sp_cdc_cleanup_change_table":
        {
          Map<String, Object> a =
              bind(procedure, args, parameters, "capture_instance", "low_water_mark", "threshold");
          Object mark = a.get("low_water_mark");
          Lsn lsn =
              mark instanceof byte[]
                  ? Lsn.fromBytes((byte[]) mark)
                  : Lsn.parse(String.valueOf(mark));
          admin.cleanup(str(a, "capture_instance"), lsn);
          return;
        }
      default:
        throw new SQLException(
            "Could not find stored procedure '"
                + procedure
                + "' (the emulator knows sp_cdc_enable_db,"
                + " sp_cdc_disable_db, sp_cdc_enable_table, sp_cdc_disable_table, sp_cdc_start_job,"
                + " sp_cdc_stop_job, sp_cdc_cleanup_change_table).",
            "S0001",
            2812);
    }
  }

  private static Map<String, Object> bind(
      String procedure,
      List<TsqlCommand.Arg> args,
      Map<Integer, Object> parameters,
      String... names)
      throws SQLException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      TsqlCommand.Arg arg = args.get(i);
      String name = arg.name != null ? arg.name : i < names.length ? names[i] : null;
      if (name == null || !List.of(names).contains(name)) {
        throw new SQLException(
            "Procedure or function "
                + procedure
                + " has too many arguments specified, or no parameter @"
                + name
                + ".",
            "S0001",
            8144);
      }
      Object value =
          arg.parameterIndex > 0
              ? (parameters == null ? null : parameters.get(arg.parameterIndex))
              : arg.value;
      out.put(name, value);
    }
    return out;
  }

  private static String str(Map<String, Object> a, String key) {
    Object v = a.get(key);
    return v == null ? null : String.valueOf(v);
  }
}
