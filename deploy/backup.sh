#!/usr/bin/env bash
# Back up what cannot be rebuilt: the PostgreSQL database and the files (private evidence and
# attachments, public media). Run daily by deploy/systemd/ddc-backup.timer, or by hand:
#
#   sudo -u ddc deploy/backup.sh                 # reads /etc/ddc/ddc.env
#   ENV_FILE=/path/to/env BACKUP_DIR=/mnt/backup deploy/backup.sh
#
# Writes into BACKUP_DIR (default /srv/ddc/backups) one folder per run, ddc-YYYYmmdd-HHMMSS/:
#   database.dump   pg_dump's custom format (restore: pg_restore, see README "Production")
#   private.tar.gz  PRIVATE_MEDIA_ROOT, or every object of PRIVATE_S3_BUCKET
#   media.tar.gz    MEDIA_ROOT, or every object of MEDIA_S3_BUCKET
#   SHA256SUMS
# With BACKUP_GPG_RECIPIENT set, each file is encrypted to that public key (*.gpg) and the
# plain copy removed: the backup holds citizens' personal data (PDPA). Runs older than
# BACKUP_KEEP_DAYS (14) are deleted. FIELD_ENCRYPTION_KEY is NOT in the backup: keep it apart
# (a password safe); without it the national IDs in a restored database cannot be read.
set -euo pipefail
umask 077

here=$(cd "$(dirname "$0")" && pwd)
app=$(dirname "$here")
env_file=${ENV_FILE:-/etc/ddc/ddc.env}
if [ -r "$env_file" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set (in $env_file or the environment)}"
python=${PYTHON:-$app/.venv/bin/python}
backup_dir=${BACKUP_DIR:-/srv/ddc/backups}
keep_days=${BACKUP_KEEP_DAYS:-14}
run="$backup_dir/ddc-$(date +%Y%m%d-%H%M%S)"
partial="$run.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

# 1. The database, consistent as of the dump's start (one transaction), while the site runs.
pg_dump --format=custom --no-owner --no-privileges --file="$partial/database.dump" "$DATABASE_URL"

# 2. Files: folders on this machine, or the buckets (copied with the app's own S3 settings).
archive_folder() {  # name folder
  if [ -d "$2" ]; then
    tar -C "$2" -czf "$partial/$1.tar.gz" .
  else
    echo "backup: $2 does not exist, $1.tar.gz left out" >&2
  fi
}
archive_bucket() {  # name bucket
  (cd "$app" && DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-cms.settings.production} \
    "$python" - "$2" "$partial/$1.tar.gz" <<'PY'
import io
import sys
import tarfile

import boto3
import django

django.setup()
from django.conf import settings  # noqa: E402

bucket, target = sys.argv[1], sys.argv[2]
options = settings.S3_OPTIONS
s3 = boto3.client(
    "s3",
    endpoint_url=options["endpoint_url"],
    region_name=options["region_name"],
    aws_access_key_id=options["access_key"],
    aws_secret_access_key=options["secret_key"],
)
count = 0
with tarfile.open(target, "w:gz") as tar:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            info = tarfile.TarInfo(item["Key"])
            info.size, info.mtime = len(body), item["LastModified"].timestamp()
            tar.addfile(info, io.BytesIO(body))
            count += 1
print(f"backup: {count} objects from bucket {bucket}", file=sys.stderr)
PY
  )
}
if [ -n "${PRIVATE_S3_BUCKET:-}" ]; then
  archive_bucket private "$PRIVATE_S3_BUCKET"
else
  archive_folder private "${PRIVATE_MEDIA_ROOT:-$app/private_media}"
fi
if [ -n "${MEDIA_S3_BUCKET:-}" ]; then
  archive_bucket media "$MEDIA_S3_BUCKET"
else
  archive_folder media "${MEDIA_ROOT:-$app/media}"
fi

# 3. Encrypt (optional), checksum, and make the run visible only once it is complete.
if [ -n "${BACKUP_GPG_RECIPIENT:-}" ]; then
  for file in "$partial"/*; do
    gpg --batch --yes --trust-model always --recipient "$BACKUP_GPG_RECIPIENT" \
      --output "$file.gpg" --encrypt "$file"
    rm -f "$file"
  done
fi
(cd "$partial" && sha256sum -- * >SHA256SUMS)
mv "$partial" "$run"
trap - EXIT
echo "backup: $run"

# 4. Old runs.
find "$backup_dir" -mindepth 1 -maxdepth 1 -type d -name 'ddc-*' ! -name '*.partial' \
  -mtime "+$keep_days" -exec rm -rf {} +
