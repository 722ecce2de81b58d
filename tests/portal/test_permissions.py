"""Who may see and change what: every admin view walked with every persona, signed out too.

ROLE_TABLE is the source of the README's role table (Security section): a test renders it and
compares, so the README says exactly what these tests assert.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from wagtail.models import Site

from portal.models import Department
from tests.url_patterns import all_routes

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"

PERSONAS = [
    "new_hire",
    "ambassador",
    "outsider",
    "manager",
    "cx_lead",
    "leader",
    "hr",
    "administrator",
]
COLUMNS = {
    "new_hire": "new hire",
    "ambassador": "ambassador",
    "outsider": "employee",
    "manager": "manager",
    "cx_lead": "CX team",
    "leader": "leadership",
    "hr": "HR",
    "administrator": "superuser",
}
EVERYONE = set(PERSONAS)
ADMINS = {"cx_lead", "leader", "hr", "administrator"}
SUPER = {"administrator"}
CX, LEAD, HR = {"cx_lead", *SUPER}, {"leader", *SUPER}, {"hr", *SUPER}
# A manager is in no group: the new hire reports to them (portal/auth.py).
MANAGER = {"manager"}

# (what, URL, who gets the page). URLs with {department}, {other}, {site} are filled per test.
ROLE_TABLE: list[tuple[str, str, set[str]]] = [
    ("portal home, profile", "/profile/", EVERYONE),
    ("admin dashboard", "/admin/", ADMINS | MANAGER),
    ("CX principles: read, acknowledge", "/principles/", EVERYONE),
    (
        "CX principles: acknowledgement reports, export",
        "/admin/principles/report/",
        CX | LEAD | HR,
    ),
    (
        "pages: add, edit (principles go to Leadership for approval; onboarding, written by "
        "the CX team, to HR or the CX team)",
        "/admin/pages/",
        CX | LEAD,
    ),
    ("onboarding: my onboarding, modules, quizzes", "/onboarding/", EVERYONE),
    (
        "onboarding: my certificate of a programme I finished",
        "/onboarding/certificate/{finished_programme}/",
        {"new_hire"},
    ),
    (
        "onboarding: learners dashboard, nudge (a manager: their direct reports)",
        "/admin/onboarding/learners/",
        HR | MANAGER,
    ),
    ("onboarding: funnel, hardest questions", "/admin/onboarding/funnel/", HR | MANAGER),
    (
        "onboarding: a learner's progress and quiz attempts",
        "/admin/onboarding/learners/{report}/",
        HR | MANAGER,
    ),
    (
        "onboarding: enrol, move a due date, excuse a module",
        "/admin/onboarding/learners/{report}/enrol/",
        HR,
    ),
    ("images: upload, edit", "/admin/images/add/", CX | LEAD),
    ("documents: upload, edit", "/admin/documents/add/", CX | LEAD),
    ("portal settings", "/admin/settings/portal/portalsettings/{site}/", LEAD),
    ("departments: list", "/admin/snippets/portal/department/", ADMINS),
    ("departments: edit", "/admin/snippets/portal/department/edit/{department}/", CX),
    ("people's profiles: list", "/admin/snippets/portal/profile/", ADMINS),
    ("people's profiles: edit", "/admin/snippets/portal/profile/edit/{other_profile}/", HR),
    ("users: add (into New hires)", "/admin/users/new/", HR),
    ("users: edit someone without admin powers", "/admin/users/edit/{other}/", HR),
    ("users: edit someone with admin powers", "/admin/users/edit/{leader}/", SUPER),
    ("groups and their permissions", "/admin/groups/", SUPER),
    ("Slack outbox: view, retry", "/admin/outbox/", CX),
    ("touchpoints: add, edit", "/admin/snippets/ambassadors/touchpoint/add/", CX),
    ("ambassador appointments: list", "/admin/snippets/ambassadors/appointment/", CX | LEAD | HR),
    (
        "ambassador appointments: appoint, end a term",
        "/admin/snippets/ambassadors/appointment/add/",
        CX,
    ),
    ("stories: review (approve, ask for changes)", "/admin/stories/", CX),
    ("concerns: triage queue (portal)", "/concerns/triage/", CX | LEAD),
    ("concerns: triage report, export (admin)", "/admin/concerns/triage/", CX | LEAD),
    ("concerns: systemic candidates (CX team acts)", "/admin/concerns/candidates/", CX | LEAD),
    ("concern SLAs: edit", "/admin/concerns/slas/", CX),
    ("customer feedback: list, inspect", "/admin/feedback/items/", CX),
    ("customer feedback: import, reports", "/admin/feedback/import/", CX),
    ("daily voices, customer metrics (portal)", "/voices/metrics/", EVERYONE),
    ("daily voice routing rules", "/admin/voices/routes/", CX),
    ("next seven voices, pinning a voice", "/admin/voices/preview/", CX),
    ("CX channels", "/admin/settings/stories/cxsettings/{site}/", CX),
    ("schedules (Celery beat)", "/admin/schedules/", SUPER),
    ("workflows, sites, collections, redirects", "/admin/workflows/list/", SUPER),
]

# Someone else's certificate, or one not earned, does not exist for them: 404, not 403.
NOT_FOUND_WHEN_REFUSED = {"/onboarding/certificate/{finished_programme}/"}

# Admin assets (translations, icons) that any signed-in person may load, and Wagtail's own
# test views.
ASSET_ADMIN_URLS = {"admin/jsi18n/", "admin/sprite/"}
# What a manager, who opens the admin for their reports' onboarding only, finds open there:
# the dashboard, their own account settings, the reports they may read, search of nothing.
MANAGER_ADMIN_URLS = {
    "admin/",
    "admin/onboarding/learners/",
    "admin/onboarding/learners/results/",
    "admin/onboarding/funnel/",
}
NOT_WALKED = {"admin/failwhale/", "admin/test404/", "admin/logout/"}


def render_role_table() -> str:
    header = "| may | " + " | ".join(COLUMNS.values()) + " |"
    rule = "| --- |" + " :-: |" * len(COLUMNS)
    rows = [
        f"| {what} | " + " | ".join("✓" if p in who else "" for p in COLUMNS) + " |"
        for what, _url, who in ROLE_TABLE
    ]
    return "\n".join([header, rule, *rows])


def _parameterless_admin_urls() -> list[str]:
    urls = {
        url
        for url in all_routes()
        if url.startswith("admin/") and not any(c in url for c in "<(^$")
    }
    return sorted(urls - NOT_WALKED)


@pytest.fixture
def manager(db, new_hire, department):
    """An employee in no group whom the new hire reports to."""
    from portal.models import Profile
    from tests.factories import UserFactory

    person = UserFactory(email="manager@example.com", department=department)
    Profile.objects.filter(user=new_hire).update(manager=person)
    return person


@pytest.fixture
def everyone(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


def _finished_programme(everyone) -> str:
    """A programme the new hire finished; the ambassador is enrolled in it too, unfinished."""
    from django.utils import timezone

    from onboarding.models import Enrolment
    from onboarding.services import onboarding_enrol
    from tests.onboarding.helpers import module, programme

    genesis = programme()
    module(genesis, "Our history")
    onboarding_enrol(user=everyone["ambassador"], programme=genesis)
    enrolment = onboarding_enrol(user=everyone["new_hire"], programme=genesis)
    enrolment.modules.update(completed_at=timezone.now())
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    return str(genesis.translation_key)


def _fill(url: str, everyone) -> str:
    other = everyone["outsider"]
    return url.format(
        department=Department.objects.get(slug="support").pk,
        other=other.pk,
        other_profile=other.profile.pk,
        leader=everyone["leader"].pk,
        report=everyone["new_hire"].pk,
        site=Site.objects.get(is_default_site=True).pk,
        finished_programme=_finished_programme(everyone) if "{finished_programme}" in url else "",
    )


@pytest.mark.parametrize(("what", "url", "allowed"), ROLE_TABLE, ids=[r[0] for r in ROLE_TABLE])
def test_role_table(client, everyone, what, url, allowed):
    refusals = {302, 403, 404} if url in NOT_FOUND_WHEN_REFUSED else {302, 403}
    url = _fill(url, everyone)
    got = {}
    for name, user in everyone.items():
        client.force_login(user)
        got[name] = client.get(url).status_code
    client.logout()
    assert {name for name, status in got.items() if status == 200} == allowed, got
    assert all(status in {200, *refusals} for status in got.values()), got
    signed_out = client.get(url)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/")


def test_every_admin_view_with_every_persona(client, everyone):
    """No admin page opens for people without admin access, nor to anyone signed out."""
    client.raise_request_exception = False
    urls = _parameterless_admin_urls()
    assert len(urls) > 80  # the walk found Wagtail's admin, not an empty list
    failures = []
    for url in urls:
        response = client.get("/" + url)
        if response.status_code not in {302, 404}:
            failures.append(("signed out", url, response.status_code))
    for name, user in everyone.items():
        client.force_login(user)
        for url in urls:
            status = client.get("/" + url).status_code
            opened_to_non_admin = (
                name not in ADMINS
                and status == 200
                and url not in ASSET_ADMIN_URLS
                and not (name == "manager" and url in MANAGER_ADMIN_URLS)
            )
            if status >= 500 or opened_to_non_admin:
                failures.append((name, url, status))
    assert failures == []


def test_sensitive_choosers_list_rows_only_to_their_viewers(client, everyone):
    choosers = {
        "/admin/snippets/choose/portal/outboxmessage/": CX,
        "/admin/snippets/choose/django_celery_beat/periodictask/": SUPER,
        "/admin/snippets/choose/django_celery_beat/crontabschedule/": SUPER,
        "/admin/snippets/choose/django_celery_beat/intervalschedule/": SUPER,
    }
    for url, allowed in choosers.items():
        got = set()
        for name, user in everyone.items():
            client.force_login(user)
            if client.get(url).status_code == 200:
                got.add(name)
        assert got == allowed, url


def test_readme_role_table_is_the_one_the_tests_assert():
    readme = README.read_text()
    start = readme.index("<!-- role-table:start -->") + len("<!-- role-table:start -->")
    end = readme.index("<!-- role-table:end -->")
    assert readme[start:end].strip() == render_role_table()
