#!/usr/bin/env bash
# manage.py with the production environment, for an operator's one-off commands:
#   sudo -u ddc /srv/ddc/app/deploy/manage.sh migrate
#   sudo -u ddc /srv/ddc/app/deploy/manage.sh createsuperuser
set -euo pipefail
app=$(cd "$(dirname "$0")/.." && pwd)
set -a
# shellcheck disable=SC1090
. "${ENV_FILE:-/etc/ddc/ddc.env}"
set +a
cd "$app"
exec "$app/.venv/bin/python" manage.py "$@"
