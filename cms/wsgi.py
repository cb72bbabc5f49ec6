import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()

# Before the first request, not during it: templates, URL patterns, password list (core/warmup.py).
from core.warmup import warm_up  # noqa: E402

warm_up()
