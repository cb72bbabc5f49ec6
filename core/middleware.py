from django.conf import settings
from django.utils import translation


class ThaiFirstLocaleMiddleware:
    """Thai unless the visitor chose English with the switch in the header.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a phone set to
    English would get English pages; for a Thai government service, Thai is the default and
    English is a choice (stored in the language cookie by ``set_language``).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # For this request only: the thread goes back to Thai afterwards, so whatever it runs
        # next outside a request (a task, a LINE handler) never inherits a visitor's English.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response
