#!/usr/bin/env bash
# The whole test suite: lint, format, types, then every test in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --dev
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src tests
.venv/bin/mypy
exec .venv/bin/pytest -n auto --dist loadgroup "$@"
