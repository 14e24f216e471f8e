-- A small shop database for the compose setup (docker-compose.yml runs this first, then
-- sqlserver-setup.sql). Rerunnable.
IF DB_ID(N'shop') IS NULL
  CREATE DATABASE [shop];
GO
USE [shop];
GO
IF OBJECT_ID(N'dbo.customers') IS NULL
  CREATE TABLE dbo.customers (
    id int NOT NULL PRIMARY KEY,
    name nvarchar(100) NOT NULL,
    email varchar(200) NULL,
    created_at datetime2(7) NOT NULL DEFAULT SYSUTCDATETIME()
  );
IF OBJECT_ID(N'dbo.orders') IS NULL
  CREATE TABLE dbo.orders (
    id bigint NOT NULL PRIMARY KEY,
    customer_id int NOT NULL REFERENCES dbo.customers (id),
    status varchar(20) NOT NULL,
    total decimal(12, 2) NOT NULL,
    ordered_at datetime2(7) NOT NULL DEFAULT SYSUTCDATETIME()
  );
IF OBJECT_ID(N'dbo.order_lines') IS NULL
  CREATE TABLE dbo.order_lines (
    order_id bigint NOT NULL REFERENCES dbo.orders (id),
    line_no int NOT NULL,
    sku varchar(40) NOT NULL,
    quantity int NOT NULL,
    price decimal(12, 2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
  );
GO
IF NOT EXISTS (SELECT 1 FROM dbo.customers)
BEGIN
  INSERT INTO dbo.customers (id, name, email) VALUES
    (1, N'Ada Lovelace', 'ada@example.com'),
    (2, N'Grace Hopper', 'grace@example.com'),
    (3, N'Edsger Dijkstra', NULL);
  INSERT INTO dbo.orders (id, customer_id, status, total) VALUES
    (100, 1, 'paid', 42.50), (101, 2, 'new', 10.00), (102, 1, 'shipped', 99.99);
  INSERT INTO dbo.order_lines (order_id, line_no, sku, quantity, price) VALUES
    (100, 1, 'BOOK-1', 1, 30.00), (100, 2, 'PEN-7', 5, 2.50),
    (101, 1, 'MUG-2', 1, 10.00), (102, 1, 'LAMP-9', 1, 99.99);
END;
GO
