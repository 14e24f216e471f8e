-- One SQL Server table into Materialize from the Flink SQL client, exactly once:
--   ./bin/sql-client.sh -j mssql2mz-job-0.1.0-SNAPSHOT-flink.jar -f sqlserver-to-materialize.sql
-- The `mssql2mz-sqlserver` source takes Flink CDC's `sqlserver-cdc` option names where they mean
-- the same; `materialize` is mssql2mz's sink (Materialize or, with 'dialect' = 'postgres',
-- PostgreSQL). Exactly once needs checkpoints: the sink commits on each one.
SET 'execution.checkpointing.interval' = '10s';
SET 'execution.runtime-mode' = 'streaming';

CREATE TABLE orders_source (
  id BIGINT,
  customer_id INT,
  status STRING,
  total DECIMAL(12, 2),
  ordered_at TIMESTAMP(6),
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'mssql2mz-sqlserver',
  'hostname' = 'sqlserver.internal.example.com',
  'port' = '1433',
  'username' = 'mssql2mz',
  'password' = '<password of the mssql2mz login>',
  'database-name' = 'shop',
  'table-name' = 'dbo.orders',
  'scan.startup.mode' = 'initial',
  'scan.incremental.snapshot.chunk.size' = '8096',
  'ssl-mode' = 'required'
);

CREATE TABLE orders_target (
  id BIGINT,
  customer_id INT,
  status STRING,
  total DECIMAL(12, 2),
  ordered_at TIMESTAMP(6),
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'materialize',
  'url' = 'jdbc:postgresql://materialize.example.com:6875/materialize',
  'username' = 'mssql2mz',
  'password' = '<password of the Materialize role>',
  'table-name' = 'orders',
  'dialect' = 'materialize'
);

INSERT INTO orders_target SELECT * FROM orders_source;
