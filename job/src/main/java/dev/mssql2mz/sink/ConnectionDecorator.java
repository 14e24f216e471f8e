package dev.mssql2mz.sink;

import java.io.Serializable;
import java.sql.Connection;

/**
 * Wraps every connection the sink opens. Tests use it to check each statement against Materialize's
 * rules and to inject failures; production code leaves it unset.
 */
@FunctionalInterface
public interface ConnectionDecorator extends Serializable {

  /** Who opens a connection. */
  enum Role {
    WRITER,
    COMMITTER
  }

  Connection decorate(Connection connection, Role role);
}
