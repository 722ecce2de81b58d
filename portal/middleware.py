from django.conf import settings
from django.http import Http404
from django.utils import translation

SESSION_LANGUAGE_KEY = "portal_language"


def remember_language(request, language: str) -> None:
    """Keep the signed-in person's language in their session, so no request looks it up."""
    if hasattr(request, "session"):
        request.session[SESSION_LANGUAGE_KEY] = language


class ProfileLanguageMiddleware:
    """Speak the language on the person's profile once they are signed in.

    Django's LocaleMiddleware knows the URL, a cookie and the browser's Accept-Language, but
    not a preference stored per person; this runs after it and after authentication.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        if request.user.is_authenticated:
            language = request.session.get(SESSION_LANGUAGE_KEY)
            if language in self.languages:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class UnconfiguredProviderMiddleware:
    """A sign-in provider that is installed but not configured answers 404, not 500.

    allauth routes every installed provider (/accounts/slack/login/ and its callback) and
    raises SocialApp.DoesNotExist when no credentials were given for it; to a visitor that
    provider simply does not exist here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from allauth.socialaccount.models import SocialApp

        if isinstance(exception, SocialApp.DoesNotExist):
            raise Http404 from exception
        return None
