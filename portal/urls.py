from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import brand, security, views

# One sign-in page for everything (allauth's, by email, rate-limited): Wagtail's own sign-in
# views would ask for a username and skip allauth's limits and settings.
_to_sign_in = login_not_required(
    RedirectView.as_view(pattern_name="account_login", query_string=True)
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("slack/events", views.slack_events, name="slack_events"),
    path("language/", views.set_language, name="set_language"),
    path("profile/", views.profile, name="profile"),
    path("csp-report", security.csp_report, name="csp_report"),
    path("mascot/<str:size>/", brand.mascot, name="mascot"),
    # The work email is the identity SSO and Slack matching rely on: HR changes it, nobody
    # else, so allauth's page for adding and switching addresses is not offered.
    path("accounts/email/", security.not_offered),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", _to_sign_in),
    path("_util/login/", _to_sign_in),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Uploads (the mascot image) are few and small; serving them here keeps them behind
    # sign-in. A proxy in front may serve MEDIA_ROOT itself instead (see the README).
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        serve,
        {"document_root": settings.MEDIA_ROOT},
        name="media",
    ),
    # Feature apps' pages, before Wagtail's catch-all page serving.
    path("", include("stories.urls")),
    path("", include("ambassadors.urls")),
    path("", include("onboarding.urls")),
    path("", include(wagtail_urls)),
]

handler500 = "portal.errors.server_error"
handler404 = "portal.views.page_not_found"
handler403 = "portal.views.permission_denied"
