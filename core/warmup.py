"""What a web worker would otherwise load during its first requests, loaded when it starts
(cms/wsgi.py): the URL patterns, the site's templates and the form widgets' (the cached
loader keeps them compiled per process), both languages' translations, the password
validators' list of 20,000 common passwords, the password hasher's library, Pillow's image
formats and the Redis client.

Measured in the load test (issue 17), these cost each new gunicorn worker about half a second
of CPU inside the first citizens' requests; gunicorn starts a new worker every
``max_requests`` (deploy/gunicorn.conf.py). Nothing here opens a database or Redis connection.
"""

import logging
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.password_validation import get_default_password_validators
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)

# Staff screens extend Wagtail's admin templates: compiled when first used, not by every worker.
SKIPPED_FOLDERS = {"admin", "wagtailadmin"}
WIDGET_TEMPLATES = [
    f"django/forms/widgets/{name}.html"
    for name in (
        "text",
        "email",
        "password",
        "hidden",
        "date",
        "number",
        "textarea",
        "checkbox",
        "select",
        "radio",
        "file",
        "clearable_file_input",
    )
]


def site_templates() -> list[str]:
    names = []
    for folder in map(Path, settings.TEMPLATES[0]["DIRS"]):
        for path in sorted(folder.rglob("*.html")):
            relative = path.relative_to(folder)
            if not SKIPPED_FOLDERS.intersection(relative.parts[:-1]):
                names.append(relative.as_posix())
    return names


def warm_up() -> None:
    reverse("accounts:login")  # imports the URL patterns, fills the resolver's namespaces
    for name in site_templates():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            logger.exception("Template %s could not be compiled at start-up.", name)
    renderer = get_default_renderer()
    for name in WIDGET_TEMPLATES:
        renderer.get_template(name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("ศูนย์ดำรงธรรม")
    get_default_password_validators()
    hasher = get_hasher()
    if hasher.library:
        hasher._load_library()
    from PIL import Image

    import core.uploads  # noqa: F401 (opens HEIC through pillow-heif)

    Image.init()
    if any("redis" in cache["BACKEND"].lower() for cache in settings.CACHES.values()):
        import_module("redis")
