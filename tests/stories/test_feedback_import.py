"""Importing feedback files: formats, encodings, upserts, bad rows, the command and the admin."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from ambassadors.models import Touchpoint
from stories.models import FeedbackImport, FeedbackItem, Polarity, ScoreScale
from stories.services.feedback_import import ImportFormatError, feedback_import

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "stories/static/stories/feedback-sample.csv"
HEADER = "external_id,received_at,text,score,market,language,touchpoint,tags"


@pytest.fixture
def touchpoints(db):
    Touchpoint.objects.create(slug="billing", name="Billing")
    Touchpoint.objects.create(slug="support", name="Support")
    Touchpoint.objects.create(slug="onboarding", name="Onboarding")
    Touchpoint.objects.create(slug="delivery", name="Production & delivery")


def run(data: bytes, **options):
    errors = []
    result = feedback_import(io.BytesIO(data), on_error=errors.append, **options)
    return result, errors


def test_the_sample_file_imports_whole(touchpoints):
    result, errors = run(SAMPLE.read_bytes(), name="feedback-sample.csv")
    assert errors == []
    assert (result.rows, result.created, result.invalid) == (10, 10, 0)
    assert FeedbackItem.objects.count() == 10
    detractor = FeedbackItem.objects.get(external_id="nps-2026-0001")
    assert detractor.source == "nps-survey"
    assert (detractor.score, detractor.score_scale) == (2, ScoreScale.NPS)
    assert detractor.polarity == Polarity.NEGATIVE
    assert detractor.touchpoint.slug == "billing"
    assert detractor.tag_list == ["payment gateway", "checkout"]
    assert (detractor.market, detractor.language) == ("KR", "ko")
    assert FeedbackItem.objects.get(external_id="nps-2026-0002").polarity == Polarity.POSITIVE
    assert FeedbackItem.objects.get(external_id="nps-2026-0003").polarity == Polarity.NEUTRAL
    # A 1-5 rating for the app store: 4 is positive, 1 negative.
    assert FeedbackItem.objects.get(external_id="app-5533").score_scale == ScoreScale.RATING
    assert FeedbackItem.objects.get(external_id="app-5533").polarity == Polarity.POSITIVE
    # No score: the text decides (Korean and English).
    assert FeedbackItem.objects.get(external_id="zd-88122").polarity == Polarity.NEGATIVE
    assert FeedbackItem.objects.get(external_id="zd-88123").polarity == Polarity.POSITIVE
    moment = FeedbackItem.objects.get(external_id="nps-2026-0002").received_at
    assert moment == datetime.datetime(2026, 3, 2, 1, 15, tzinfo=datetime.UTC)


def test_importing_the_same_file_again_changes_nothing(touchpoints):
    run(SAMPLE.read_bytes())
    before = dict(FeedbackItem.objects.values_list("external_id", "updated_at"))
    result, errors = run(SAMPLE.read_bytes())
    assert errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 10)
    assert dict(FeedbackItem.objects.values_list("external_id", "updated_at")) == before


def test_a_changed_row_is_updated_in_place(touchpoints):
    run(SAMPLE.read_bytes())
    changed = SAMPLE.read_bytes().replace(
        b"nps-2026-0003,2026-03-03,nps-survey,US,en,8",
        b"nps-2026-0003,2026-03-03,nps-survey,US,en,9",
    )
    result, _errors = run(changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 9)
    item = FeedbackItem.objects.get(external_id="nps-2026-0003")
    assert (item.score, item.polarity) == (9, Polarity.POSITIVE)
    assert FeedbackItem.objects.count() == 10


KOREAN = "external_id,received_at,text,source\nk-1,2026-01-05,배송이 너무 늦어요. 실망했습니다,cs\n"


@pytest.mark.parametrize(
    "data",
    [
        KOREAN.encode("utf-8"),
        b"\xef\xbb\xbf" + KOREAN.encode("utf-8"),
        KOREAN.encode("cp949"),
        KOREAN.encode("euc-kr"),
        KOREAN.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8 with BOM", "cp949", "euc-kr", "utf-16"],
)
def test_encodings_korean_spreadsheets_use(data):
    result, errors = run(data)
    assert errors == [] and result.created == 1
    item = FeedbackItem.objects.get()
    assert item.text == "배송이 너무 늦어요. 실망했습니다"
    assert (item.language, item.polarity) == ("ko", Polarity.NEGATIVE)


def test_semicolons_and_header_case_are_understood():
    data = "External_ID;Received At;TEXT;Source\nx-1;2026-01-05;Great help, thanks;web\n"
    result, errors = run(data.encode())
    assert errors == [] and result.created == 1
    assert FeedbackItem.objects.get().source == "web"


def test_xlsx_with_typed_cells(touchpoints):
    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "received_at", "text", "score", "touchpoint", "Notes"])
    sheet.append(
        [
            1001,
            datetime.datetime(2026, 2, 1, 9, 30),
            "Love the new invoice page",
            5.0,
            "Billing",
            "x",
        ]
    )
    sheet.append([1002, datetime.date(2026, 2, 2), "Checkout failed twice", 1, "billing", None])
    sheet.append([None, None, None, None, None, None])
    sheet.append([1003, "2026-02-03", "", 3, "billing", None])
    buffer = io.BytesIO()
    book.save(buffer)
    result, errors = run(buffer.getvalue(), name="answers.xlsx", source="app-store")
    assert (result.created, result.invalid) == (2, 1)
    assert result.unknown_columns == ["Notes"]
    assert [(e.line, e.column) for e in errors] == [(5, "text")]
    first = FeedbackItem.objects.get(external_id="1001")
    assert (first.score, first.polarity, first.touchpoint.slug) == (5, Polarity.POSITIVE, "billing")
    assert FeedbackItem.objects.get(external_id="1002").polarity == Polarity.NEGATIVE


def test_every_kind_of_bad_row_is_reported_and_the_good_rows_kept(touchpoints):
    rows = [
        HEADER + ",source",
        'ok-1,2026-01-01,"A quote\nover two lines",9,KR,ko,billing,,nps-web',
        ",2026-01-02,no id,,,,,,nps-web",  # line 4
        "bad-date,31/01/2026,text,,,,,,nps-web",
        "future,2099-01-01,text,,,,,,nps-web",
        "nps-high,2026-01-03,text,11,,,,,nps-web",
        "not-number,2026-01-03,text,ten,,,,,nps-web",
        "rating-high,2026-01-03,text,7,,,,,app-store",
        "market,2026-01-03,text,,Korea,,,,nps-web",
        "language,2026-01-03,text,,,korean!,,,nps-web",
        "touchpoint,2026-01-03,text,,,,nowhere,,nps-web",
        "no-text,2026-01-03,,,,,,,nps-web",
        "bad-source,2026-01-03,text,,,,,,Bad Source!",
        f"too-long,2026-01-03,{'x' * 10001},,,,,,nps-web",
        "ok-2,2026-01-04,fine,7,US,en,,,nps-web",
        "two-errors,someday,,,,,,,nps-web",
    ]
    result, errors = run("\n".join(rows).encode())
    assert (result.created, result.invalid) == (2, 13)
    found = [(e.line, e.column) for e in errors]
    assert found == [
        (4, "external_id"),
        (5, "received_at"),
        (6, "received_at"),
        (7, "score"),
        (8, "score"),
        (9, "score"),
        (10, "market"),
        (11, "language"),
        (12, "touchpoint"),
        (13, "text"),
        (14, "source"),
        (15, "text"),
        (17, "received_at"),
        (17, "text"),
    ]
    assert all(e.reason for e in errors)
    assert "0 to 10" in errors[3].reason and "1 to 5" in errors[5].reason
    assert set(FeedbackItem.objects.values_list("external_id", flat=True)) == {"ok-1", "ok-2"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"external_id,text\n1,hello\n", "received_at"),
        (b"%PDF-1.4\n\x00\x01binary", "not a CSV or XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", ".xls"),
        (b"PK\x03\x04not really a zip", "XLSX"),
        (b"", "empty"),
        (
            "external_id,received_at,text,source\n1,2026-01-01,좋아요,a\n".encode()
            + b"2,2026-01-01,\xff\xfe bad,a\n",
            "encoding",
        ),
        (b"external_id,received_at,text\n1,2026-01-01,hello\n", "source"),
    ],
    ids=["missing column", "binary", "xls", "broken xlsx", "empty", "mixed encoding", "no source"],
)
def test_a_file_that_cannot_be_read_imports_nothing(data, message):
    with pytest.raises(ImportFormatError, match=message):
        run(data)
    assert FeedbackItem.objects.count() == 0


def test_check_only_counts_and_writes_nothing(touchpoints):
    result, errors = run(SAMPLE.read_bytes(), dry_run=True)
    assert (result.created, result.dry_run, errors) == (10, True, [])
    assert FeedbackItem.objects.count() == 0


def test_the_same_id_twice_in_one_file_is_one_item():
    data = "external_id,received_at,text,source\n1,2026-01-01,first,web\n1,2026-01-02,second,web\n"
    result, _errors = run(data.encode())
    assert result.created == 1
    assert FeedbackItem.objects.get().text == "second"


def test_progress_is_reported_in_rows():
    lines = ["external_id,received_at,text,source"] + [
        f"{n},2026-01-01,text {n},web" for n in range(2500)
    ]
    seen = []
    feedback_import(
        io.BytesIO("\n".join(lines).encode()),
        on_progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 2500) and seen[-1] == (2500, 2500)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)
    assert FeedbackItem.objects.count() == 2500


def test_the_command_prints_bad_rows_and_a_summary(tmp_path, touchpoints):
    path = tmp_path / "answers.csv"
    path.write_text(
        HEADER + "\n1,2026-01-01,Great,9,KR,ko,,\n2,not a date,Bad,,,,,\n=3,2026-01-01,,,,,,\n"
    )
    report = tmp_path / "report.csv"
    out = io.StringIO()
    call_command(
        "import_feedback", str(path), "--source", "nps-survey", "--report", str(report), stdout=out
    )
    text = out.getvalue()
    assert "line 3, received_at:" in text
    assert "line 4, text:" in text
    assert "3 rows: 1 added, 0 changed, 0 unchanged, 2 invalid." in text
    lines = list(csv.reader(report.open()))
    assert lines[0] == ["line", "column", "value", "reason"]
    assert lines[2][:3] == ["4", "text", ""]
    assert FeedbackItem.objects.count() == 1
    out = io.StringIO()
    call_command("import_feedback", str(path), "--source", "nps-survey", "--dry-run", stdout=out)
    assert "0 added, 0 changed, 1 unchanged" in out.getvalue()
    assert "nothing was written" in out.getvalue()


def test_the_command_refuses_an_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_feedback", str(tmp_path / "missing.csv"))
    path = tmp_path / "wrong.csv"
    path.write_text("id,text\n1,hello\n")
    with pytest.raises(CommandError, match="Required columns are missing"):
        call_command("import_feedback", str(path), "--source", "web")


# --- the admin --------------------------------------------------------------------------------


def _upload(client, data: bytes, name="answers.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/admin/feedback/import/",
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **fields},
    )


def test_the_cx_team_imports_in_the_admin_with_progress_and_a_report(
    client, cx_lead, touchpoints, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(cx_lead)
    data = SAMPLE.read_bytes() + b"bad-1,yesterday,zendesk,,,,,,,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, data, source="", score_scale="")
    job = FeedbackImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/feedback/import/{job.pk}/"
    job.refresh_from_db()
    assert job.state == FeedbackImport.State.DONE
    assert (job.rows_total, job.rows_done, job.created, job.invalid) == (11, 11, 10, 1)
    assert job.started_by == cx_lead
    page = client.get(f"/admin/feedback/import/{job.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="100"' in body and 'http-equiv="refresh"' not in body
    assert f"/admin/feedback/import/{job.pk}/report/" in body
    report = client.get(f"/admin/feedback/import/{job.pk}/report/")
    assert report.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["line", "column", "value", "reason"]
    assert {row[1] for row in rows[1:]} == {"received_at", "text"}
    assert client.get("/admin/feedback/import/").status_code == 200


def test_a_running_import_page_refreshes_itself(client, cx_lead):
    client.force_login(cx_lead)
    _upload(client, SAMPLE.read_bytes())  # no commit in this test: the task has not run
    job = FeedbackImport.objects.get()
    body = client.get(f"/admin/feedback/import/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in body
    assert job.state == FeedbackImport.State.QUEUED


def test_an_unreadable_upload_fails_with_its_reason(
    client, cx_lead, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(cx_lead)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, b"id,text\n1,hi\n", source="web")
    job = FeedbackImport.objects.get()
    assert job.state == FeedbackImport.State.FAILED
    assert "received_at" in job.error
    body = client.get(f"/admin/feedback/import/{job.pk}/").content.decode()
    assert "Nothing was imported from this file" in body


def test_the_upload_form_says_what_is_wrong_where_it_was_typed(client, cx_lead):
    client.force_login(cx_lead)
    response = client.post("/admin/feedback/import/", {"source": "Not A Slug"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"file", "source"}
    assert form["source"].value() == "Not A Slug"
    assert FeedbackImport.objects.count() == 0


def test_only_importers_get_the_import_and_its_report(client, ambassador, leader):
    for person in (ambassador, leader):
        client.force_login(person)
        assert _upload(client, SAMPLE.read_bytes()).status_code in {302, 403}
    assert FeedbackImport.objects.count() == 0
