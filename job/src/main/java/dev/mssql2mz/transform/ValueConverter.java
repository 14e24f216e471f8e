package dev.mssql2mz.transform;

import java.io.Serializable;

/**
 * Turns one source value (the Java type {@link dev.mssql2mz.source.ChangeRecord} documents for the
 * column's SQL Server type) into the value the target column receives. Never called with null: NULL
 * stays NULL whatever the type.
 */
@FunctionalInterface
public interface ValueConverter extends Serializable {

  /** The target value for a non-null source value. */
  Object convert(Object sourceValue);
}
