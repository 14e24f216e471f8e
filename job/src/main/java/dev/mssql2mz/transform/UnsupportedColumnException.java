package dev.mssql2mz.transform;

/**
 * A source column whose SQL Server type has no target type. The message names the table, the column
 * and both ways out: excluding the column or ingesting it as text.
 */
public final class UnsupportedColumnException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public UnsupportedColumnException(String qualifiedTable, String column, String typeName) {
    super(
        "Column "
            + column
            + " of table "
            + qualifiedTable
            + " has SQL Server type "
            + typeName
            + ", which cannot be replicated as such. EXCLUDE the column (exclude-columns: "
            + qualifiedTable
            + "."
            + column
            + ") or list it in TEXT COLUMNS (text-columns: "
            + qualifiedTable
            + "."
            + column
            + ") to ingest its text form.");
  }
}
