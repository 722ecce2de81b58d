"""Reads for principles: who is asked, what a person still has to acknowledge, the page state."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.coreutils import get_supported_content_language_variant

from portal.models import Profile, User
from portal.principles.blocks import check_question
from portal.principles.models import Acknowledgement, Principle, PrincipleRelease
from portal.principles.pages import PrinciplePage


def route_path(page) -> str:
    """A page's path on the site, from its url_path (no query): every language's tree hangs
    from a home page at depth 2, whose own slug is not part of the address."""
    return url_path_route(page.url_path)


def url_path_route(url_path: str) -> str:
    """`route_path` of a page's url_path, read as a value."""
    parts = url_path.strip("/").split("/")[1:]
    return "/" + "".join(f"{part}/" for part in parts)


def audience_filter(*, user: User, department_id: int | None) -> Q:
    """Principles whose audience holds this person (as a filter on Principle)."""
    through_departments = Principle.departments.through.objects.filter(
        principle=OuterRef("pk"), department_id=department_id
    )
    through_groups = Principle.groups.through.objects.filter(
        principle=OuterRef("pk"), group__user=user
    )
    rule = Q(everyone=True) | Q(Exists(through_groups))
    if department_id:
        rule |= Q(Exists(through_departments))
    return rule


def in_audience(*, principle: Principle, user: User) -> bool:
    department_id = (
        Profile.objects.filter(user=user).values_list("department_id", flat=True).first()
    )
    return (
        Principle.objects.filter(pk=principle.pk)
        .filter(audience_filter(user=user, department_id=department_id))
        .exists()
    )


def audience_users(principle: Principle) -> QuerySet[User]:
    """The active people a principle asks."""
    people = User.objects.filter(is_active=True)
    if principle.everyone:
        return people
    departments = Principle.departments.through.objects.filter(principle=principle)
    groups = Principle.groups.through.objects.filter(principle=principle)
    return people.filter(
        Q(profile__department_id__in=departments.values("department_id"))
        | Q(groups__in=groups.values("group_id"))
    ).distinct()


def _acknowledged(user: User) -> Exists:
    return Exists(
        Acknowledgement.objects.filter(
            principle=OuterRef("pk"),
            user=user,
            version=OuterRef("version"),
            acknowledged_at__isnull=False,
        )
    )


@dataclass(frozen=True)
class Pending:
    principle: Principle
    page: PrinciplePage  # in the reader's language where it is live

    @property
    def url(self) -> str:
        return route_path(self.page)

    @property
    def has_question(self) -> bool:
        return check_question(self.page.question) is not None


def localized_pages(principles: list[Principle]) -> dict[int, PrinciplePage]:
    """Each principle's live page in the active language, else its default page (≤1 query)."""
    pages = {p.pk: p.page for p in principles if p.page is not None}
    language = translation.get_language() or ""
    keys = {p.translation_key: p.pk for p in principles}
    # The default language's code, without the query Locale.get_default() makes.
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    if keys and language != default:
        for page in (
            PrinciplePage.objects.live()
            .filter(translation_key__in=list(keys), locale__language_code=language)
            .select_related("locale")
        ):
            pages[keys[page.translation_key]] = page
    return pages


def principles_pending(*, user: User, profile: Profile | None) -> list[Pending]:
    """What this person still has to acknowledge: two queries whatever the number."""
    if not user.is_authenticated:
        return []
    principles = list(
        Principle.objects.filter(live=True, version__gte=1, page__live=True)
        .filter(
            audience_filter(user=user, department_id=profile.department_id if profile else None)
        )
        .exclude(_acknowledged(user))
        .select_related("page__locale")
        .order_by("first_published_at", "pk")
    )
    pages = localized_pages(principles)
    return [Pending(p, pages[p.pk]) for p in principles if p.pk in pages]


@dataclass(frozen=True)
class IndexEntry:
    page: PrinciplePage
    acknowledged: bool
    asked: bool

    @property
    def url(self) -> str:
        return route_path(self.page)


def principles_for_index(*, index, user: User) -> list[IndexEntry]:
    """The index's principles in the reader's language, each with the reader's state."""
    profile = Profile.objects.filter(user=user).first() if user.is_authenticated else None
    department_id = profile.department_id if profile else None
    principles = list(
        Principle.objects.filter(live=True, version__gte=1, page__live=True)
        .annotate(
            asked=ExpressionWrapper(
                audience_filter(user=user, department_id=department_id),
                output_field=BooleanField(),
            ),
            done=_acknowledged(user),
        )
        .select_related("page__locale")
        .order_by("page__path")
    )
    pages = localized_pages(principles)
    return [
        IndexEntry(page=pages[p.pk], acknowledged=p.done, asked=p.asked)
        for p in principles
        if p.pk in pages
    ]


_WORDS = re.compile(r"\S+|\s+")


def word_diff(old: str, new: str) -> SafeString:
    """What changed between two texts, word by word, as HTML (<del>, <ins>), text escaped.

    Written here because Wagtail's comparison is the admin's (by panel, for editors); a
    reader needs the words. difflib does the matching.
    """
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    out: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    html = "".join(out).replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 - every piece of text above is escaped


def reader_state(*, page: PrinciplePage, user: User, form=None) -> dict:
    """Where the reader stands with this principle, for its page."""
    from portal.principles.forms import AcknowledgeForm

    principle = Principle.objects.filter(translation_key=page.translation_key).first()
    state = {"principle": principle, "question": check_question(page.question)}
    if principle is None or not user.is_authenticated or principle.version == 0:
        return state
    acks = {
        ack.version: ack
        for ack in Acknowledgement.objects.filter(
            principle=principle, user=user, acknowledged_at__isnull=False
        ).select_related("release")
    }
    current = acks.get(principle.version)
    state.update(
        asked=in_audience(principle=principle, user=user),
        acknowledged=current,
        version=principle.version,
    )
    earlier = [ack for version, ack in sorted(acks.items()) if version < principle.version]
    if current is None and earlier:
        state["changes"] = _changes_since(principle, earlier[-1], page)
    if current is None and state["asked"]:
        state["form"] = form or AcknowledgeForm(
            version=principle.version, question=state["question"]
        )
    return state


def _changes_since(principle: Principle, ack: Acknowledgement, page: PrinciplePage) -> dict:
    """The text the reader acknowledged last, and the text now, in the page's language."""
    from portal.principles.services import page_text

    language = page.locale.language_code
    then = (
        PrincipleRelease.objects.filter(
            principle=principle, language=language, version=ack.version
        ).first()
        or ack.release
    )
    if then is None:
        return {}
    return {"since": ack.acknowledged_at, "diff": word_diff(then.text, page_text(page))}
