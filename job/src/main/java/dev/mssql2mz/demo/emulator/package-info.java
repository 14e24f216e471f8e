/**
 * An in-process SQL Server with Change Data Capture, emulated on H2: the stand-in for SQL Server in
 * tests, benchmarks and the demo. Start with {@link dev.mssql2mz.demo.emulator.SqlServerEmulator}.
 *
 * <p>How it fits together:
 *
 * <ul>
 *   <li>{@code EmulatorDriver} ({@code jdbc:mssql2mz-emulator:<name>}) hands out connections from
 *       {@code EmulatorConnections}: proxies that pass every statement through {@code TsqlRewrites}
 *       (all T-SQL rewrites in one table) to an {@code EmulatorSession}.
 *   <li>{@code EmulatorSession} runs SQL Server's transaction semantics over an H2 connection that
 *       never auto-commits. {@code CaptureTrigger} (an H2 row trigger on each CDC-enabled table)
 *       buffers row images per transaction; at commit {@code TransactionLog} assigns LSNs ({@code
 *       LsnClock}), commits in H2 and appends to the log atomically. {@code TableLocks} emulates
 *       {@code WITH (TABLOCK, HOLDLOCK)}.
 *   <li>{@code CaptureProcess} is the capture job: it turns logged transactions into {@code _CT}
 *       rows, {@code cdc.lsn_time_mapping} and {@code sys.dm_cdc_log_scan_sessions} rows.
 *   <li>{@code EmulatorCatalog} creates the {@code sys}/{@code cdc} objects; {@code
 *       CatalogFunctions}, {@code SessionFunctions} and {@code CdcFunctions} are the H2 functions
 *       behind catalog views, T-SQL built-ins and the CDC functions. {@code CdcAdmin} and {@code
 *       CdcProcedures} are the DBA's side; {@code Permissions} the product user's grants.
 *   <li>{@code EmulatorWorkload} writes a seeded workload; {@code TableContents} reads a table as a
 *       multiset for comparisons.
 * </ul>
 */
package dev.mssql2mz.demo.emulator;
