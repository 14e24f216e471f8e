package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;

/**
 * One row image change of a transaction, as the capture trigger saw it: the row before (null for an
 * insert) and after (null for a delete), in the table's column layout at that time, the statement
 * number inside the transaction ({@code __$command_id}) and, once committed, its log LSN ({@code
 * __$seqval}).
 */
final class RowChange {

  final TrackedTable table;
  final String[] layout;
  final int commandId;
  final Object[] before;
  final Object[] after;
  Lsn seqval;

  RowChange(TrackedTable table, String[] layout, int commandId, Object[] before, Object[] after) {
    this.table = table;
    this.layout = layout;
    this.commandId = commandId;
    this.before = before;
    this.after = after;
  }
}
