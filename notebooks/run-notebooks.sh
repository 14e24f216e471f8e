#!/usr/bin/env bash
# Executes the notebooks headless, the way `./mssql2mz test` does after `mvn verify`, and fails
# if any cell raises. Executed copies go to job/target/notebooks/.
#
#   notebooks/run-notebooks.sh                  every notebooks/*.ipynb
#   notebooks/run-notebooks.sh path/to/x.ipynb  just these
#
# Data: the metrics of the last demo run (job/target/demo/metrics.csv) when it exists, else the
# committed sample (notebooks/sample/metrics.csv); MSSQL2MZ_METRICS overrides both.
#
# Needs Jupyter's nbconvert, ipykernel, matplotlib and pandas for Debian's python3. When they are
# missing they are installed from Debian packages (apt-get as root, or with sudo if that works
# without a password); PyPI is not used.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/job/target/notebooks"
DEBIAN_PACKAGES=(jupyter-nbconvert python3-nbconvert python3-ipykernel python3-matplotlib python3-pandas)
MODULES="nbconvert, nbformat, nbclient, ipykernel, matplotlib.pyplot, pandas"
# An attribute of each, not just the import: a removed package can leave a namespace directory
# behind that still imports.
CHECK="import $MODULES; pandas.read_csv; matplotlib.pyplot.subplots; nbconvert.NotebookExporter"

log() { printf 'notebooks: %s\n' "$*" >&2; }

# Debian's interpreter first: a pyenv or virtualenv python3 on PATH does not see Debian's packages.
find_python() {
  local candidate
  for candidate in /usr/bin/python3 "$(command -v python3 || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] &&
      "$candidate" -c "$CHECK" >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

install_packages() {
  local apt=(apt-get)
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      apt=(sudo -n apt-get)
    else
      log "missing Python packages and no root: run as root, or install them yourself:"
      log "  sudo apt-get install ${DEBIAN_PACKAGES[*]}"
      return 1
    fi
  fi
  command -v apt-get >/dev/null || { log "apt-get not found; install: ${DEBIAN_PACKAGES[*]}"; return 1; }
  log "installing ${DEBIAN_PACKAGES[*]} (Debian packages)..."
  export DEBIAN_FRONTEND=noninteractive
  if ! "${apt[@]}" install -y -q --no-install-recommends "${DEBIAN_PACKAGES[@]}" >/dev/null; then
    "${apt[@]}" update -q >/dev/null
    "${apt[@]}" install -y -q --no-install-recommends "${DEBIAN_PACKAGES[@]}" >/dev/null
  fi
}

PYTHON=$(find_python) || { install_packages && PYTHON=$(find_python); } || {
  log "cannot import $MODULES even after installing; giving up"
  exit 1
}

if [ -z "${MSSQL2MZ_METRICS:-}" ]; then
  if [ -f "$ROOT/job/target/demo/metrics.csv" ]; then
    export MSSQL2MZ_METRICS="$ROOT/job/target/demo/metrics.csv"
    log "data: the last demo run, $MSSQL2MZ_METRICS"
  elif [ -f "$ROOT/job/target/demo-it/metrics.csv" ]; then
    export MSSQL2MZ_METRICS="$ROOT/job/target/demo-it/metrics.csv"
    log "data: the demo the test suite ran, $MSSQL2MZ_METRICS"
  else
    log "data: no demo run found (job/target/demo/metrics.csv); using notebooks/sample/metrics.csv"
  fi
else
  log "data: $MSSQL2MZ_METRICS (MSSQL2MZ_METRICS)"
fi

if [ -z "${MSSQL2MZ_TARGET_DATA:-}" ]; then
  if [ -f "$ROOT/job/target/demo/tables.csv" ]; then
    export MSSQL2MZ_TARGET_DATA="$ROOT/job/target/demo"
    log "table data: the last demo run, $MSSQL2MZ_TARGET_DATA"
  elif [ -f "$ROOT/job/target/demo-it/tables.csv" ]; then
    export MSSQL2MZ_TARGET_DATA="$ROOT/job/target/demo-it"
    log "table data: the demo the test suite ran, $MSSQL2MZ_TARGET_DATA"
  else
    log "table data: no demo run found (job/target/demo/tables.csv); using notebooks/sample/"
  fi
else
  log "table data: $MSSQL2MZ_TARGET_DATA (MSSQL2MZ_TARGET_DATA)"
fi

if [ "$#" -gt 0 ]; then
  notebooks=("$@")
else
  notebooks=("$ROOT"/notebooks/*.ipynb)
fi

mkdir -p "$OUT"
failed=0
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb")
  # Execution fails on the first cell that raises (nbconvert's default: allow_errors=False).
  if "$PYTHON" -m nbconvert --to notebook --execute \
    --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 \
    --output-dir "$OUT" --output "$name" "$nb" >"$OUT/$name.log" 2>&1; then
    log "ok     $name -> job/target/notebooks/$name"
  else
    log "FAILED $name (log: $OUT/$name.log):"
    grep -E "Error|Exception|^---" "$OUT/$name.log" | tail -n 15 >&2 || tail -n 15 "$OUT/$name.log" >&2
    failed=1
  fi
done
exit "$failed"
