#!/usr/bin/env bash
# The demo: registers the PSE in the SUNAT mock, unattended, and prints where the report is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PORTAL_BOT_SECRET_CLAVE_SOL=moddatos
exec .venv/bin/portal-bot run pe-sunat-pse-alta --mock --yes \
  --input ruc=20100066603 --input usuario_sol=MODDATOS "$@"
