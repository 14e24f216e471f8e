package dev.mssql2mz.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.sqlserver.SourceColumn;
import dev.mssql2mz.sqlserver.SourceTable;
import dev.mssql2mz.udfs.Lsn;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class LargeValueFillerTest {

  private static final SourceTable DOCS =
      new SourceTable(
          "dbo",
          "docs",
          "docs",
          List.of(
              new SourceColumn("id", "int", 4, 10, 0, false, false),
              new SourceColumn("body", "nvarchar", -1, 0, 0, true, false),
              new SourceColumn("old", "ntext", 16, 0, 0, true, false),
              new SourceColumn("n", "int", 4, 10, 0, true, false)),
          List.of("id"));

  private static final SourceTable PLAIN =
      new SourceTable(
          "dbo",
          "plain",
          "plain",
          List.of(
              new SourceColumn("id", "int", 4, 10, 0, false, false),
              new SourceColumn("name", "nvarchar", 20, 0, 0, true, false)),
          List.of("id"));

  /** A heap: no primary key, one ordinary column and two large ones. */
  private static final SourceTable NOTES =
      new SourceTable(
          "dbo",
          "notes",
          "notes",
          List.of(
              new SourceColumn("kind", "nvarchar", 20, 0, 0, true, false),
              new SourceColumn("body", "nvarchar", -1, 0, 0, true, false),
              new SourceColumn("old", "ntext", 16, 0, 0, true, false)),
          List.of());

  private static final Object SAME = UnchangedLargeValue.INSTANCE;

  private static int seq;

  private static ChangeRecord record(String table, ChangeOperation op, Object... values) {
    Lsn lsn = Lsn.of(1, ++seq, 1);
    return new ChangeRecord(table, op, new ChangePosition(lsn, seq, lsn, 2), values);
  }

  /** An update's before and after rows, at one position as CDC gives them. */
  private static ChangeRecord[] update(String table, Object[] before, Object[] after) {
    Lsn lsn = Lsn.of(1, ++seq, 1);
    return new ChangeRecord[] {
      new ChangeRecord(
          table, ChangeOperation.UPDATE_BEFORE, new ChangePosition(lsn, seq, lsn, 3), before),
      new ChangeRecord(
          table, ChangeOperation.UPDATE_AFTER, new ChangePosition(lsn, seq, lsn, 4), after)
    };
  }

  private static void process(
      KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, ChangeRecord> h,
      ChangeRecord... records)
      throws Exception {
    for (ChangeRecord r : records) {
      h.processElement(r, ++seq);
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, ChangeRecord>
      harness() throws Exception {
    List<SourceTable> tables = List.of(DOCS, PLAIN, NOTES);
    KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, ChangeRecord> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(LargeValueFiller.forTables(tables)),
            LargeValueFiller.keySelector(tables),
            TypeInformation.of(String.class));
    h.open();
    return h;
  }

  private static List<Object[]> values(
      KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, ChangeRecord> h) {
    List<Object[]> out = new ArrayList<>();
    for (StreamRecord<? extends ChangeRecord> r : h.extractOutputStreamRecords()) {
      out.add(r.getValue().values());
    }
    return out;
  }

  @Test
  void fillsOmittedValuesOfUpdatesAndDeletesFromTheKeysLastRow() throws Exception {
    try (var h = harness()) {
      h.processElement(record("docs", ChangeOperation.SNAPSHOT, 1, "b0", "o0", 0), 1);
      h.processElement(record("docs", ChangeOperation.UPDATE_BEFORE, 1, SAME, SAME, 0), 2);
      h.processElement(record("docs", ChangeOperation.UPDATE_AFTER, 1, SAME, "o1", 1), 3);
      h.processElement(record("docs", ChangeOperation.UPDATE_BEFORE, 1, SAME, SAME, 1), 4);
      h.processElement(record("docs", ChangeOperation.UPDATE_AFTER, 1, "b2", SAME, 2), 5);
      h.processElement(record("docs", ChangeOperation.DELETE, 1, "b2", SAME, 2), 6);
      assertThat(values(h))
          .containsExactly(
              new Object[] {1, "b0", "o0", 0},
              new Object[] {1, "b0", "o0", 0},
              new Object[] {1, "b0", "o1", 1},
              new Object[] {1, "b0", "o1", 1},
              new Object[] {1, "b2", "o1", 2},
              new Object[] {1, "b2", "o1", 2});
      assertThat(h.numKeyedStateEntries()).as("a delete clears the key's state").isZero();
    }
  }

  @Test
  void keepsKeysApartAndTellsAValueSetToNullFromAnOmittedOne() throws Exception {
    try (var h = harness()) {
      h.processElement(record("docs", ChangeOperation.INSERT, 1, "one", "o", 0), 1);
      h.processElement(record("docs", ChangeOperation.INSERT, 2, "two", "o", 0), 2);
      h.processElement(record("docs", ChangeOperation.UPDATE_AFTER, 2, null, SAME, 1), 3);
      h.processElement(record("docs", ChangeOperation.UPDATE_AFTER, 1, SAME, SAME, 1), 4);
      h.processElement(record("docs", ChangeOperation.UPDATE_AFTER, 2, SAME, SAME, 2), 5);
      List<Object[]> out = values(h);
      assertThat(out.get(2)).containsExactly(2, null, "o", 1);
      assertThat(out.get(3)).containsExactly(1, "one", "o", 1);
      assertThat(out.get(4)).containsExactly(2, null, "o", 2);
    }
  }

  @Test
  void keepsNoStateForTablesWithoutLargeColumns() throws Exception {
    try (var h = harness()) {
      for (int i = 0; i < 100; i++) {
        h.processElement(record("plain", ChangeOperation.SNAPSHOT, i, "n" + i), i);
      }
      assertThat(h.extractOutputStreamRecords()).hasSize(100);
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void neverPassesPlaceholdersOfATableItDoesNotKnow() throws Exception {
    try (var h = harness()) {
      h.processElement(record("later", ChangeOperation.UPDATE_AFTER, 7, SAME), 1);
      assertThat(values(h).get(0)).containsExactly(7, null);
    }
  }

  @Test
  void keylessUpdateOfAnotherColumnKeepsTheLargeValuesCdcLeftOut() throws Exception {
    try (var h = harness()) {
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "a", "b0", "o0"), 1);
      // UPDATE notes SET kind = 'z': the row moves to other values, its large ones unchanged.
      process(h, update("notes", new Object[] {"a", SAME, SAME}, new Object[] {"z", SAME, "o0"}));
      h.processElement(record("notes", ChangeOperation.DELETE, "z", "b0", SAME), 4);
      assertThat(values(h))
          .containsExactly(
              new Object[] {"a", "b0", "o0"},
              new Object[] {"a", "b0", "o0"},
              new Object[] {"z", "b0", "o0"},
              new Object[] {"z", "b0", "o0"});
    }
  }

  @Test
  void identicalKeylessRowsEachKeepTheirValuesWhenOneIsDeleted() throws Exception {
    try (var h = harness()) {
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "a", "b", "o"), 1);
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "a", "b", "o"), 2);
      h.processElement(record("notes", ChangeOperation.DELETE, "a", "b", SAME), 3);
      process(h, update("notes", new Object[] {"a", SAME, SAME}, new Object[] {"a", "b1", "o1"}));
      h.processElement(record("notes", ChangeOperation.DELETE, "a", "b1", SAME), 6);
      List<Object[]> out = values(h);
      assertThat(out.get(2)).containsExactly("a", "b", "o");
      assertThat(out.get(3)).containsExactly("a", "b", "o");
      assertThat(out.get(5)).containsExactly("a", "b1", "o1");
    }
  }

  @Test
  void keylessRowsThatDifferOnlyInAnOmittedValueStopTheJobNamingTheColumn() throws Exception {
    try (var h = harness()) {
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "a", "b1", "o"), 1);
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "a", "b2", "o"), 2);
      // The delete carries body, which tells the two rows apart: no ambiguity.
      h.processElement(record("notes", ChangeOperation.DELETE, "a", "b2", SAME), 3);
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "a", "b3", "o"), 4);
      assertThat(values(h).get(2)).containsExactly("a", "b2", "o");
      assertThatThrownBy(
              () ->
                  h.processElement(
                      record("notes", ChangeOperation.UPDATE_BEFORE, "a", SAME, SAME), 5))
          .isInstanceOf(AmbiguousLargeValueException.class)
          .hasMessageContaining("Table notes")
          .hasMessageContaining("large column body")
          .hasMessageContaining("add a primary key");
    }
  }

  @Test
  void keylessUpdateSplitByACheckpointStillFindsItsBeforeValues() throws Exception {
    OperatorSubtaskState snapshot;
    ChangeRecord[] pair =
        update("notes", new Object[] {"a", SAME, SAME}, new Object[] {"z", SAME, "o1"});
    try (var h = harness()) {
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "a", "b0", "o0"), 1);
      process(h, pair[0]);
      snapshot = h.snapshot(1L, 2L);
    }
    try (var h = restored(snapshot)) {
      process(h, pair[1]);
      h.processElement(record("notes", ChangeOperation.DELETE, "z", SAME, SAME), 4);
      assertThat(values(h))
          .containsExactly(new Object[] {"z", "b0", "o1"}, new Object[] {"z", "b0", "o1"});
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, ChangeRecord>
      restored(OperatorSubtaskState state) throws Exception {
    List<SourceTable> tables = List.of(DOCS, PLAIN, NOTES);
    KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, ChangeRecord> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(LargeValueFiller.forTables(tables)),
            LargeValueFiller.keySelector(tables),
            TypeInformation.of(String.class));
    h.initializeState(state);
    h.open();
    return h;
  }

  @Test
  void anUpdateAfterTakesOnlyItsOwnBeforeRowsValues() throws Exception {
    try (var h = harness()) {
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "a", "b0", "o0"), 1);
      ChangeRecord[] first =
          update("notes", new Object[] {"a", SAME, SAME}, new Object[] {"z", SAME, "o0"});
      ChangeRecord[] second =
          update("notes", new Object[] {"q", SAME, SAME}, new Object[] {"y", SAME, "o9"});
      // The second update's before row never arrived: its after row must not take the first's.
      process(h, first[0], first[1], second[1]);
      assertThat(values(h).get(3)).containsExactly("y", null, "o9");
    }
  }

  @Test
  void aTableOfRowsEqualButForTheirLargeValuesKeepsBoundedState() throws Exception {
    try (var h = harness()) {
      int rows = KeylessLargeValues.MAX_DISTINCT * 3;
      for (int i = 0; i < rows; i++) {
        h.processElement(record("notes", ChangeOperation.SNAPSHOT, "same", "b" + i, "o" + i), i);
      }
      // Past the bound the bag counts rows: deletes that carry their values still work...
      h.processElement(record("notes", ChangeOperation.DELETE, "same", "b1", "o1"), rows);
      assertThat(values(h).get(rows)).containsExactly("same", "b1", "o1");
      // ...and one that omits a value among so many candidates is refused, never guessed.
      assertThatThrownBy(
              () ->
                  h.processElement(
                      record("notes", ChangeOperation.DELETE, "same", "b2", SAME), rows + 1))
          .isInstanceOf(AmbiguousLargeValueException.class);
    }
  }

  @Test
  void aNullAndTheTextNullAreDifferentRows() throws Exception {
    try (var h = harness()) {
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, null, "b1", "o1"), 1);
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "null", "b2", "o2"), 2);
      h.processElement(record("notes", ChangeOperation.DELETE, null, "b1", SAME), 3);
      assertThat(values(h).get(2)).containsExactly(null, "b1", "o1");
    }
  }

  @Test
  void rowsOfATableTheJobWasNotBuiltForAreDroppedWhenOnlyKnownTablesPass() throws Exception {
    List<SourceTable> tables = List.of(DOCS, PLAIN, NOTES);
    try (var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(LargeValueFiller.forTables(tables, true)),
            LargeValueFiller.keySelector(tables),
            TypeInformation.of(String.class))) {
      h.open();
      h.processElement(record("removed", ChangeOperation.INSERT, 7, "x"), 1);
      h.processElement(record("plain", ChangeOperation.INSERT, 8, "y"), 2);
      assertThat(values(h)).containsExactly(new Object[] {8, "y"});
    }
  }

  @Test
  void aRestoreIntoATableWhoseKeyOrLargeColumnsChangedIsRefusedNamingTheTable() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.processElement(record("notes", ChangeOperation.SNAPSHOT, "a", "b0", "o0"), 1);
      snapshot = h.snapshot(1L, 2L);
    }
    // notes gained a primary key: its state was keyed by table and values, now it would be by key.
    SourceTable keyed = new SourceTable("dbo", "notes", "notes", NOTES.columns(), List.of("kind"));
    List<SourceTable> tables = List.of(DOCS, PLAIN, keyed);
    try (var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(LargeValueFiller.forTables(tables)),
            LargeValueFiller.keySelector(tables),
            TypeInformation.of(String.class))) {
      assertThatThrownBy(() -> h.initializeState(snapshot))
          .hasStackTraceContaining("Table notes changed since the checkpoint")
          .hasStackTraceContaining("no key, large columns [body, old]")
          .hasStackTraceContaining("key [kind], large columns [body, old]");
    }
    try (var h = restored(snapshot)) {
      h.processElement(record("docs", ChangeOperation.INSERT, 1, "b", "o", 0), 3);
      assertThat(values(h)).hasSize(1);
    }
  }
}
