package dev.mssql2mz.source.reader;

import dev.mssql2mz.sqlserver.ChangePosition;

/** One change-table row, with values in the order of the table's selected columns. */
record DecodedChange(ChangePosition position, byte[] updateMask, Object[] values, long bytes) {}
