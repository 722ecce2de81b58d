from django.urls import path

from onboarding import views

app_name = "onboarding"
urlpatterns = [
    path(
        "onboarding/certificate/<uuid:programme_key>/",
        views.certificate,
        name="certificate",
    ),
]
