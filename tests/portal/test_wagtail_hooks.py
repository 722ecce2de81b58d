import pytest
from django.urls import reverse

from portal.models import Department, OutboxMessage
from tests.factories import DepartmentFactory, OutboxMessageFactory, UserFactory

pytestmark = pytest.mark.django_db

OUTBOX_LIST = "/admin/outbox/"


def _list_queries(client, url, django_assert_max_num_queries, limit):
    # The first request of a site creates its settings row, which starts a new generation of
    # the settings kept in the shared cache (portal/lookups.py): the second reads them anew and
    # keeps them. Count the third, as every request after it costs.
    client.get(url)
    client.get(url)
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def test_outbox_list_costs_the_same_for_ten_or_a_hundred_rows(
    client, cx_lead, django_assert_max_num_queries
):
    client.force_login(cx_lead)
    OutboxMessageFactory.create_batch(10)
    _response, ten = _list_queries(client, OUTBOX_LIST, django_assert_max_num_queries, 40)
    OutboxMessageFactory.create_batch(90, state=OutboxMessage.State.FAILED, last_error="boom")
    response, hundred = _list_queries(client, OUTBOX_LIST, django_assert_max_num_queries, 40)
    assert hundred == ten
    assert "boom" in response.content.decode()


def test_outbox_list_shows_text_as_slack_shows_it_and_filters_by_state(client, cx_lead):
    client.force_login(cx_lead)
    OutboxMessageFactory(text="Held &lt;b&gt; for <@U0123ABCD>", state=OutboxMessage.State.PREVIEW)
    OutboxMessageFactory(text="Already sent", state=OutboxMessage.State.SENT)
    body = client.get(OUTBOX_LIST, {"state": "preview"}).content.decode()
    assert "Held &lt;b&gt; for @U0123ABCD" in body
    assert "Already sent" not in body


def test_outbox_rows_cannot_be_added_or_edited_by_hand(client, cx_lead):
    client.force_login(cx_lead)
    message = OutboxMessageFactory()
    assert client.get(OUTBOX_LIST + "add/").status_code in {302, 403}
    assert client.get(f"{OUTBOX_LIST}edit/{message.pk}/").status_code in {302, 403}
    inspect = client.get(f"{OUTBOX_LIST}inspect/{message.pk}/")
    assert inspect.status_code == 200
    assert message.text in inspect.content.decode()


def test_outbox_is_hidden_from_people_outside_the_cx_team(client, leader, new_hire):
    client.force_login(leader)
    assert client.get(OUTBOX_LIST).status_code in {302, 403}
    client.force_login(new_hire)
    assert client.get(OUTBOX_LIST).status_code == 403  # the no-access page, not a sign-in loop


def test_retry_action_requeues_failed_messages(
    client, cx_lead, monkeypatch, django_capture_on_commit_callbacks
):
    from portal.services import outbox

    queued = []
    monkeypatch.setattr(outbox, "_schedule_delivery", queued.append)
    client.force_login(cx_lead)
    failed = OutboxMessageFactory(state=OutboxMessage.State.FAILED, last_error="channel_not_found")
    url = (
        reverse("wagtail_bulk_action", args=("portal", "outboxmessage", "retry"))
        + f"?id={failed.pk}&next={OUTBOX_LIST}"
    )
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert failed.idempotency_key in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == OutboxMessage.State.PENDING
    assert queued == [failed.pk]


def test_department_form_explains_bad_channel_and_missing_weekdays(client, cx_lead):
    client.force_login(cx_lead)
    department = DepartmentFactory()
    url = f"/admin/snippets/portal/department/edit/{department.pk}/"
    response = client.post(
        url,
        {
            "name": "Renamed",
            "slug": department.slug,
            "slack_channel_id": "#support",
            "timezone": "Asia/Seoul",
            "voice_time": "09:30",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a Slack channel ID such as C0123ABCD" in body
    assert "Choose at least one weekday." in body
    assert 'value="Renamed"' in body
    assert Department.objects.get(pk=department.pk).name != "Renamed"


def test_department_form_saves_weekdays(client, cx_lead):
    client.force_login(cx_lead)
    department = DepartmentFactory()
    response = client.post(
        f"/admin/snippets/portal/department/edit/{department.pk}/",
        {
            "name": department.name,
            "slug": department.slug,
            "slack_channel_id": "C0123ABCD",
            "timezone": "Europe/London",
            "voice_time": "08:45",
            "voice_weekdays": ["4", "0", "2"],
        },
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.voice_weekdays == [0, 2, 4]
    assert str(department.timezone) == "Europe/London"


def test_people_list_costs_the_same_for_few_or_many(client, hr, django_assert_max_num_queries):
    client.force_login(hr)
    url = "/admin/snippets/portal/profile/"
    _r, few = _list_queries(client, url, django_assert_max_num_queries, 40)
    department = DepartmentFactory()
    manager = UserFactory()
    for _ in range(40):
        UserFactory(department=department)
    from portal.models import Profile

    Profile.objects.exclude(user=manager).update(manager=manager, department=department)
    response, many = _list_queries(client, url, django_assert_max_num_queries, 40)
    assert many == few
    assert department.name in response.content.decode()


def test_department_list_costs_the_same_for_few_or_many(
    client, cx_lead, django_assert_max_num_queries
):
    client.force_login(cx_lead)
    url = "/admin/snippets/portal/department/"
    _r, few = _list_queries(client, url, django_assert_max_num_queries, 40)
    DepartmentFactory.create_batch(30)
    _r, many = _list_queries(client, url, django_assert_max_num_queries, 40)
    assert many == few


def test_hr_editing_a_profile_changes_that_persons_admin_language(client, hr, cx_lead):
    from portal.models import Profile

    client.force_login(hr)
    profile = Profile.objects.get(user=cx_lead)
    response = client.post(
        f"/admin/snippets/portal/profile/edit/{profile.pk}/",
        {
            "department": profile.department_id,
            "job_title": "CX lead",
            "start_date": "",
            "manager": "",
            "slack_user_id": "",
            "language": "ko",
            "timezone": "",
        },
    )
    assert response.status_code == 302
    cx_lead.wagtail_userprofile.refresh_from_db()
    assert cx_lead.wagtail_userprofile.preferred_language == "ko"


def test_profile_form_in_the_admin_explains_a_bad_slack_id(client, hr, new_hire):
    from portal.models import Profile

    client.force_login(hr)
    profile = Profile.objects.get(user=new_hire)
    response = client.post(
        f"/admin/snippets/portal/profile/edit/{profile.pk}/",
        {"job_title": "CX lead", "slack_user_id": "@hana", "language": "en", "timezone": ""},
    )
    assert response.status_code == 200
    assert "Enter a Slack member ID such as U0123ABCD." in response.content.decode()
    assert Profile.objects.get(pk=profile.pk).job_title == ""


def test_beat_schedules_are_editable_by_administrators_only(
    client, cx_lead, django_assert_max_num_queries
):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    admin = UserFactory(email="root@example.com", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response, few = _list_queries(client, "/admin/schedules/", django_assert_max_num_queries, 40)
    assert "Slack outbox: queue due messages" in response.content.decode()
    every = IntervalSchedule.objects.create(every=5, period="minutes")
    for n in range(20):
        PeriodicTask.objects.create(name=f"task {n}", task="portal.outbox_sweep", interval=every)
    _r, many = _list_queries(client, "/admin/schedules/", django_assert_max_num_queries, 40)
    assert many == few
    client.force_login(cx_lead)
    assert client.get("/admin/schedules/").status_code in {302, 403}
