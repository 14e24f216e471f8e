package dev.mssql2mz.source;

import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
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
 * the large columns of tables that have them. Keyless tables are keyed by their other columns
 * (identical rows share one entry, which holds the same values).
 */
public final class LargeValueFiller
    extends KeyedProcessFunction<String, ChangeRecord, ChangeRecord> {

  private static final long serialVersionUID = 1L;

  private final Map<String, int[]> largeColumns;
  private static final Logger LOG = LoggerFactory.getLogger(LargeValueFiller.class);
  private static final int LOGGED_UNKNOWN_FILLS = 20;

  private transient ValueState<Object[]> last;
  private transient int unknownFills;

  private LargeValueFiller(Map<String, int[]> largeColumns) {
    this.largeColumns = largeColumns;
  }

  /** The stream with every omitted large value filled in. */
  public static SingleOutputStreamOperator<ChangeRecord> fill(
      DataStream<ChangeRecord> records, List<SourceTable> tables) {
    return records
        .keyBy(keySelector(tables), TypeInformation.of(String.class))
        .process(forTables(tables), ChangeRecordTypeInfo.INSTANCE)
        .name("fill-large-values");
  }

  /** The filler for these tables (keyed by {@link #keySelector(List)}). */
  static LargeValueFiller forTables(List<SourceTable> tables) {
    Map<String, int[]> large = new HashMap<>();
    for (SourceTable t : tables) {
      List<Integer> l = new ArrayList<>();
      for (int i = 0; i < t.columns().size(); i++) {
        if (t.columns().get(i).isLargeValue()) {
          l.add(i);
        }
      }
      large.put(t.targetName(), l.stream().mapToInt(Integer::intValue).toArray());
    }
    return new LargeValueFiller(large);
  }

  /** Keys by table and primary key; keyless tables by their columns other than the large ones. */
  static KeySelector<ChangeRecord, String> keySelector(List<SourceTable> tables) {
    Map<String, int[]> keys = new HashMap<>();
    for (SourceTable t : tables) {
      List<Integer> k = new ArrayList<>();
      for (int i = 0; i < t.columns().size(); i++) {
        SourceColumn c = t.columns().get(i);
        if (t.hasKey() ? t.keyColumns().contains(c.name()) : !c.isLargeValue()) {
          k.add(i);
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
      StringBuilder sb = new StringBuilder(r.table());
      for (int i : k) {
        Object v = r.values()[i];
        sb.append('\u0000').append(v instanceof byte[] ? Arrays.toString((byte[]) v) : v);
      }
      return sb.toString();
    }
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
    last =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("large-values", ObjectArrayTypeInfo.INSTANCE));
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
      // A table found after the job was built: no state for it; never pass placeholders on.
      out.collect(withoutPlaceholders(r));
      return;
    }
    if (cols.length == 0) {
      // Nothing to fill: no state at all, or every key of every table would hold an entry.
      out.collect(r);
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
}
