"""Settings for the gunicorn server that test_wizard_restart starts (and kills) itself.

The test suite's settings (the small not-a-robot proof of work), with the static files a
phone needs (CSS, the area, counter and not-a-robot scripts) served by WhiteNoise straight from
the app folders, because gunicorn serves nothing by itself and DEBUG stays off. The database, the
private media folder and the secret come from the environment the test gives the server.
"""

from cms.settings.test import *  # noqa: F403
from cms.settings.test import MIDDLEWARE

MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing is collected: WhiteNoise serves from the finders only
