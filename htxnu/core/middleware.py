from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise with the language switch (cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many
    officers' phones are set to English; the interface must still open in Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NulCharacterMiddleware:
    """400 for a request with a NUL character in a parameter or a form field.

    PostgreSQL refuses NUL in text ("text fields cannot contain NUL"), so one in a filter
    of the API or a field read outside a form was a 500 there and not on SQLite (issue
    #14). No one types it; forms would refuse it anyway (Django's CharField does)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for query in [request.GET, *([request.POST] if request.method == "POST" else [])]:
            if any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists()):
                return HttpResponseBadRequest(_("The request contains a NUL character (\\0), which no field takes. "
                                                "Nothing was saved."), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
