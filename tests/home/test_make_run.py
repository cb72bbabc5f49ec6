"""`PORT=8780 make run`: the site, the LINE stand-in's webhook and every absolute link (rich
menus, LINE messages, mails: SITE_URL) follow the port, unless SITE_URL is set. Read from
`make -n` (what make would run), so nothing is installed or started."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dry_run(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "SITE_URL")}
    result = subprocess.run(
        ["make", "-n", "run"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_links_follow_the_port():
    commands = dry_run(PORT="8780")
    assert "runserver 127.0.0.1:8780" in commands
    assert "--webhook-url http://127.0.0.1:8780/line/webhook/" in commands
    assert "export SITE_URL='http://127.0.0.1:8780'" in commands
    assert "127.0.0.1:8000" not in commands


def test_a_site_url_that_is_set_is_kept():
    commands = dry_run(PORT="8780", SITE_URL="https://ddc.example.go.th")
    assert "export SITE_URL='https://ddc.example.go.th'" in commands
