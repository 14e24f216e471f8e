-- The SQL Server CDC functions of mssql2mz-udfs in any Flink SQL session:
--   ./bin/sql-client.sh -j mssql2mz-udfs-0.1.0-SNAPSHOT.jar -f udfs.sql
-- Either load them all as a module ...
LOAD MODULE mssql2mz;
-- ... or register those you need one by one:
--   CREATE TEMPORARY FUNCTION LSN_TO_STRING AS 'dev.mssql2mz.udfs.LsnToString';
--   CREATE TEMPORARY FUNCTION LSN_FROM_STRING AS 'dev.mssql2mz.udfs.LsnFromString';
--   CREATE TEMPORARY FUNCTION LSN_COMPARE AS 'dev.mssql2mz.udfs.LsnCompare';
--   CREATE TEMPORARY FUNCTION LSN_INCREMENT AS 'dev.mssql2mz.udfs.LsnIncrement';
--   CREATE TEMPORARY FUNCTION CDC_OPERATION_NAME AS 'dev.mssql2mz.udfs.CdcOperationName';
--   CREATE TEMPORARY FUNCTION CDC_COLUMN_UPDATED AS 'dev.mssql2mz.udfs.CdcColumnUpdated';
--   CREATE TEMPORARY FUNCTION MZ_ROUND_TIMESTAMP AS 'dev.mssql2mz.udfs.MzRoundTimestamp';

SELECT
  LSN_TO_STRING(start_lsn)                          AS lsn,            -- 0000002a:00000d08:0025
  LSN_TO_STRING(LSN_INCREMENT(start_lsn))           AS next_lsn,       -- 0000002a:00000d08:0026
  LSN_COMPARE(start_lsn, LSN_FROM_STRING('0000002a:00000d08:0100')) AS vs_checkpoint, -- -1
  CDC_OPERATION_NAME(operation)                     AS operation_name, -- update_after
  CDC_COLUMN_UPDATED(update_mask, 3)                AS status_changed, -- true: ordinal 3 is set
  MZ_ROUND_TIMESTAMP(changed_at)                    AS changed_at_mz   -- ...12:00:00.123457
FROM (VALUES
  (X'0000002A00000D080025', 4, X'04', TIMESTAMP '2024-05-01 12:00:00.1234565')
) AS change_rows(start_lsn, operation, update_mask, changed_at);
