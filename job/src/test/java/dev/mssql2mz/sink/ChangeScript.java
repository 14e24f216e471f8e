package dev.mssql2mz.sink;

import static dev.mssql2mz.sink.SinkFixtures.account;
import static dev.mssql2mz.sink.SinkFixtures.event;
import static dev.mssql2mz.sink.SinkFixtures.lsn;

import dev.mssql2mz.source.ChangeOperation;
import dev.mssql2mz.source.ChangeRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * A deterministic workload: ten accounts snapshotted with 100.00 each, then transactions that move
 * money between two accounts (the total stays 1000.00 at every transaction boundary) and log a
 * keyless event, with many duplicate events and some deleted. A progress marker follows each
 * transaction. Knows the expected final content of both tables.
 */
final class ChangeScript {

  static final int ACCOUNTS = 10;

  final List<ChangeRecord> records = new ArrayList<>();
  final Map<String, Integer> expectedAccounts = new TreeMap<>();
  final Map<String, Integer> expectedEvents = new TreeMap<>();

  /**
   * What both tables show together at each transaction boundary (and before anything): {@link
   * #state} of the accounts' balances and the events' numbers. Users may see any of these, never
   * anything else.
   */
  final Set<String> consistentStates = new HashSet<>();

  final int transactions;
  final long seed;
  int dataRecords;

  ChangeScript(int transactions, long seed) {
    this.transactions = transactions;
    this.seed = seed;
    Random random = new Random(seed);
    int[] balance = new int[ACCOUNTS + 1];
    for (int id = 1; id <= ACCOUNTS; id++) {
      balance[id] = 10_000;
      add(account(ChangeOperation.SNAPSHOT, 1, id, "owner " + id, money(balance[id])));
    }
    records.add(ChangeRecord.progress(lsn(1), 0, 1));
    List<Integer> liveEvents = new ArrayList<>();
    consistentStates.add(state(null, liveEvents));
    consistentStates.add(state(balance, liveEvents));
    for (int k = 2; k < transactions + 2; k++) {
      int from = 1 + random.nextInt(ACCOUNTS);
      int to = 1 + (from + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
      int amount = Math.min(balance[from], 1 + random.nextInt(500));
      move(k, from, -amount, balance);
      move(k, to, amount, balance);
      int n = amount % 7;
      add(event(ChangeOperation.INSERT, k, "transfer", n));
      liveEvents.add(n);
      if (k % 5 == 0) {
        int gone = liveEvents.remove(random.nextInt(liveEvents.size()));
        add(event(ChangeOperation.DELETE, k, "transfer", gone));
      }
      records.add(ChangeRecord.progress(lsn(k), 0, 1));
      consistentStates.add(state(balance, liveEvents));
    }
    for (int id = 1; id <= ACCOUNTS; id++) {
      expectedAccounts.put(id + "|owner " + id + "|" + money(balance[id]), 1);
    }
    for (int n : liveEvents) {
      expectedEvents.merge("transfer|" + n, 1, Integer::sum);
    }
  }

  /**
   * {@code id:balance,...} by id, then {@code |}, then the events' numbers in order: what {@link
   * #STATE_QUERY} reads from the target. Null balances mean no accounts.
   */
  static String state(int[] balance, List<Integer> events) {
    StringJoiner accounts = new StringJoiner(",");
    if (balance != null) {
      for (int id = 1; id <= ACCOUNTS; id++) {
        accounts.add(id + ":" + money(balance[id]));
      }
    }
    StringJoiner ns = new StringJoiner(",");
    events.stream().sorted().forEach(n -> ns.add(Integer.toString(n)));
    return accounts + "|" + ns;
  }

  /** Both tables in one statement, so one snapshot of the target, in the form of {@link #state}. */
  static final String STATE_QUERY =
      "SELECT coalesce((SELECT string_agg(id || ':' || balance, ',' ORDER BY id) FROM s.accounts),"
          + " '') || '|' || coalesce((SELECT string_agg(n::text, ',' ORDER BY n) FROM s.events),"
          + " '')";

  private void move(int k, int id, int delta, int[] balance) {
    add(account(ChangeOperation.UPDATE_BEFORE, k, id, "owner " + id, money(balance[id])));
    balance[id] += delta;
    add(account(ChangeOperation.UPDATE_AFTER, k, id, "owner " + id, money(balance[id])));
  }

  private void add(ChangeRecord r) {
    records.add(r);
    dataRecords++;
  }

  static String money(int cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }
}
