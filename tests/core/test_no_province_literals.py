"""No province is written into the code: นครสวรรค์'s names, its NSN prefix and its codes (60,
60xx districts, 60xxxx subdistricts) appear only where a default, the demo, a test, a migration
or a hand-made layout lives. Everything else asks core/province.py or core/centre.py, so a
centre of another province (PROVINCE_CODE) reads right."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SOURCES = (".py", ".html", ".txt", ".js", ".css")
LITERALS = re.compile(r"นครสวรรค์|Nakhon Sawan|NSN|[\"']60(?:\d{2}|\d{4})?[\"']", re.IGNORECASE)
# A quoted 60 that is a number of seconds, not a province.
NOT_A_PROVINCE = re.compile(r"TIMEOUT|CONN_MAX_AGE|CRON_S")

ALLOWED_FOLDERS = (
    "tests/",  # tests name the default province on purpose
    "demo/",  # the demo is written for นครสวรรค์ and moved into the configured province
    "locale/",
)
ALLOWED = {
    "core/province.py": "the table of the 77 provinces (prefixes and capitals)",
    "cms/settings/base.py": "the default PROVINCE_CODE, 60",
    "dashboard/district_map.py": "the hand-drawn tile layout of นครสวรรค์'s 15 districts",
    "loadtest/citizen.py": "the load test's citizens register in the demo's province by its label",
    "bench/page_budget.py": "the page-weight benchmark walks the demo data of the default province",
}


def source_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        name
        for name in listed
        if name.endswith(SOURCES)
        and "/migrations/" not in name
        and not name.startswith(ALLOWED_FOLDERS)
        and name not in ALLOWED
        and (ROOT / name).is_file()
    ]


def test_no_province_literal_outside_defaults_demo_tests_and_migrations():
    found = []
    for name in source_files():
        for number, line in enumerate((ROOT / name).read_text(errors="ignore").splitlines(), 1):
            if LITERALS.search(line) and not NOT_A_PROVINCE.search(line):
                found.append(f"{name}:{number}: {line.strip()[:100]}")
    assert not found, "Province literals (use core.province / core.centre):\n" + "\n".join(found)


def test_the_allowed_files_still_exist():
    """An allowance outlives its file only by mistake."""
    missing = [name for name in ALLOWED if not (ROOT / name).is_file()]
    assert not missing
