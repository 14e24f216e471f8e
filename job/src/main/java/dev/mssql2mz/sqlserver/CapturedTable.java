package dev.mssql2mz.sqlserver;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A selected table with the capture instances that follow it, oldest first. The source reads the
 * change table of the newest instance whose start LSN a change has reached: a second instance
 * (created after a schema change) takes over at its start LSN, no re-snapshot.
 */
public final class CapturedTable implements Serializable {

  private static final long serialVersionUID = 1L;

  private final SourceTable table;
  private final List<CaptureInstance> instances;

  public CapturedTable(SourceTable table, List<CaptureInstance> instances) {
    this.table = Objects.requireNonNull(table, "table");
    List<CaptureInstance> sorted = new ArrayList<>(instances);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException(
          "Table " + table.qualifiedName() + " has no capture instance");
    }
    this.instances = Collections.unmodifiableList(sorted);
  }

  public SourceTable table() {
    return table;
  }

  /** Capture instances, oldest start LSN first. */
  public List<CaptureInstance> instances() {
    return instances;
  }

  public CaptureInstance newestInstance() {
    return instances.get(instances.size() - 1);
  }

  /** This table with another set of capture instances (same columns and key). */
  public CapturedTable withInstances(List<CaptureInstance> newInstances) {
    return new CapturedTable(table, newInstances);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CapturedTable
        && table.equals(((CapturedTable) o).table)
        && instances.equals(((CapturedTable) o).instances);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, instances);
  }

  @Override
  public String toString() {
    return table.qualifiedName() + " via " + instances;
  }
}
