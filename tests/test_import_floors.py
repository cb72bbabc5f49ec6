"""Apps stand on floors and an import never points up a floor.

The kernel (core) imports no other app; accounts and addresses stand on it; line_integration
knows accounts but none of the domain apps; the domain apps use line_integration; what
assembles them (demo data, the home page) comes above, and the project (cms: settings, URLs)
on top. Apps on the same floor may use each other. Every import statement of every project
file counts, inside functions and in migrations too, and so does a migration's dependency on
another app's migration.

A new app gets its floor in FLOORS; until then this test fails and says so.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

FLOORS = {
    "core": 0,
    "addresses": 1,
    "accounts": 2,
    "line_integration": 3,
    "complaints": 4,
    "news": 4,
    "chat": 5,
    "dashboard": 5,
    "alerts": 5,
    "open311": 5,
    "opendata": 6,
    "home": 6,
    "demo": 6,
    "cms": 7,
}
# Python that is not an app: tests and tools may import any app, and no app imports them.
NOT_APPS = {"tests", "bench", "loadtest", "deploy"}
SKIPPED_DIRS = {"node_modules", "static", "templates", "locale", "media", "private_media"}


def top_level_folders() -> list[Path]:
    return sorted(
        path
        for path in ROOT.iterdir()
        if path.is_dir() and not path.name.startswith(".") and path.name not in SKIPPED_DIRS
    )


def python_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if ".venv" not in path.parts)


def imported_top_levels(tree: ast.AST) -> list[tuple[str, int]]:
    """(first component of each absolute import, line)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], node.lineno))
    return found


def migration_dependencies(tree: ast.AST) -> list[tuple[str, int]]:
    """(app label, line) of each entry of a migration's ``dependencies``."""
    user_app = settings.AUTH_USER_MODEL.split(".")[0]
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            continue
        for entry in node.value.elts:
            if isinstance(entry, ast.Tuple) and isinstance(entry.elts[0], ast.Constant):
                found.append((entry.elts[0].value, entry.lineno))
            elif isinstance(entry, ast.Call):  # migrations.swappable_dependency(AUTH_USER_MODEL)
                found.append((user_app, entry.lineno))
    return found


def uses_of_other_apps(folder: Path) -> list[tuple[str, str, int]]:
    """(used app or folder, file, line) for every import and migration dependency."""
    uses = []
    for path in python_files(folder):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found = imported_top_levels(tree)
        if "migrations" in path.parts:
            found += migration_dependencies(tree)
        relative = str(path.relative_to(ROOT))
        uses += [(name, relative, line) for name, line in found if name != folder.name]
    return uses


def project_packages() -> set[str]:
    return {folder.name for folder in top_level_folders()} | {
        path.stem for path in ROOT.glob("*.py")
    }


def test_every_folder_of_python_is_an_app_with_a_floor_or_a_known_tool():
    unknown = [
        folder.name
        for folder in top_level_folders()
        if python_files(folder) and folder.name not in FLOORS and folder.name not in NOT_APPS
    ]
    assert unknown == [], (
        f"{unknown}: give each app its floor in FLOORS of {Path(__file__).name} "
        f"(kernel 0 ... assembly 6, cms on top), or list a folder that is not an app in NOT_APPS"
    )


def test_no_app_imports_a_higher_floor():
    project = project_packages()
    wrong = []
    for folder in top_level_folders():
        if folder.name not in FLOORS:
            continue
        floor = FLOORS[folder.name]
        for used, path, line in uses_of_other_apps(folder):
            if used not in project:
                continue  # Django, Wagtail, the standard library...
            if used not in FLOORS:
                wrong.append(f"{path}:{line} uses {used}, which is not an app with a floor")
            elif FLOORS[used] > floor:
                wrong.append(
                    f"{path}:{line}: {folder.name} (floor {floor}) uses "
                    f"{used} (floor {FLOORS[used]})"
                )
    assert wrong == [], "imports that point up a floor:\n" + "\n".join(wrong)


def test_the_check_sees_an_upward_import(tmp_path):
    """The parser finds imports wherever they are: top level, in a function, a dotted name."""
    tree = ast.parse(
        "import core.menu\n"
        "from complaints.models import Complaint\n"
        "def later():\n"
        "    from chat import services\n"
        "from . import sibling\n"
    )
    assert [name for name, _line in imported_top_levels(tree)] == ["core", "complaints", "chat"]
    migration = ast.parse(
        "class Migration:\n"
        "    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL),\n"
        "                    ('complaints', '0001_initial')]\n"
    )
    assert [name for name, _line in migration_dependencies(migration)] == [
        "accounts",
        "complaints",
    ]
