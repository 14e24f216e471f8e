package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills in the large values CDC leaves out of change rows ({@link UnchangedLargeValue}) with the
 * last value of the same key, kept in keyed state: the snapshot and every insert or update-after
 * store the key's large values, a delete clears them. Materialize has to exclude such columns; we
 * deliver them.
 *
 * <p>Why a keyed operator after the source rather than state in the reader: the values of every key
 * of every table with large columns must survive restarts and may not fit in memory; Flink's keyed
 * state (RocksDB if configured) scales and is checkpointed with the records. The state holds only
 * the large columns of tables that have them.
 *
 * <p>Keyless tables with large columns are keyed by table, and hold per combination of their other
 * columns the multiset of large values ({@link KeylessLargeValues}): an update of such a row may
 * change those other columns, so its before and after rows must meet in one place, and identical
 * rows must each keep their values when one of them is deleted. An update-after row takes the
 * values CDC left out from the update-before row just read.
 */
public final class LargeValueFiller extends KeyedProcessFunction<String, ChangeRecord, ChangeRecord>
    implements CheckpointedFunction {

  private static final long serialVersionUID = 1L;

  private final Map<String, int[]> largeColumns;
  private final Map<String, int[]> keylessRowColumns;
  private final Map<String, String[]> columnNames;
  private final boolean onlyKnownTables;

  /** Per table, how its state is keyed and laid out; checked against a restored checkpoint. */
  private final Map<String, String> layouts;

  private static final Logger LOG = LoggerFactory.getLogger(LargeValueFiller.class);
  private static final int LOGGED_UNKNOWN_FILLS = 20;

  private transient ValueState<Object[]> last;
  private transient MapState<String, Object[]> keylessRows;
  private transient ValueState<Object[]> keylessBefore;
  private transient int unknownFills;
  private transient ListState<String> layoutState;
  private transient Set<String> droppedTables;

  private LargeValueFiller(
      Map<String, int[]> largeColumns,
      Map<String, int[]> keylessRowColumns,
      Map<String, String[]> columnNames,
      Map<String, String> layouts,
      boolean onlyKnownTables) {
    this.largeColumns = largeColumns;
    this.keylessRowColumns = keylessRowColumns;
    this.columnNames = columnNames;
    this.onlyKnownTables = onlyKnownTables;
    this.layouts = layouts;
  }

  /**
   * The stream with every omitted large value filled in. With {@code onlyKnownTables}, rows of
   * other tables are dropped: the downstream was built for {@code tables} alone (a table removed
   * from the job's selection can still arrive from a stream restored from a savepoint).
   */
  public static SingleOutputStreamOperator<ChangeRecord> fill(
      DataStream<ChangeRecord> records, List<SourceTable> tables, boolean onlyKnownTables) {
    return records
        .keyBy(keySelector(tables), TypeInformation.of(String.class))
        .process(forTables(tables, onlyKnownTables), ChangeRecordTypeInfo.INSTANCE)
        .name("fill-large-values");
  }

  /** The filler for these tables (keyed by {@link #keySelector(List)}), passing on others. */
  static LargeValueFiller forTables(List<SourceTable> tables) {
    return forTables(tables, false);
  }

  /** The filler for these tables (keyed by {@link #keySelector(List)}). */
  static LargeValueFiller forTables(List<SourceTable> tables, boolean onlyKnownTables) {
    Map<String, int[]> large = new HashMap<>();
    Map<String, int[]> keyless = new HashMap<>();
    Map<String, String[]> names = new HashMap<>();
    Map<String, String> layouts = new HashMap<>();
    for (SourceTable t : tables) {
      layouts.put(
          t.targetName(),
          (t.hasKey() ? "key " + t.keyColumns() : "no key")
              + ", large columns "
              + t.columns().stream()
                  .filter(SourceColumn::isLargeValue)
                  .map(SourceColumn::name)
                  .toList());
      large.put(t.targetName(), indexes(t, true));
      names.put(
          t.targetName(), t.columns().stream().map(SourceColumn::name).toArray(String[]::new));
      if (isKeylessWithLargeValues(t)) {
        keyless.put(t.targetName(), indexes(t, false));
      }
    }
    return new LargeValueFiller(large, keyless, names, layouts, onlyKnownTables);
  }

  private static int[] indexes(SourceTable t, boolean largeValue) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < t.columns().size(); i++) {
      if (t.columns().get(i).isLargeValue() == largeValue) {
        l.add(i);
      }
    }
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean isKeylessWithLargeValues(SourceTable t) {
    return !t.hasKey() && t.columns().stream().anyMatch(SourceColumn::isLargeValue);
  }

  /**
   * Keys by table and primary key; keyless tables with large columns by table alone, other keyless
   * tables by all their columns (only to spread them: they need no state).
   */
  static KeySelector<ChangeRecord, String> keySelector(List<SourceTable> tables) {
    Map<String, int[]> keys = new HashMap<>();
    for (SourceTable t : tables) {
      List<Integer> k = new ArrayList<>();
      if (!isKeylessWithLargeValues(t)) {
        for (int i = 0; i < t.columns().size(); i++) {
          SourceColumn c = t.columns().get(i);
          if (!t.hasKey() || t.keyColumns().contains(c.name())) {
            k.add(i);
          }
        }
      }
      keys.put(t.targetName(), k.stream().mapToInt(Integer::intValue).toArray());
    }
    return new RowKey(keys);
  }

  /** Table and key column values as one string key. */
  static final class RowKey implements KeySelector<ChangeRecord, String> {
    private static final long serialVersionUID = 1L;
    private final Map<String, int[]> keys;

    RowKey(Map<String, int[]> keys) {
      this.keys = keys;
    }

    @Override
    public String getKey(ChangeRecord r) {
      int[] k = keys.get(r.table());
      if (r.isProgress() || k == null) {
        return r.table();
      }
      return valuesKey(r.table(), r.values(), k);
    }
  }

  /** The table's name and the values at {@code columns} as one string. */
  static String valuesKey(String table, Object[] values, int[] columns) {
    StringBuilder sb = new StringBuilder(table);
    for (int i : columns) {
      Object v = values[i];
      sb.append('\u0000').append(v instanceof byte[] ? Arrays.toString((byte[]) v) : v);
    }
    return sb.toString();
  }

  private static ChangeRecord withoutPlaceholders(ChangeRecord r) {
    Object[] v = r.values();
    for (int i = 0; i < v.length; i++) {
      if (v[i] instanceof UnchangedLargeValue) {
        v = v == r.values() ? v.clone() : v;
        v[i] = null;
      }
    }
    return v == r.values() ? r : new ChangeRecord(r.table(), r.operation(), r.position(), v);
  }

  @Override
  public void open(OpenContext ctx) {
    droppedTables = new HashSet<>();
    last =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("large-values", ObjectArrayTypeInfo.INSTANCE));
    keylessRows =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "keyless-large-values",
                    TypeInformation.of(String.class),
                    ObjectArrayTypeInfo.INSTANCE));
    keylessBefore =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("keyless-update-before", ObjectArrayTypeInfo.INSTANCE));
  }

  @Override
  public void processElement(ChangeRecord r, Context ctx, Collector<ChangeRecord> out)
      throws Exception {
    int[] cols = largeColumns.get(r.table());
    if (r.isProgress()) {
      out.collect(r);
      return;
    }
    if (cols == null) {
      if (onlyKnownTables) {
        if (droppedTables.add(r.table())) {
          LOG.warn(
              "Table {} is not among the tables this job was built for (removed from the source's"
                  + " tables since the savepoint it restored?); its changes are dropped and its"
                  + " target relations keep their last committed data.",
              r.table());
        }
        return;
      }
      // A table found after the job was built: no state for it; never pass placeholders on.
      out.collect(withoutPlaceholders(r));
      return;
    }
    if (cols.length == 0) {
      // Nothing to fill: no state at all, or every key of every table would hold an entry.
      out.collect(r);
      return;
    }
    int[] rowColumns = keylessRowColumns.get(r.table());
    if (rowColumns != null) {
      out.collect(fillKeyless(r, cols, rowColumns));
      return;
    }
    Object[] stored = last.value();
    Object[] values = r.values();
    boolean copied = false;
    for (int j = 0; j < cols.length; j++) {
      if (values[cols[j]] instanceof UnchangedLargeValue) {
        if (!copied) {
          values = values.clone();
          copied = true;
        }
        values[cols[j]] = stored == null ? null : stored[j];
        if (stored == null && unknownFills++ < LOGGED_UNKNOWN_FILLS) {
          // CDC left the value out and this key has no earlier row here: the NULL sent on is a
          // guess. It happens for keys whose first row was never seen (e.g. state lost).
          LOG.warn(
              "{} of table {} at {}: CDC omitted large column #{}, and no earlier value of this"
                  + " key is known; sent as NULL",
              r.operation(),
              r.table(),
              r.position(),
              cols[j]);
        }
      }
    }
    switch (r.operation()) {
      case SNAPSHOT:
      case INSERT:
      case UPDATE_AFTER:
        Object[] keep = new Object[cols.length];
        for (int j = 0; j < cols.length; j++) {
          keep[j] = values[cols[j]];
        }
        last.update(keep);
        break;
      case DELETE:
        last.clear();
        break;
      default:
        break;
    }
    out.collect(copied ? new ChangeRecord(r.table(), r.operation(), r.position(), values) : r);
  }

  private ChangeRecord fillKeyless(ChangeRecord r, int[] cols, int[] rowColumns) throws Exception {
    Object[] values = r.values();
    Object[] large = new Object[cols.length];
    for (int j = 0; j < cols.length; j++) {
      large[j] = values[cols[j]];
    }
    String row = rowKey(values, rowColumns);
    Object[] filled = large;
    switch (r.operation()) {
      case SNAPSHOT:
      case INSERT:
        filled = withoutPlaceholders(large);
        keylessRows.put(row, KeylessLargeValues.add(keylessRows.get(row), filled));
        break;
      case UPDATE_AFTER:
        Object[] before = beforeOf(r, keylessBefore.value());
        filled = large.clone();
        for (int j = 0; j < cols.length; j++) {
          if (filled[j] instanceof UnchangedLargeValue) {
            // Omitted because unchanged: the value the update-before row had.
            filled[j] = before == null ? null : before[j];
            if (before == null) {
              warnUnknown(r, cols[j]);
            }
          }
        }
        keylessBefore.clear();
        keylessRows.put(row, KeylessLargeValues.add(keylessRows.get(row), filled));
        break;
      case DELETE:
      case UPDATE_BEFORE:
        KeylessLargeValues.Taken taken;
        try {
          taken = KeylessLargeValues.take(keylessRows.get(row), large);
        } catch (KeylessLargeValues.AmbiguousException e) {
          throw new AmbiguousLargeValueException(r, columnName(r.table(), cols[e.column()]));
        }
        filled = taken.values();
        if (!taken.known()) {
          for (int j = 0; j < cols.length; j++) {
            if (large[j] instanceof UnchangedLargeValue) {
              warnUnknown(r, cols[j]);
            }
          }
        }
        if (taken.remaining() == null) {
          keylessRows.remove(row);
        } else {
          keylessRows.put(row, taken.remaining());
        }
        if (r.operation() == ChangeOperation.UPDATE_BEFORE) {
          keylessBefore.update(withPosition(r, filled));
        }
        break;
      default:
        break;
    }
    if (filled == large) {
      return r;
    }
    Object[] out = values.clone();
    for (int j = 0; j < cols.length; j++) {
      out[cols[j]] = filled[j];
    }
    return new ChangeRecord(r.table(), r.operation(), r.position(), out);
  }

  /**
   * The key of a keyless row's other columns inside its table's state: NULL and each value's length
   * are explicit, so no two different rows share a key.
   */
  private static String rowKey(Object[] values, int[] columns) {
    StringBuilder sb = new StringBuilder();
    for (int i : columns) {
      Object v = values[i];
      if (v == null) {
        sb.append('N');
      } else {
        String text = v instanceof byte[] ? Arrays.toString((byte[]) v) : v.toString();
        sb.append('V').append(text.length()).append(':').append(text);
      }
    }
    return sb.toString();
  }

  /** The update-before's filled values, tagged with the change they belong to. */
  private static Object[] withPosition(ChangeRecord r, Object[] filled) {
    Object[] tagged = new Object[filled.length + 3];
    tagged[0] = r.position().commitLsn().toBytes();
    tagged[1] = r.position().commandId();
    tagged[2] = r.position().seqval().toBytes();
    System.arraycopy(filled, 0, tagged, 3, filled.length);
    return tagged;
  }

  /**
   * The values the update-before row of this update-after left, or null when the last update-before
   * was another change's (its pair never arrived here).
   */
  private static Object[] beforeOf(ChangeRecord after, Object[] tagged) {
    if (tagged == null
        || !Arrays.equals((byte[]) tagged[0], after.position().commitLsn().toBytes())
        || ((Long) tagged[1]) != after.position().commandId()
        || !Arrays.equals((byte[]) tagged[2], after.position().seqval().toBytes())) {
      return null;
    }
    return Arrays.copyOfRange(tagged, 3, tagged.length);
  }

  private static Object[] withoutPlaceholders(Object[] large) {
    Object[] v = large;
    for (int j = 0; j < v.length; j++) {
      if (v[j] instanceof UnchangedLargeValue) {
        v = v == large ? v.clone() : v;
        v[j] = null;
      }
    }
    return v;
  }

  private String columnName(String table, int column) {
    String[] names = columnNames.get(table);
    return names == null || column >= names.length ? "#" + column : names[column];
  }

  private void warnUnknown(ChangeRecord r, int column) {
    if (unknownFills++ < LOGGED_UNKNOWN_FILLS) {
      // CDC left the value out and no earlier row with these values is known here: the NULL sent
      // on is a guess. It happens for rows whose first appearance was never seen (e.g. state lost).
      LOG.warn(
          "{} of table {} at {}: CDC omitted large column {}, and no earlier value of this row is"
              + " known; sent as NULL",
          r.operation(),
          r.table(),
          r.position(),
          columnName(r.table(), column));
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    layoutState.update(
        layouts.entrySet().stream().map(e -> e.getKey() + "\u0000" + e.getValue()).toList());
  }

  /**
   * Refuses a checkpoint whose large-value state was keyed or laid out differently for a table (its
   * primary key or its large columns changed since): that state would no longer be found, and
   * omitted values would silently become NULL.
   */
  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    layoutState =
        context
            .getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>("large-value-layouts", String.class));
    if (!context.isRestored()) {
      return;
    }
    for (String entry : layoutState.get()) {
      int at = entry.indexOf('\u0000');
      String table = entry.substring(0, at);
      String restored = entry.substring(at + 1);
      String now = layouts.get(table);
      if (now != null && !now.equals(restored)) {
        throw new LargeValueLayoutChangedException(table, restored, now);
      }
    }
  }
}
