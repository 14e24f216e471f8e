"""Writes demo-run.ipynb from the cells below (kept as code so reviews see plain Python).

Run with Debian's Python: /usr/bin/python3 notebooks/make_notebooks.py
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell("""# A demo run of mssql2mz: snapshot progress, throughput and lag

This notebook reads the metrics that `./mssql2mz demo` writes while it runs, one row per
sample, to `job/target/demo/metrics.csv`:

| column | meaning (named after Materialize's `mz_source_statistics`) |
|---|---|
| `time_ms` | sample time, milliseconds since the epoch |
| `phase` | `snapshot` or `streaming` |
| `snapshot_records_known` | rows the snapshot will read (sum of the tables' row counts) |
| `snapshot_records_staged` | snapshot rows read and handed to the sink so far |
| `updates_committed` | rows (snapshot and changes) in committed epochs in the target |
| `offset_known` | the upstream max LSN, as a number |
| `offset_committed` | the LSN up to which the target is complete, as a number |
| `lag_ms` | how far the committed progress trails the source, in milliseconds |

**If no demo has run yet, the notebook falls back to a small made-up sample committed under
`notebooks/sample/metrics.csv`**: the plots then show the shape of a run, not a real one.
`notebooks/run-notebooks.sh` (run by `./mssql2mz test`) passes the demo's file when it exists,
through the `MSSQL2MZ_METRICS` environment variable."""),
    new_code_cell("""import os
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

COLUMNS = ["time_ms", "phase", "snapshot_records_known", "snapshot_records_staged",
           "updates_committed", "offset_known", "offset_committed", "lag_ms"]

def find_metrics():
    if os.environ.get("MSSQL2MZ_METRICS"):
        return Path(os.environ["MSSQL2MZ_METRICS"]), "the demo run given by MSSQL2MZ_METRICS"
    here = Path.cwd()
    for root in [here, here.parent]:
        demo = root / "job" / "target" / "demo" / "metrics.csv"
        if demo.exists():
            return demo, "the last demo run"
    for root in [here, here / "notebooks"]:
        sample = root / "sample" / "metrics.csv"
        if sample.exists():
            return sample, "the committed SAMPLE (no demo run found)"
    raise FileNotFoundError("No metrics: run ./mssql2mz demo, or keep notebooks/sample/metrics.csv")

path, origin = find_metrics()
if path.suffix in (".json", ".jsonl"):
    metrics = pd.read_json(path, lines=True)
else:
    # Offsets as text: a column with empty cells would otherwise become float and lose digits.
    metrics = pd.read_csv(path, dtype={"offset_known": str, "offset_committed": str})
missing = [c for c in COLUMNS if c not in metrics.columns]
assert not missing, f"{path} lacks columns {missing}"
metrics = metrics.sort_values("time_ms").reset_index(drop=True)
# Offsets are LSNs in their numeric(25,0) form: above 64 bits, so pandas may read them as text.
# Exact Python integers, then distances from the first known offset, which fit a float.
base = int(str(metrics["offset_known"].iloc[0]))
for c in ["offset_known", "offset_committed"]:
    # Empty before the first commit: NaN, not an error.
    metrics[c + "_since_start"] = metrics[c].map(
        lambda v: float("nan") if pd.isna(v) or str(v) in ("", "nan") else float(int(str(v)) - base))
# The demo names its phases after the workload ("live", "catch-up"); what matters here is whether
# the snapshot was still being read, which the counters say directly.
metrics["phase"] = ["snapshot" if staged < known else "streaming"
                    for staged, known in zip(metrics["snapshot_records_staged"],
                                             metrics["snapshot_records_known"])]
metrics["t_s"] = (metrics["time_ms"] - metrics["time_ms"].iloc[0]) / 1000.0
print(f"{len(metrics)} samples over {metrics['t_s'].iloc[-1]:.1f} s from {origin}: {path}")"""),
    new_markdown_cell("""## Snapshot progress

Snapshot rows staged against rows known; the shaded part is the snapshot phase."""),
    new_code_cell("""snapshot = metrics[metrics["phase"] == "snapshot"]
snapshot_end = snapshot["t_s"].max() if len(snapshot) else 0.0
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.plot(metrics["t_s"], metrics["snapshot_records_staged"], label="staged")
ax.plot(metrics["t_s"], metrics["snapshot_records_known"], "--", label="known")
ax.axvspan(0, snapshot_end, alpha=0.1, label="snapshot phase")
ax.set_xlabel("seconds since start")
ax.set_ylabel("snapshot rows")
ax.set_title("Snapshot progress")
ax.legend()
plt.show()
known = metrics["snapshot_records_known"].iloc[-1]
staged = metrics["snapshot_records_staged"].iloc[-1]
print(f"snapshot: {staged:,} of {known:,} rows ({100.0 * staged / max(known, 1):.1f} %), "
      f"snapshot phase {snapshot_end:.1f} s")"""),
    new_markdown_cell("""## Throughput

Rows committed to the target per second, between consecutive samples, and a rolling mean.
Commits happen at checkpoints, so the raw rate is bursty."""),
    new_code_cell("""dt = metrics["t_s"].diff()
rate = (metrics["updates_committed"].diff() / dt).fillna(0).clip(lower=0)
window = max(1, len(metrics) // 20)
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.plot(metrics["t_s"], rate, alpha=0.35, label="per sample")
ax.plot(metrics["t_s"], rate.rolling(window, min_periods=1).mean(), label=f"rolling mean ({window} samples)")
ax.set_xlabel("seconds since start")
ax.set_ylabel("rows committed / s")
ax.set_title("Throughput into the target")
ax.legend()
plt.show()
elapsed = metrics["t_s"].iloc[-1] or 1.0
print(f"{metrics['updates_committed'].iloc[-1]:,} rows committed, "
      f"{metrics['updates_committed'].iloc[-1] / elapsed:,.0f} rows/s on average")"""),
    new_markdown_cell("""## Lag and progress

`lag_ms` during streaming (design goal G3: at most one capture poll + one checkpoint interval +
1 s in steady state), and the committed LSN following the upstream max LSN."""),
    new_code_cell("""streaming = metrics[metrics["phase"] == "streaming"]
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
ax1.plot(streaming["t_s"], streaming["lag_ms"], ".-", label="lag")
ax1.set_ylabel("lag (ms)")
ax1.set_title("Freshness while streaming")
ax1.legend()
ax2.step(metrics["t_s"], metrics["offset_known_since_start"], where="post",
         label="offset known (upstream max LSN)")
ax2.step(metrics["t_s"], metrics["offset_committed_since_start"], where="post",
         label="offset committed")
ax2.set_xlabel("seconds since start")
ax2.set_ylabel("LSN (numeric) - first known")
ax2.legend()
plt.tight_layout()
plt.show()"""),
    new_markdown_cell("""## Summary"""),
    new_code_cell("""lag = streaming["lag_ms"].dropna()
lag = lag if len(lag) else pd.Series([0])
summary = pd.DataFrame(
    {
        "value": [
            origin,
            len(metrics),
            round(metrics["t_s"].iloc[-1], 1),
            round(snapshot_end, 1),
            int(metrics["snapshot_records_staged"].iloc[-1]),
            int(metrics["updates_committed"].iloc[-1]),
            int(lag.quantile(0.5)),
            int(lag.quantile(0.99)),
            int(lag.max()),
        ]
    },
    index=["data", "samples", "run (s)", "snapshot (s)", "snapshot rows", "rows committed",
           "lag p50 (ms)", "lag p99 (ms)", "lag max (ms)"],
)
assert (metrics["updates_committed"].diff().dropna() >= 0).all(), "committed rows went backwards"
both = metrics.dropna(subset=["offset_committed_since_start", "offset_known_since_start"])
assert (both["offset_committed_since_start"] <= both["offset_known_since_start"]).all(), \
    "committed beyond known"
summary"""),
]


TARGET_CELLS = [
    new_markdown_cell("""# Exploring what a demo run replicated

`./mssql2mz demo` verifies every table row by row and then leaves, beside its metrics,
`tables.csv` (each table's rows and the verification's result) and `target/<table>.csv`
(the first rows of each table as users see them in the target, in the target's own text
form). This notebook looks at them.

**If no demo has run yet, it uses `notebooks/sample/`**, a trimmed copy of one real demo run.
`MSSQL2MZ_TARGET_DATA=/path/to/dir` points it at another run's directory."""),
    new_code_cell("""import os
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

def find_data():
    if os.environ.get("MSSQL2MZ_TARGET_DATA"):
        return Path(os.environ["MSSQL2MZ_TARGET_DATA"]), "the run given by MSSQL2MZ_TARGET_DATA"
    here = Path.cwd()
    for root in [here, here.parent]:
        demo = root / "job" / "target" / "demo"
        if (demo / "tables.csv").exists():
            return demo, "the last demo run"
    for root in [here, here / "notebooks"]:
        sample = root / "sample"
        if (sample / "tables.csv").exists():
            return sample, "the committed SAMPLE (no demo run found)"
    raise FileNotFoundError("No table data: run ./mssql2mz demo, or keep notebooks/sample/")

data_dir, origin = find_data()
tables = pd.read_csv(data_dir / "tables.csv")
assert list(tables.columns) == ["table", "source_rows", "missing", "extra"], tables.columns
print(f"data: {origin} ({data_dir})")
tables"""),
    new_markdown_cell("## Rows per table, and what the verification found"),
    new_code_cell("""fig, ax = plt.subplots(figsize=(8, 3))
ax.barh(tables["table"], tables["source_rows"], color="tab:blue")
ax.set_xlabel("rows in SQL Server = rows in the target")
ax.set_title("Replicated tables")
for y, (rows, bad) in enumerate(zip(tables["source_rows"], tables["missing"] + tables["extra"])):
    ax.text(rows, y, f" {rows}" + (f"  ({bad} differ)" if bad else ""), va="center")
plt.tight_layout()
plt.show()
differing = tables[(tables["missing"] > 0) | (tables["extra"] > 0)]
print("tables with differences:", "none" if differing.empty else ", ".join(differing["table"]))"""),
    new_markdown_cell("## The first rows of each table, as the target shows them"),
    new_code_cell("""samples = {}
for t in tables["table"]:
    f = data_dir / "target" / f"{t}.csv"
    if f.exists():
        samples[t] = pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""])
assert samples, "no table samples found"
for t, df in samples.items():
    print(f"{t}: {len(df)} sample rows, columns {list(df.columns)}")
pd.concat({t: df.head(3).T for t, df in samples.items()}, axis=1).fillna("")"""),
    new_markdown_cell("""## Value sizes per column

Text as the target prints it: `bytea` as `\\x` hex, large `(max)` and legacy `text` values in
full (mssql2mz replicates them; Materialize's own SQL Server source has to exclude them).
NULLs count as length 0."""),
    new_code_cell("""lengths = []
for t, df in samples.items():
    for c in df.columns:
        lengths.append({"column": f"{t}.{c}", "median": df[c].fillna("").str.len().median(),
                        "max": df[c].fillna("").str.len().max(),
                        "nulls": int(df[c].isna().sum())})
lengths = pd.DataFrame(lengths).sort_values("max", ascending=False)
top = lengths.head(12)
fig, ax = plt.subplots(figsize=(8, 4))
ax.barh(top["column"], top["max"], color="tab:orange", label="max")
ax.barh(top["column"], top["median"], color="tab:blue", label="median")
ax.set_xscale("log")
ax.set_xlabel("characters (log scale)")
ax.set_title("Widest columns in the samples")
ax.legend()
plt.tight_layout()
plt.show()
lengths.reset_index(drop=True)"""),
    new_markdown_cell("## Non-ASCII text survives: characters outside ASCII per table"),
    new_code_cell("""rows = []
for t, df in samples.items():
    text = df.fillna("").astype(str).agg("".join, axis=1)
    rows.append({"table": t,
                 "non-ASCII characters": int(text.map(lambda s: sum(ord(ch) > 127 for ch in s)).sum()),
                 "characters beyond the BMP (emoji)": int(text.map(lambda s: sum(ord(ch) > 0xFFFF for ch in s)).sum()),
                 "replacement marks (?? pairs)": int(text.str.count("\\?\\?").sum())})
pd.DataFrame(rows)"""),
]

def write(cells, name):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    out = Path(__file__).with_name(name)
    nbformat.write(nb, out)
    print(f"wrote {out}")

write(cells, "demo-run.ipynb")
write(TARGET_CELLS, "target-data.ipynb")
