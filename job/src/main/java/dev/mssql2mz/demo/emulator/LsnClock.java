package dev.mssql2mz.demo.emulator;

import dev.mssql2mz.udfs.Lsn;

/**
 * Hands out the emulated log's LSNs in strictly increasing order, shaped like SQL Server's ({@code
 * vlf:block:slot}): each transaction starts a new log block, each log record takes the next slot, a
 * full block moves to the next one, and a full virtual log file to the next file.
 *
 * <p>Callers that need an LSN to be ordered with H2 commits take it under the emulator's commit
 * lock ({@link TransactionLog}).
 */
final class LsnClock {

  private static final int MAX_SLOT = 0xFFF0;
  private static final long BLOCKS_PER_VLF = 0x00100000L;

  private long vlf = 0x2A;
  private long block = 0x100;
  private int slot = 1;

  /** The next log record's LSN in the current block. */
  synchronized Lsn next() {
    slot++;
    if (slot > MAX_SLOT) {
      newBlock();
    }
    return current();
  }

  /** The first LSN of a new log block: where a transaction's first record goes. */
  synchronized Lsn nextBlock() {
    newBlock();
    return current();
  }

  /** The LSN handed out last. */
  synchronized Lsn current() {
    return Lsn.of(vlf, block, slot);
  }

  private void newBlock() {
    // blocks are 512-byte units; a block holding many records is longer
    block += 1 + slot / 32;
    slot = 1;
    if (block >= BLOCKS_PER_VLF) {
      vlf++;
      block = 0x10;
    }
  }
}
