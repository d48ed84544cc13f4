#!/usr/bin/env bash
# The whole test suite: lint, format, types, then every test in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --dev
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src tests
.venv/bin/mypy
# Two workers per core (at most 8): a run waits on the portal half its time (a SUNAT run
# is 3.4 s of CPU in 8 s), so one worker per core leaves the cores half idle. Tests go out two at a
# time, in the order tests/conftest.py gives them: no worker is left with a queue of long
# runs while the others have finished.
workers=$(($(nproc) * 2))
exec .venv/bin/pytest -n "$((workers > 8 ? 8 : workers))" --maxschedchunk 2 "$@"
