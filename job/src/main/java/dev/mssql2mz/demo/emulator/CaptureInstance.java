package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;
import java.time.Instant;
import java.util.List;

/** One capture instance: what {@code cdc.change_tables} and {@code cdc.captured_columns} hold. */
final class CaptureInstance {

  /** One captured column, with its ordinal in the capture instance (1-based, update mask bit). */
  static final class Column {
    final String name;
    final int ordinal;
    final int columnId;
    final SqlServerType type;

    Column(String name, int ordinal, int columnId, SqlServerType type) {
      this.name = name;
      this.ordinal = ordinal;
      this.columnId = columnId;
      this.type = type;
    }
  }

  final String name;
  final ObjectName source;
  final int objectId;
  final int sourceObjectId;
  final List<Column> columns;
  final List<String> indexColumns;
  final String indexName;
  final String roleName;
  final boolean supportsNetChanges;
  final Instant createDate;

  /** Changes committed at or below this LSN predate the instance and are not captured. */
  final Lsn createLsn;

  private volatile Lsn startLsn;

  CaptureInstance(
      String name,
      ObjectName source,
      int objectId,
      int sourceObjectId,
      List<Column> columns,
      List<String> indexColumns,
      String indexName,
      String roleName,
      boolean supportsNetChanges,
      Instant createDate,
      Lsn createLsn) {
    this.name = name;
    this.source = source;
    this.objectId = objectId;
    this.sourceObjectId = sourceObjectId;
    this.columns = List.copyOf(columns);
    this.indexColumns = List.copyOf(indexColumns);
    this.indexName = indexName;
    this.roleName = roleName;
    this.supportsNetChanges = supportsNetChanges;
    this.createDate = createDate;
    this.createLsn = createLsn;
    this.startLsn = createLsn;
  }

  /** {@code cdc.change_tables.start_lsn}: raised by cleanup. */
  Lsn startLsn() {
    return startLsn;
  }

  void setStartLsn(Lsn lsn) {
    this.startLsn = lsn;
  }

  /** The change table, {@code cdc.<name>_CT}. */
  ObjectName changeTable() {
    return new ObjectName("cdc", name + "_CT");
  }
}
