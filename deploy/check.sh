#!/usr/bin/env bash
# Checks the files in deploy/ on this machine (`make deploy-check`), before they are installed:
#   gunicorn --check-config on deploy/gunicorn.conf.py and deploy/gunicorn-line.conf.py
#   nginx -t on deploy/nginx/ddc.conf, with a throwaway self-signed certificate
#   systemd-analyze verify on deploy/systemd/* (paths pointed at this checkout); any warning fails
#   bash -n on the shell scripts
# A tool that is not installed is reported and skipped (apt-get install nginx systemd).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=${PYTHON:-$root/.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

for conf in gunicorn.conf.py gunicorn-line.conf.py; do
  echo "== gunicorn --check-config deploy/$conf"
  (cd "$root" && DJANGO_SETTINGS_MODULE=cms.settings.dev "$python" -m gunicorn \
    -c "$here/$conf" --check-config) || failed=1
done

echo "== nginx -t deploy/nginx/ddc.conf"
if command -v nginx >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=ddc.example.go.th" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  sed -e "s#/etc/letsencrypt/live/ddc.example.go.th/fullchain.pem#$work/cert.pem#" \
    -e "s#/etc/letsencrypt/live/ddc.example.go.th/privkey.pem#$work/key.pem#" \
    "$here/nginx/ddc.conf" >"$work/ddc.conf"
  cat >"$work/nginx.conf" <<EOF
pid $work/nginx.pid;
error_log stderr;
events {}
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    include $work/ddc.conf;
}
EOF
  if ! nginx -q -t -p "$work" -c "$work/nginx.conf" 2>"$work/nginx.out"; then
    failed=1
  fi
  if [ -s "$work/nginx.out" ]; then
    cat "$work/nginx.out"
    failed=1
  else
    echo "nginx: the configuration is valid"
  fi
else
  echo "nginx is not installed: skipped (apt-get install nginx)"
fi

echo "== systemd-analyze verify deploy/systemd/*"
if command -v systemd-analyze >/dev/null; then
  mkdir "$work/units"
  for unit in "$here"/systemd/*.service "$here"/systemd/*.timer; do
    sed "s#/srv/ddc/app#$root#g" "$unit" >"$work/units/$(basename "$unit")"
  done
  if ! systemd-analyze verify "$work"/units/* >"$work/systemd.out" 2>&1 || [ -s "$work/systemd.out" ]; then
    cat "$work/systemd.out"
    failed=1
  else
    echo "systemd: $(find "$work/units" -type f | wc -l) units verified"
  fi
else
  echo "systemd-analyze is not installed: skipped"
fi

echo "== bash -n deploy/*.sh"
for script in "$here"/*.sh; do
  bash -n "$script" || failed=1
done

if [ "$failed" -ne 0 ]; then
  echo "deploy/ check FAILED"
  exit 1
fi
echo "deploy/ check: ok"
