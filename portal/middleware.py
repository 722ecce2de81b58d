import functools

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


class AdminAccessMiddleware:
    """A signed-in person without admin access who opens the admin gets one "no access" page.

    Wagtail answers them by sending them to sign in (WAGTAILADMIN_LOGIN_URL) with a message;
    allauth sends a person who is signed in already straight back to `next`, the admin, and
    round it goes until the browser gives up, with the message queued once per lap. Answering
    before Wagtail's view runs breaks the loop and queues no message. Signed-out visitors are
    left alone: Wagtail sends them to sign in with `next`, as it should.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The view check reads no database; it comes first so portal pages pay nothing.
        if not _requires_admin_access(view_func):
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        if user.has_perm("wagtailadmin.access_admin") and not _manager_kept_out(request):
            return None
        from portal.views import no_access

        return no_access(request)


def _manager_kept_out(request) -> bool:
    """A manager whose admin access comes from having direct reports, not from a group, opens
    the admin's dashboard and the views features offer managers, and nothing else of it
    (no choosers, no history): portal/auth.py."""
    from portal.auth import manager_admin_url_names, rights_of

    if request.user.is_superuser or not rights_of(request.user).admin_as_manager_only:
        return False
    match = request.resolver_match
    return match is None or match.url_name not in manager_admin_url_names()


def _requires_admin_access(view_func) -> bool:
    """Whether Wagtail guards this view with require_admin_access.

    Only those: the admin's other URLs (its sprite, its script translations, pages it answers
    404 for) behave as before. Wagtail wraps each guarded view in require_admin_access and then
    in decorators that keep `__wrapped__`; the guard's own code object marks it.
    """
    guard = _admin_access_guard()
    func = view_func
    while func is not None:
        if getattr(func, "__code__", None) is guard:
            return True
        func = getattr(func, "__wrapped__", None)
    return False


@functools.cache
def _admin_access_guard():
    from wagtail.admin.auth import require_admin_access

    return require_admin_access(_requires_admin_access).__code__
