package dev.mssql2mz.demo.emulator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A source table with at least one capture instance: its current column layout (the order of the
 * row arrays the capture trigger sees) and its capture instances (at most two).
 */
final class TrackedTable {

  final ObjectName name;
  private volatile String[] layout;
  final List<CaptureInstance> instances = new CopyOnWriteArrayList<>();

  TrackedTable(ObjectName name, String[] layout) {
    this.name = name;
    this.layout = layout;
  }

  String[] layout() {
    return layout;
  }

  void setLayout(String[] layout) {
    this.layout = layout;
  }
}
