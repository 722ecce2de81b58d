"""The certificate of a finished programme: its learner's alone, dated in their time zone, still
there after the programme changes; and the profile's onboarding badges."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from wagtail.models import Locale

from onboarding.models import Enrolment, ModuleProgress
from onboarding.services import module_complete_check, onboarding_enrol
from portal.home import PROFILE_HOOK, sections_for
from portal.models import PortalSettings, Profile
from tests.onboarding.helpers import module, onboarding_index, programme

pytestmark = pytest.mark.django_db

# 20:30 UTC on 1 March is already 2 March in Seoul (the department's time zone).
FINISHED = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)
SEOUL_DAY = datetime.date(2026, 3, 2)


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def finished(user, title: str = "Genesis", modules=("Our history", "The guarantee")):
    """A programme the person has finished, every module on FINISHED (the second excused)."""
    page = programme(title)
    for name in modules:
        module(page, name)
    enrolment = onboarding_enrol(user=user, programme=page)
    rows = list(enrolment.modules.order_by("position"))
    ModuleProgress.objects.filter(pk=rows[0].pk).update(completed_at=FINISHED)
    ModuleProgress.objects.filter(pk__in=[r.pk for r in rows[1:]]).update(excused_at=FINISHED)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=FINISHED)
    return page


def url(page) -> str:
    return reverse("onboarding:certificate", args=[page.translation_key])


def test_the_learner_sees_their_certificate(client, new_hire):
    new_hire.first_name, new_hire.last_name = "Mina", "<b>Park</b>"
    new_hire.save()
    genesis = finished(new_hire)
    client.force_login(new_hire)
    response = client.get(url(genesis))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Certificate of completion" in html
    assert "Mina &lt;b&gt;Park&lt;/b&gt;" in html and "<b>Park</b>" not in html
    assert '<p class="certificate-programme">Genesis</p>' in html
    assert f"Completed on {_date(SEOUL_DAY)}" in html
    assert "Our history" in html and f"Completed {_date(SEOUL_DAY)}" in html
    assert "The guarantee" in html and f"Excused {_date(SEOUL_DAY)}" in html
    company = PortalSettings.objects.get().company_name
    assert f'<p class="certificate-company">{company}</p>' in html
    # A print button that onboarding.js shows, no inline script.
    assert "data-print hidden" in html and "onboarding/onboarding.js" in html
    assert "<script>" not in html


def test_the_date_is_in_the_learners_own_time_zone(client, new_hire):
    genesis = finished(new_hire)
    Profile.objects.filter(user=new_hire).update(timezone="America/New_York")
    client.force_login(new_hire)
    html = client.get(url(genesis)).content.decode()
    assert f"Completed on {_date(datetime.date(2026, 3, 1))}" in html


def test_nobody_else_sees_it_and_an_unfinished_programme_has_none(
    client, new_hire, ambassador, hr, administrator
):
    genesis = finished(new_hire)
    onboarding_enrol(user=ambassador, programme=genesis)  # enrolled, not finished
    for person in (ambassador, hr, administrator):
        client.force_login(person)
        assert client.get(url(genesis)).status_code == 404
    client.force_login(new_hire)
    other = programme("Support basics")
    module(other, "Tickets")
    onboarding_enrol(user=new_hire, programme=other)
    assert client.get(url(other)).status_code == 404
    assert client.get(reverse("onboarding:certificate", args=[uuid.uuid4()])).status_code == 404


def test_signed_out_goes_to_sign_in(client, new_hire):
    genesis = finished(new_hire)
    response = client.get(url(genesis))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_certificate_stays_after_the_programme_changes(client, new_hire):
    genesis = finished(new_hire)
    genesis.title = "Genesis (2027)"
    genesis.save_revision().publish()
    module(genesis, "Added later")
    onboarding_enrol(user=new_hire, programme=genesis)  # the new module is added for them
    assert ModuleProgress.objects.filter(enrolment__user=new_hire).count() == 3
    client.force_login(new_hire)
    response = client.get(url(genesis))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Genesis (2027)" in html and f"Completed on {_date(SEOUL_DAY)}" in html
    assert "Our history" in html and "Added later" not in html


def test_a_finished_programme_through_the_learners_own_modules(client, new_hire):
    genesis = programme()
    history = module(genesis, "Our history")
    onboarding_enrol(user=new_hire, programme=genesis)
    client.force_login(new_hire)
    assert client.get(url(genesis)).status_code == 404
    assert module_complete_check(user=new_hire, module=history)  # no quiz: done once read
    assert client.get(url(genesis)).status_code == 200


def test_the_title_is_in_the_learners_language(client, new_hire):
    genesis = finished(new_hire)
    korean = Locale.objects.get(language_code="ko")
    copy = genesis.copy_for_translation(korean)
    copy.title = "제네시스"
    copy.save_revision().publish()
    client.force_login(new_hire)
    session = client.session
    session["portal_language"] = "ko"
    session.save()
    html = client.get(url(genesis)).content.decode()
    assert '<p class="certificate-programme">제네시스</p>' in html
    # A module not translated keeps its default language's title.
    assert "Our history" in html


def test_my_onboarding_links_to_the_certificate(client, new_hire):
    genesis = finished(new_hire)
    client.force_login(new_hire)
    html = client.get(onboarding_index().url).content.decode()
    assert f'href="{url(genesis)}"' in html and f"Completed {_date(SEOUL_DAY)}" in html


# --- the profile's badges ------------------------------------------------------------------


def test_the_profile_shows_completed_programmes_and_how_far_the_others_are(client, new_hire):
    genesis = finished(new_hire)
    other = programme("Support basics")
    other.title = "Support <basics>"
    other.save_revision().publish()
    first = module(other, "Tickets")
    module(other, "Escalations")
    onboarding_enrol(user=new_hire, programme=other)
    ModuleProgress.objects.filter(module=first).update(completed_at=timezone.now())
    client.force_login(new_hire)
    html = client.get(reverse("profile")).content.decode()
    assert f'<a href="{url(genesis)}">Certificate: Genesis</a>' in html
    assert f'<span class="badge badge-success">Completed {_date(SEOUL_DAY)}</span>' in html
    assert "Support &lt;basics&gt;" in html
    assert '<span class="badge badge-info">1 of 2 modules done</span>' in html


def test_the_profile_has_no_onboarding_place_for_someone_never_enrolled(outsider):
    keys = [s.key for s in sections_for(user=outsider, profile=None, hook_name=PROFILE_HOOK)]
    assert "onboarding" not in keys


@pytest.mark.parametrize("programmes", [1, 6])
def test_the_profile_place_costs_two_queries_whatever_the_programmes(
    new_hire, django_assert_max_num_queries, programmes
):
    from onboarding.wagtail_hooks import onboarding_profile_section

    for n in range(programmes):
        finished(new_hire, f"Programme {n}", modules=[f"Module {n}a", f"Module {n}b"])
    profile = Profile.objects.select_related("department").get(user=new_hire)
    with django_assert_max_num_queries(2):
        section = onboarding_profile_section(user=new_hire, profile=profile)
    assert len(section.items) == programmes
    assert all(item.tone == "success" for item in section.items)
