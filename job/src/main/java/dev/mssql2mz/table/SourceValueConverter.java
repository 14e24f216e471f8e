package dev.mssql2mz.table;

import java.io.Serializable;

/** Turns one SQL Server value of a {@code ChangeRecord} into Flink's internal data structure. */
@FunctionalInterface
interface SourceValueConverter extends Serializable {

  /** The internal value ({@code StringData}, {@code DecimalData}, ...) of a non-null value. */
  Object convert(Object sqlServerValue);
}
