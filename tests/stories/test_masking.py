"""Customer identifiers masked by one function: emails and phone numbers as people write them
in English and Korean, and the numbers that are not identifiers left alone."""

from __future__ import annotations

import pytest
from django.utils import translation

from stories.masking import mask_identifiers, mask_reference

EMAIL = "[email hidden]"
PHONE = "[phone hidden]"


@pytest.mark.parametrize(
    "number",
    [
        "+1 (415) 555-0132",
        "415-555-0132",
        "(415) 555-0132",
        "415.555.0132",
        "+1-415-555-0132",
        "+14155550132",
        "+44 20 7946 0958",
        "+44 (0)20 7946 0958",
        "010-1234-5678",
        "010 1234 5678",
        "010.1234.5678",
        "01012345678",
        "+82 10-1234-5678",
        "+821012345678",
        "02-312-3456",
        "(02) 312-3456",
        "1588-1234",
    ],
)
def test_phone_numbers_are_masked(number):
    assert mask_identifiers(number) == PHONE
    assert mask_identifiers(f"Call {number} today.") == f"Call {PHONE} today."


@pytest.mark.parametrize("number", ["+82 2-312-3456", "+82-2-312-3456", "+82 2 312 3456"])
def test_seoul_numbers_written_with_the_country_code_are_masked(number):
    assert mask_identifiers(number) == PHONE


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("연락처는 010-1234-5678입니다", f"연락처는 {PHONE}입니다"),
        ("연락처010-1234-5678로 전화 주세요", f"연락처{PHONE}로 전화 주세요"),
        ("kim.minji@example.co.kr로 보내주세요", f"{EMAIL}로 보내주세요"),
        ("고객 이메일: minji_kim+orders@example.com", f"고객 이메일: {EMAIL}"),
        (
            "Write to jane.doe@example.com or call +1 (415) 555-0132.",
            f"Write to {EMAIL} or call {PHONE}.",
        ),
        ("a.b@c.com, x@y.org", f"{EMAIL}, {EMAIL}"),
        ("On 2026-11-25 she called from 010-1234-5678.", f"On 2026-11-25 she called from {PHONE}."),
    ],
)
def test_identifiers_inside_sentences_are_masked_and_the_rest_kept(text, masked):
    assert mask_identifiers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-25",
        "2026/11/25",
        "2026.11.25",
        "25/11/2026",
        "on 2026-11-25 at 10:30",
        "2026-11-25 2026-11-26",
        "2026년 11월 25일",
        "₩1,250,000",
        "$1,234.56",
        "총 45,000원 결제",
        "KRW 1250000",
        "refund 100000 won",
        "1,234,567,890",
        "order 1234",
        "ID 1234567",
        "12345",
        "3 items, 2 refunds",
        "iOS 17, version 4.2.1",
        "",
    ],
)
def test_dates_amounts_and_short_numbers_are_left_alone(text):
    assert mask_identifiers(text) == text


def test_an_at_sign_without_a_domain_is_not_an_email():
    assert mask_identifiers("@channel and user@localhost") == "@channel and user@localhost"


def test_the_placeholders_speak_the_readers_language():
    with translation.override("ko"):
        masked = mask_identifiers("010-1234-5678")
    assert masked  # translated or not, never the number
    assert "010-1234-5678" not in masked


def test_a_reference_shows_only_that_there_is_one():
    assert mask_reference("ORDER-12345") == "[hidden]"
    assert mask_reference("") == ""


def test_masking_leaves_escaping_to_the_page():
    text = "<script>x</script> jane@example.com"
    assert mask_identifiers(text) == f"<script>x</script> {EMAIL}"
