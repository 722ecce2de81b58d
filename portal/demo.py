"""The demo company: eight departments around the world, forty people, one persona per role.

Deterministic and idempotent: every run leaves the same rows, found by email and slug.
Each feature app adds its own demo data in its `demo.py` with the same `load(*, today, stdout)`;
`demo_loaders` lists them, the portal's first, for `manage.py demo` to run in that order.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Site

from portal import groups
from portal.models import Department, PortalSettings, Profile, User

DEMO_PASSWORD = "customer-first"  # noqa: S105  (printed by `make run`; demo data only)
DEMO_DOMAIN = "demo.example"

DEPARTMENTS = [
    # slug, name, channel, timezone, voice time
    ("support", "Customer Support", "CDEMOSUP01", "Asia/Seoul", datetime.time(9, 30)),
    ("sales", "Sales", "CDEMOSAL01", "America/New_York", datetime.time(9, 0)),
    ("billing", "Billing", "CDEMOBIL01", "Asia/Kolkata", datetime.time(10, 0)),
    ("production", "Production", "CDEMOPRO01", "Asia/Tokyo", datetime.time(9, 0)),
    ("marketing", "Marketing", "CDEMOMKT01", "Europe/London", datetime.time(9, 30)),
    ("product", "Product", "CDEMOPRD01", "America/Los_Angeles", datetime.time(10, 0)),
    ("engineering", "Engineering", "CDEMOENG01", "Europe/Berlin", datetime.time(10, 0)),
    ("people", "People & HR", "CDEMOHRS01", "Australia/Sydney", datetime.time(9, 0)),
]


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    first_name: str
    last_name: str
    department: str
    job_title: str
    group: str | None
    role: str
    language: str = "en"
    superuser: bool = False


PERSONAS = [
    Persona(
        "new_hire",
        "newhire",
        "Alex",
        "Kim",
        "support",
        "Support specialist",
        groups.NEW_HIRES,
        "New hire: takes onboarding",
    ),
    Persona(
        "ambassador",
        "ambassador",
        "Jisoo",
        "Lee",
        "sales",
        "Account executive",
        groups.AMBASSADORS,
        "Ambassador: files stories and concerns",
    ),
    Persona(
        "cx_lead",
        "cx",
        "Hana",
        "Choi",
        "support",
        "CX lead",
        groups.CX_TEAM,
        "CX lead: triages and moderates",
        language="ko",
    ),
    Persona(
        "leader",
        "leader",
        "Daniel",
        "Reed",
        "product",
        "Chief customer officer",
        groups.LEADERSHIP,
        "Leader: publishes principles",
    ),
    Persona(
        "hr",
        "hr",
        "Priya",
        "Sharma",
        "people",
        "People partner",
        groups.HR,
        "HR: follows onboarding",
    ),
    Persona(
        "employee",
        "employee",
        "Tom",
        "Baker",
        "engineering",
        "Software engineer",
        None,
        "Employee: reads, acknowledges, reacts",
    ),
    Persona(
        "admin",
        "admin",
        "Sam",
        "Admin",
        "people",
        "Portal administrator",
        None,
        "Administrator: everything",
        superuser=True,
    ),
]

# Thirty-three more colleagues, spread over the departments in order.
COLLEAGUES = [
    ("Seo-yeon", "Jung"),
    ("Min-jun", "Kang"),
    ("Yuna", "Cho"),
    ("Hiroshi", "Tanaka"),
    ("Aiko", "Suzuki"),
    ("Kenji", "Watanabe"),
    ("Arjun", "Patel"),
    ("Ananya", "Iyer"),
    ("Rohan", "Gupta"),
    ("Oliver", "Smith"),
    ("Amelia", "Jones"),
    ("Harry", "Taylor"),
    ("Emma", "Johnson"),
    ("Liam", "Brown"),
    ("Sophia", "Garcia"),
    ("Noah", "Miller"),
    ("Mia", "Davis"),
    ("Lukas", "Müller"),
    ("Lena", "Schmidt"),
    ("Jonas", "Weber"),
    ("Chloe", "Wilson"),
    ("Jack", "Thompson"),
    ("Ruby", "White"),
    ("Ji-ho", "Yoon"),
    ("Sakura", "Ito"),
    ("Vikram", "Rao"),
    ("Isla", "Evans"),
    ("Ethan", "Moore"),
    ("Ava", "Martin"),
    ("Felix", "Wagner"),
    ("Grace", "Lee"),
    ("Ren", "Nakamura"),
    ("Kavya", "Menon"),
]
KOREAN_FIRST_NAMES = {"Seo-yeon", "Min-jun", "Yuna", "Ji-ho"}


MASCOT_TITLE = "Ollie, the Customer for Life mascot"


def _mascot() -> Image:
    """A friendly face drawn here, so the demo needs no image file or download."""
    existing = Image.objects.filter(title=MASCOT_TITLE).first()
    if existing:
        return existing
    canvas = PILImage.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((8, 8, 248, 248), fill=(11, 110, 79, 255))
    draw.ellipse((76, 84, 108, 124), fill=(255, 255, 255, 255))
    draw.ellipse((148, 84, 180, 124), fill=(255, 255, 255, 255))
    draw.arc((68, 112, 188, 200), start=20, end=160, fill=(255, 255, 255, 255), width=12)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(
        title=MASCOT_TITLE, file=ImageFile(buffer, name="ollie.png"), width=256, height=256
    )


@dataclass
class DemoResult:
    departments: int
    people: int
    logins: list[tuple[str, str, str]]  # (role, email, password)


def _person(
    *,
    email: str,
    first: str,
    last: str,
    department: Department,
    job_title: str,
    language: str,
    start_date: datetime.date,
    password_hash: str,
    superuser: bool = False,
) -> User:
    user, _created = User.objects.update_or_create(
        email=email,
        defaults={
            "username": email.split("@")[0],
            "first_name": first,
            "last_name": last,
            "is_active": True,
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if user.password != password_hash:
        user.password = password_hash
        user.save(update_fields=["password"])
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "department": department,
            "job_title": job_title,
            "language": language,
            "start_date": start_date,
        },
    )
    return user


@transaction.atomic
def demo_load(*, today: datetime.date) -> DemoResult:
    group_by_name = groups.groups_sync()
    # One fixed salt: the same stored hash every run, and one hashing instead of forty.
    password_hash = make_password(DEMO_PASSWORD, salt="customerforlifedemo")
    departments = {}
    for slug, name, channel, tz, voice_time in DEPARTMENTS:
        departments[slug], _ = Department.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "slack_channel_id": channel,
                "timezone": tz,
                "voice_time": voice_time,
                "voice_weekdays": [0, 1, 2, 3, 4],
            },
        )

    people: list[tuple[User, str]] = []
    logins = []
    for persona in PERSONAS:
        email = f"{persona.email}@{DEMO_DOMAIN}"
        user = _person(
            email=email,
            first=persona.first_name,
            last=persona.last_name,
            department=departments[persona.department],
            job_title=persona.job_title,
            language=persona.language,
            start_date=today - datetime.timedelta(days=7)
            if persona.key == "new_hire"
            else datetime.date(2022, 3, 1),
            superuser=persona.superuser,
            password_hash=password_hash,
        )
        wanted = [group_by_name[persona.group]] if persona.group else []
        user.groups.set(
            [g for g in user.groups.all() if g.name not in groups.GROUP_PERMISSIONS] + wanted
        )
        people.append((user, persona.department))
        logins.append((persona.role, email, DEMO_PASSWORD))

    slugs = [slug for slug, *_rest in DEPARTMENTS]
    leads: dict[str, User] = {}
    for index, (first, last) in enumerate(COLLEAGUES):
        slug = slugs[index % len(slugs)]
        email = f"{first.lower().replace('-', '')}.{last.lower().replace('ü', 'ue')}@{DEMO_DOMAIN}"
        user = _person(
            email=email,
            first=first,
            last=last,
            department=departments[slug],
            job_title="Team lead" if slug not in leads else "Specialist",
            language="ko" if first in KOREAN_FIRST_NAMES else "en",
            start_date=datetime.date(2019 + index % 6, 1 + index % 12, 1 + index % 27),
            password_hash=password_hash,
        )
        leads.setdefault(slug, user)
        people.append((user, slug))

    for user, slug in people:
        manager = leads[slug] if leads[slug] != user else None
        Profile.objects.filter(user=user).update(manager=manager)

    site = Site.objects.get(is_default_site=True)
    PortalSettings.objects.update_or_create(
        site=site,
        defaults={
            "company_name": "Acme Editing",
            "programme_name": "Customer for Life",
            "mascot_name": "Ollie",
            "company_channel_id": "CDEMOALL01",
            "mascot_image": _mascot(),
        },
    )
    return DemoResult(departments=len(departments), people=len(people), logins=logins)


def load(*, today: datetime.date, stdout: TextIO) -> None:
    result = demo_load(today=today)
    stdout.write(f"Demo company ready: {result.departments} departments, {result.people} people.\n")


def write_logins(stdout: TextIO) -> None:
    """The demo logins, one per role; `manage.py demo` ends with them, after every app's data."""
    logins = [(p.role, f"{p.email}@{DEMO_DOMAIN}", DEMO_PASSWORD) for p in PERSONAS]
    stdout.write(f"Sign in at {settings.SITE_URL}/ with any of these:\n")
    width = max(len(role) for role, _email, _pw in logins)
    for role, email, password in logins:
        stdout.write(f"  {role.ljust(width)}  {email}  /  {password}\n")


DemoLoader = Callable[..., None]


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    """(module name, load) of every installed app's demo: the portal's first, as every other
    app's data hangs off its departments and people, then the others in INSTALLED_APPS order."""
    loaders: list[tuple[str, DemoLoader]] = [(__name__, load)]
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if app_config.name == "portal" or importlib.util.find_spec(name) is None:
            continue
        loaders.append((name, importlib.import_module(name).load))
    # The CX principles show the published stories as their cases, and onboarding links the
    # principles: theirs comes after the stories' and before onboarding's.
    from portal.principles import demo as principles_demo

    names = [name for name, _load in loaders]
    at = names.index("onboarding.demo") if "onboarding.demo" in names else len(loaders)
    loaders.insert(at, (principles_demo.__name__, principles_demo.load))
    return loaders
