import pytest
from django.core.management import CommandError, call_command
from wagtail.images.models import Image

from portal.demo import DEPARTMENTS, PERSONAS
from portal.models import Department, PortalSettings, Profile, User

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(
        Profile.objects.values_list(
            "user__email", "department__slug", "manager__email", "job_title", "language"
        )
    )


def test_demo_builds_the_company_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("demo")
    first = _snapshot()
    call_command("demo")
    assert _snapshot() == first
    assert Department.objects.count() == len(DEPARTMENTS) == 8
    assert User.objects.count() == 40
    zones = set(Department.objects.values_list("timezone", flat=True))
    assert {"Asia/Seoul", "Asia/Tokyo", "Asia/Kolkata", "Europe/London", "America/New_York"} <= {
        str(z) for z in zones
    }
    output = capsys.readouterr().out
    for persona in PERSONAS:
        assert f"{persona.email}@demo.example" in output
    portal_settings = PortalSettings.objects.get()
    assert portal_settings.programme_name == "Customer for Life"
    assert portal_settings.mascot_image.width == 256
    assert Image.objects.count() == 1


def test_demo_personas_sign_in_and_hold_their_groups(settings, client):
    settings.DEBUG = True
    call_command("demo")
    new_hire = User.objects.get(email="newhire@demo.example")
    assert list(new_hire.groups.values_list("name", flat=True)) == ["New hires"]
    assert User.objects.get(email="admin@demo.example").is_superuser
    response = client.post(
        "/accounts/login/", {"login": "cx@demo.example", "password": "customer-first"}
    )
    assert response.status_code == 302
    assert Profile.objects.exclude(department=None).count() == 40


def test_demo_refuses_to_run_in_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("demo")
    assert not User.objects.exists()
