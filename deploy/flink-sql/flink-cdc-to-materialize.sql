-- Interop: Flink CDC's own SQL Server connector feeding mssql2mz's `materialize` sink.
-- Needs flink-sql-connector-sqlserver-cdc-3.5.0.jar next to the mssql2mz jar:
--   ./bin/sql-client.sh -j flink-sql-connector-sqlserver-cdc-3.5.0.jar \
--                       -j mssql2mz-job-0.1.0-SNAPSHOT-flink.jar -f flink-cdc-to-materialize.sql
-- Flink CDC orders changes without __$command_id and takes chunk watermarks from the max LSN
-- (apache/flink-cdc#2853); prefer `mssql2mz-sqlserver` where exactness inside large
-- transactions matters.
SET 'execution.checkpointing.interval' = '10s';

CREATE TABLE customers_cdc (
  id INT,
  name STRING,
  email STRING,
  created_at TIMESTAMP(6),
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'sqlserver-cdc',
  'hostname' = 'sqlserver.internal.example.com',
  'port' = '1433',
  'username' = 'mssql2mz',
  'password' = '<password of the mssql2mz login>',
  'database-name' = 'shop',
  'table-name' = 'dbo.customers',
  'scan.startup.mode' = 'initial'
);

CREATE TABLE customers_target (
  id INT,
  name STRING,
  email STRING,
  created_at TIMESTAMP(6),
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'materialize',
  'url' = 'jdbc:postgresql://materialize.example.com:6875/materialize',
  'username' = 'mssql2mz',
  'password' = '<password of the Materialize role>',
  'table-name' = 'customers'
);

INSERT INTO customers_target SELECT * FROM customers_cdc;
