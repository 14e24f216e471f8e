package dev.mssql2mz.sink;

import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.udfs.Lsn;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small builders shared by the sink tests: two source tables, change rows, multiset reads. */
final class SinkFixtures {

  private SinkFixtures() {}

  /** {@code accounts(id int key, owner nvarchar(50), balance decimal(18,2))}. */
  static final SourceTable ACCOUNTS =
      new SourceTable(
          "dbo",
          "accounts",
          "accounts",
          List.of(
              new SourceColumn("id", "int", 4, 10, 0, false, false),
              new SourceColumn("owner", "nvarchar", 100, 0, 0, true, false),
              new SourceColumn("balance", "decimal", 9, 18, 2, true, false)),
          List.of("id"));

  /** {@code events(kind varchar(20), n int)}, keyless: duplicates are legal. */
  static final SourceTable EVENTS =
      new SourceTable(
          "dbo",
          "events",
          "events",
          List.of(
              new SourceColumn("kind", "varchar", 20, 0, 0, true, false),
              new SourceColumn("n", "int", 4, 10, 0, true, false)),
          List.of());

  static TargetModel model(String schema) {
    return new TargetModel(schema, "erp", List.of(ACCOUNTS, EVENTS));
  }

  static Lsn lsn(int n) {
    return Lsn.of(0, n, 0);
  }

  static ChangeRecord account(ChangeOperation op, int lsn, int id, String owner, String balance) {
    return new ChangeRecord(
        "accounts",
        op,
        new ChangePosition(lsn(lsn), 1, lsn(lsn), op.cdcCode()),
        new Object[] {id, owner, balance == null ? null : new BigDecimal(balance)});
  }

  static ChangeRecord event(ChangeOperation op, int lsn, String kind, Integer n) {
    return new ChangeRecord(
        "events",
        op,
        new ChangePosition(lsn(lsn), 1, lsn(lsn), op.cdcCode()),
        new Object[] {kind, n});
  }

  /** A batch of change rows of one table, as a writer would build it. */
  static ChangeBatch batch(TargetModel model, long epoch, int subtask, ChangeRecord... records) {
    ChangeBatch b = null;
    for (ChangeRecord r : records) {
      TableModel t = model.table(r.table());
      if (b == null) {
        b = new ChangeBatch(t);
      }
      String[] row = new String[t.columns().size() + 4];
      for (int i = 0; i < t.columns().size(); i++) {
        row[i] = TargetText.of(t.columns().get(i).convert(r.values()[i]));
      }
      int m = t.columns().size();
      row[m] = Long.toString(epoch);
      row[m + 1] = Integer.toString(subtask);
      row[m + 2] = TargetText.hex(r.position().commitLsn().toBytes());
      row[m + 3] = Integer.toString(r.diff());
      b.add(row);
    }
    return b;
  }

  /** The rows of a query as a multiset: each row's text joined by '|', with its count. */
  static Map<String, Integer> multiset(Connection c, String sql) throws SQLException {
    Map<String, Integer> rows = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> fields = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          fields.add(rs.getString(i));
        }
        rows.merge(String.join("|", fields), 1, Integer::sum);
      }
    }
    return rows;
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
