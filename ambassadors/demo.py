"""The demo company's touchpoints and ambassadors: every department but People & HR has one.

Idempotent: touchpoints are found by slug, appointments by person and department; a second run
changes nothing. One term ends within two weeks, so the CX team's reminder has something to say.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction

from ambassadors import services
from ambassadors.models import Appointment, Touchpoint
from portal.demo import DEMO_DOMAIN
from portal.models import Department, User

TOUCHPOINTS = [
    # slug, name, Korean name, description
    ("sales", "Sales", "영업", "First conversations, quotes and contracts."),
    ("onboarding", "Onboarding", "온보딩", "A new customer's first weeks with the product."),
    ("support", "Support", "고객 지원", "Questions, problems and requests after the sale."),
    ("billing", "Billing", "결제·청구", "Invoices, payments, refunds and renewals."),
    ("delivery", "Production & delivery", "제작·납품", "Making and delivering what was ordered."),
]

# email (before the @), department slug, touchpoint slugs, why, term months, ends soon?
APPOINTMENTS = [
    ("ambassador", "sales", ["sales", "onboarding"], "Closest to new customers in Seoul.", 12),
    ("seoyeon.jung", "support", ["support", "onboarding"], "Leads the Korean support queue.", 12),
    ("yuna.cho", "billing", ["billing"], "Handles refunds and payment disputes.", 12),
    ("hiroshi.tanaka", "production", ["delivery"], "Owns delivery quality in Tokyo.", 12),
    ("aiko.suzuki", "marketing", ["sales"], "Runs customer interviews for campaigns.", 6),
    ("kenji.watanabe", "product", ["onboarding", "support"], "Reads every churn survey.", 12),
    ("arjun.patel", "engineering", ["billing", "delivery"], "Built the checkout service.", 0),
]


def _term(today: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    starts = today.replace(day=1) - datetime.timedelta(days=60)
    if months == 0:
        # This term ends in ten days: the CX team is reminded to renew or replace it.
        return starts, today + datetime.timedelta(days=10)
    return starts, starts + datetime.timedelta(days=30 * months)


@transaction.atomic
def load(*, today: datetime.date, stdout: TextIO) -> None:
    touchpoints = {}
    for order, (slug, name, name_ko, description) in enumerate(TOUCHPOINTS):
        touchpoints[slug], _created = Touchpoint.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_ko": name_ko, "description": description, "order": order},
        )
    cx_lead = User.objects.get(email=f"cx@{DEMO_DOMAIN}")
    made = 0
    for local, department_slug, slugs, reason, months in APPOINTMENTS:
        person = User.objects.get(email=f"{local}@{DEMO_DOMAIN}")
        department = Department.objects.get(slug=department_slug)
        if Appointment.objects.filter(person=person, department=department).exists():
            continue
        starts_on, ends_on = _term(today, months)
        services.appointment_create(
            user=cx_lead,
            person_id=person.pk,
            department_id=department.pk,
            touchpoint_ids=[touchpoints[slug].pk for slug in slugs],
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
        )
        made += 1
    services.ambassadors_sync(today=today)
    stdout.write(
        f"Ambassadors: {len(TOUCHPOINTS)} touchpoints, {len(APPOINTMENTS)} appointments"
        f" ({made} new); People & HR has none yet.\n"
    )
