package dev.mssql2mz.source.reader;

/** Rough byte sizes of values, for the bytes_received metric. */
final class RecordSizes {

  private RecordSizes() {}

  static long estimate(Object v) {
    if (v == null) {
      return 1;
    }
    if (v instanceof String) {
      return 2L * ((String) v).length();
    }
    if (v instanceof byte[]) {
      return ((byte[]) v).length;
    }
    return 8;
  }
}
