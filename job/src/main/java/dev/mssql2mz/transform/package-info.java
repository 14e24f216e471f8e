/**
 * SQL Server values to target values: {@link dev.mssql2mz.transform.TypeMapping} holds the type
 * table of the reference (section 4) as one table-driven class.
 *
 * <p>Decisions beyond the table: {@code real}/{@code float} NaN and infinities (which SQL Server
 * itself rejects, but an emulator or a TEXT COLUMNS cast may produce) pass through unchanged; both
 * PostgreSQL and Materialize store them. {@code datetimeoffset} becomes the correct UTC instant
 * ({@code 12:00 -05:00} is {@code 17:00Z}); Materialize's own SQL Server source shifts the offset
 * the wrong way, which we do not copy. {@code datetime2} is rounded half-up to microseconds with
 * carry (so {@code 9999-12-31 23:59:59.9999999} becomes year 10000, which both targets accept),
 * {@code time} is floored. Text columns hold the source's String unchanged; native values get SQL
 * Server's text form (binary as base64, {@code bit} as 1/0, GUIDs lower case).
 */
package dev.mssql2mz.transform;
