"""Writes sample/metrics.csv: a made-up demo run in the format the demo writes.

The notebooks fall back to this file when no demo has run yet (job/target/demo/metrics.csv
missing). Deterministic: the same file every time.
"""
import csv
import math
import random
from pathlib import Path

random.seed(42)
START_MS = 1_764_000_000_000
KNOWN = 120_000
rows = []
staged = 0        # snapshot rows read and handed to the sink
changes = 0       # change rows read from the change tables
committed = 0     # rows (snapshot + changes) in committed epochs
offset = 1_000    # upstream max LSN, as a number
offset_committed = 1_000
for i in range(0, 181):
    t = START_MS + i * 500
    phase = "snapshot" if staged < KNOWN else "streaming"
    if phase == "snapshot":
        staged = min(KNOWN, staged + random.randint(2_800, 3_600))
        offset += random.randint(5, 30)
        lag = 0
    else:
        step = random.randint(20, 120)
        offset += step
        changes += step * 3
        lag = int(200 + 150 * abs(math.sin(i / 7)) + random.randint(0, 120))
    if i % 4 == 3:  # a checkpoint completes and commits what was staged
        committed = staged + changes
        offset_committed = offset
    rows.append([t, phase, KNOWN, staged, committed, offset, offset_committed, lag])

with open(Path(__file__).with_name("metrics.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["time_ms", "phase", "snapshot_records_known", "snapshot_records_staged",
                "updates_committed", "offset_known", "offset_committed", "lag_ms"])
    w.writerows(rows)
