from django.conf import settings


def portal(request) -> dict:
    return {"signup_open": settings.ACCOUNT_ALLOW_SIGNUPS}
