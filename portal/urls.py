from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("slack/events", views.slack_events, name="slack_events"),
    path("language/", views.set_language, name="set_language"),
    path("profile/", views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    # One sign-in page for everything: Wagtail's own would ask for a username, not the email.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True)),
    ),
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
    path("", include(wagtail_urls)),
]
