"""deploy/backup.sh makes backups that restore: the database dump goes into an empty database
with pg_restore and the complaint is there; the private files come back byte for byte, from a
folder or from the private bucket."""

import hashlib
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from bench.common import BenchDatabase
from tests.complaints.factories import ComplaintFactory
from tests.deploy.conftest import PRIVATE_BUCKET
from tests.deploy.support import (
    ALTCHA_HMAC_KEY,
    ROOT,
    SECRET_KEY,
    child_database_url,
    postgres_only,
)

pytestmark = [
    postgres_only,
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed"),
    pytest.mark.django_db(transaction=True),
]
EVIDENCE = b"%PDF-1.4 the citizen's evidence"


def backup(tmp_path: Path, **env: str) -> Path:
    """Run deploy/backup.sh with an env file as /etc/ddc/ddc.env would be; the run's folder."""
    settings = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": "backup-test-field-key",
        "ALTCHA_HMAC_KEY": ALTCHA_HMAC_KEY,
        "DATABASE_URL": child_database_url(),
        "SITE_URL": "https://ddc.example.go.th",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private_media"),
        **env,
    }
    env_file = tmp_path / "ddc.env"
    env_file.write_text("".join(f'{key}="{value}"\n' for key, value in settings.items()))
    result = subprocess.run(
        ["bash", str(ROOT / "deploy" / "backup.sh")],
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": str(env_file), "BACKUP_DIR": str(tmp_path / "b")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    runs = sorted((tmp_path / "b").glob("ddc-*"))
    assert len(runs) == 1 and runs[0].is_dir(), runs
    return runs[0]


def checked(run: Path) -> set[str]:
    sums = subprocess.run(
        ["sha256sum", "--check", "SHA256SUMS"], cwd=run, capture_output=True, text=True
    )
    assert sums.returncode == 0, sums.stdout + sums.stderr
    return {path.name for path in run.iterdir()}


def restored_tracking_numbers(dump: Path, workdir: Path) -> list[str]:
    target = BenchDatabase(workdir)
    target.name = f"{connection.settings_dict['NAME']}_restore"[:63]
    target.url = child_database_url().rsplit("/", 1)[0] + "/" + target.name
    target.create()
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", target.url, str(dump)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        rows = subprocess.run(
            ["psql", target.url, "-tAc", "SELECT tracking_number FROM complaints_complaint"],
            check=True,
            capture_output=True,
            text=True,
        )
        return rows.stdout.split()
    finally:
        target.drop()


def test_database_and_private_folder_are_backed_up_and_restore(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", child_database_url())  # BenchDatabase's admin link
    complaint = ComplaintFactory()
    private = tmp_path / "private_media" / "evidence" / "2026"
    private.mkdir(parents=True)
    (private / "a1b2.pdf").write_bytes(EVIDENCE)

    run = backup(tmp_path)

    assert checked(run) == {"database.dump", "private.tar.gz", "SHA256SUMS"}
    assert restored_tracking_numbers(run / "database.dump", tmp_path) == [complaint.tracking_number]
    with tarfile.open(run / "private.tar.gz") as tar:
        assert tar.extractfile("./evidence/2026/a1b2.pdf").read() == EVIDENCE


def test_a_private_bucket_is_backed_up_object_by_object(tmp_path, bucket):
    endpoint, s3 = bucket
    s3.put_object(Bucket=PRIVATE_BUCKET, Key="evidence/2026/c3d4.jpg", Body=EVIDENCE)
    s3.put_object(Bucket=PRIVATE_BUCKET, Key="history/e5f6.pdf", Body=EVIDENCE * 2)

    run = backup(
        tmp_path,
        S3_ENDPOINT_URL=endpoint,
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="deploy-test",
        S3_SECRET_ACCESS_KEY="deploy-test-secret",
        PRIVATE_S3_BUCKET=PRIVATE_BUCKET,
    )

    assert "private.tar.gz" in checked(run)
    with tarfile.open(run / "private.tar.gz") as tar:
        found = {
            member.name: hashlib.sha256(tar.extractfile(member).read()).hexdigest()
            for member in tar.getmembers()
        }
    assert found == {
        "evidence/2026/c3d4.jpg": hashlib.sha256(EVIDENCE).hexdigest(),
        "history/e5f6.pdf": hashlib.sha256(EVIDENCE * 2).hexdigest(),
    }
