"""Concern pages: the list, filing (with similar open concerns), one concern, its actions,
and "You said, we did". Thin: selectors read, services write, forms carry the fields.

Everyone signed in reads every concern (the point is that everyone sees what customers go
through); identifiers are masked per reader (stories.selectors.concern.shown). What a person
may do on a concern is decided by the services; the page only offers what they would allow.

Similar open concerns, while filing: portal.js asks /concerns/similar/ as the title is typed
and shows them with a "Follow this one" button; when it has shown some it sets `confirm`.
Without scripts (or when the suggestions were not shown) the filing form, on submit, shows
the similar open concerns above itself with "Follow this one" and "File mine anyway" (the same
form sent again with `confirm`), keeping everything typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import fragments
from portal.selectors import viewer_profile
from portal.ui import Column, sort_param
from stories import rules
from stories.forms import concern as forms
from stories.models import Concern, ConcernEvent, Severity
from stories.selectors import concern as selectors
from stories.services import concern as services
from stories.similarity import similar_open_concerns

State = Concern.State
PER_PAGE = 25
SIMILAR_LIMIT = 5

STATE_BADGES = {
    State.NEW: "info",
    State.ACKNOWLEDGED: "info",
    State.IN_PROGRESS: "warning",
    State.RESOLVED: "success",
    State.WONT_FIX: "neutral",
    State.CLOSED: "neutral",
}
SEVERITY_BADGES = {
    Severity.CRITICAL: "danger",
    Severity.HIGH: "warning",
    Severity.MEDIUM: "info",
    Severity.LOW: "neutral",
}


def state_badge(concern: Concern) -> str:
    return format_html(
        '<span class="badge badge-{}">{}</span>',
        STATE_BADGES.get(concern.state, "neutral"),
        concern.get_state_display(),
    )


def severity_badge(concern: Concern) -> str:
    return format_html(
        '<span class="badge badge-{}">{}</span>',
        SEVERITY_BADGES.get(concern.severity, "neutral"),
        concern.get_severity_display(),
    )


def is_overdue(concern: Concern, now=None) -> bool:
    return bool(concern.is_open and concern.due_at and concern.due_at < (now or timezone.now()))


def viewer_zone(user):
    profile = viewer_profile(user=user)
    return profile.effective_timezone if profile else timezone.get_default_timezone()


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- the list -------------------------------------------------------------------------------

COLUMNS = [
    Column("title", gettext_lazy("Concern"), sortable=True),
    Column("state", gettext_lazy("State"), sortable=True),
    Column("severity", gettext_lazy("Severity"), sortable=True),
    Column("kind", gettext_lazy("Classification")),
    Column("touchpoint", gettext_lazy("Touchpoint")),
    Column("department", gettext_lazy("Seen in")),
    Column("owner", gettext_lazy("Owner")),
    Column("filed", gettext_lazy("Filed"), sortable=True),
    Column("due", gettext_lazy("Due"), sortable=True),
]


def due_cell(concern: Concern, zone, now) -> str:
    """The due date in the reader's zone, marked when it has passed; a dash without one."""
    if not concern.due_at:
        return "—"
    day = date_text(timezone.localtime(concern.due_at, zone).date())
    if is_overdue(concern, now):
        return format_html('{} <span class="badge badge-danger">{}</span>', day, _("Overdue"))
    return day


def title_cell(user, concern: Concern) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("stories:concern_detail", args=[concern.pk]),
        selectors.shown(user, concern, concern.title),
    )


def _list_row(user, concern: Concern, zone, now) -> list:
    return [
        title_cell(user, concern),
        state_badge(concern),
        severity_badge(concern),
        concern.get_kind_display() if concern.kind else "—",
        str(concern.touchpoint),
        concern.department.name,
        concern.owner_department.name if concern.owner_department_id else "—",
        date_text(timezone.localtime(concern.created_at, zone).date()),
        due_cell(concern, zone, now),
    ]


def concern_rows(
    user, concerns: list[Concern], *, zone, now, draw, name: str, shows=lambda concern: ()
) -> list[list]:
    """Table rows of concerns (`draw(concern)` gives one's cells), each kept once drawn
    (portal/fragments.py) until the concern changes (`updated_at`, due date, the names of its
    touchpoint and departments, and whatever else its table draws, `shows(concern)`) or falls
    due; per language and zone, and apart for those who read the customer's identifiers."""
    prefix = f"{name}:{fragments.reader()}:{zone}"

    def key(concern: Concern) -> str:
        version = fragments.digest(
            concern.updated_at,
            concern.due_at,
            str(concern.touchpoint),
            str(concern.department),
            str(concern.owner_department or ""),
            rules.may_see_identifiers(user, concern),
            is_overdue(concern, now),
            *shows(concern),
        )
        return f"{prefix}:{concern.pk}:{version}"

    return fragments.cached_cells(concerns, key=key, render=draw)


def date_text(day) -> str:
    return date_format(day, "DATE_FORMAT")


@require_GET
def concern_list(request: HttpRequest) -> HttpResponse:
    departments, touchpoints = selectors.filter_choices()
    form = forms.ConcernFilterForm(request.GET, touchpoints=touchpoints, departments=departments)
    sort = sort_param(request, selectors.SORTS, default=selectors.DEFAULT_SORT)
    queryset = selectors.concern_list(user=request.user, sort=sort, **form.filters())
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    zone = viewer_zone(request.user)
    now = timezone.now()
    shown = list(page.object_list)
    selectors.attach_places(shown, departments, touchpoints)
    rows = concern_rows(
        request.user,
        shown,
        zone=zone,
        now=now,
        draw=lambda concern: _list_row(request.user, concern, zone, now),
        name="concern-row",
    )
    return render(
        request,
        "stories/concern_list.html",
        {
            "form": form,
            "columns": COLUMNS,
            "rows": rows,
            "page": page,
            "sort": sort,
            "filtered": any(request.GET.get(name) for name in form.fields),
        },
    )


# --- filing ---------------------------------------------------------------------------------


def _similar_items(user, similar: list[Concern]) -> list[dict]:
    following = selectors.following_ids(user=user, concern_ids=[c.pk for c in similar])
    return [
        {
            "concern": concern,
            "title": selectors.shown(user, concern, concern.title),
            "url": reverse("stories:concern_detail", args=[concern.pk]),
            "follow_url": reverse("stories:concern_action", args=[concern.pk, "follow"]),
            "following": concern.pk in following or concern.submitted_by_id == user.pk,
            "state": state_badge(concern),
        }
        for concern in similar
    ]


@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest) -> HttpResponse:
    similar: list[dict] = []
    if request.method == "POST":
        form = forms.ConcernForm(request.POST)
        if form.is_valid():
            if not form.cleaned_data["confirm"]:
                found = similar_open_concerns(title=form.cleaned_data["title"], limit=SIMILAR_LIMIT)
                similar = _similar_items(request.user, found)
            if not similar:
                try:
                    concern = services.concern_file(user=request.user, **form.service_arguments())
                except ValidationError as error:
                    forms.add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("Thank you. Your concern was filed; you will hear what comes of it."),
                    )
                    return HttpResponseRedirect(
                        reverse("stories:concern_detail", args=[concern.pk])
                    )
    else:
        profile = viewer_profile(user=request.user)
        form = forms.ConcernForm(
            initial={"department_id": profile.department_id if profile else None}
        )
    return render(
        request,
        "stories/concern_form.html",
        {
            "form": form,
            "similar": similar,
            "similar_url": reverse("stories:concern_similar"),
        },
    )


@require_GET
def concern_similar(request: HttpRequest) -> HttpResponse:
    """Up to five similar open concerns for a title being typed: HTML, or JSON when asked."""
    title = (request.GET.get("title") or "").strip()[: services.MAX_TITLE]
    exclude = services.as_id(request.GET.get("exclude"))
    found = similar_open_concerns(title=title, limit=SIMILAR_LIMIT, exclude_id=exclude)
    items = _similar_items(request.user, found)
    wants_json = request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    )
    if wants_json:
        return JsonResponse(
            {
                "results": [
                    {
                        "id": item["concern"].pk,
                        "title": item["title"],
                        "url": item["url"],
                        "follow_url": item["follow_url"],
                        "state": item["concern"].state,
                        "state_label": item["concern"].get_state_display(),
                        "following": item["following"],
                    }
                    for item in items
                ]
            }
        )
    html = render_to_string(
        "stories/concern_similar.html", {"similar": items, "title": title}, request=request
    )
    return HttpResponse(html)


# --- one concern ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type
    button: str = "button-secondary"


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in [
        Action("acknowledge", gettext_lazy("Acknowledge"), forms.AcknowledgeForm, "button-primary"),
        Action("classify", gettext_lazy("Classify"), forms.ClassifyForm),
        Action("set-owner", gettext_lazy("Set the owner"), forms.SetOwnerForm),
        Action("assign", gettext_lazy("Assign"), forms.AssignForm),
        Action("start", gettext_lazy("Start work"), forms.StartForm, "button-primary"),
        Action("resolve", gettext_lazy("Resolve"), forms.ResolveForm, "button-primary"),
        Action("decline", gettext_lazy("Won't fix"), forms.DeclineForm),
        Action("close", gettext_lazy("Close"), forms.CloseForm),
        Action("reopen", gettext_lazy("Reopen"), forms.ReopenForm),
        Action("merge", gettext_lazy("Merge into another"), forms.MergeForm),
        Action("note", gettext_lazy("Add a note"), forms.NoteForm),
        Action("follow", gettext_lazy("Follow"), forms.FollowForm, "button-primary"),
        Action("unfollow", gettext_lazy("Unfollow"), forms.UnfollowForm),
    ]
}
DONE = {
    "acknowledge": gettext_lazy("Acknowledged: the person who raised it has been told."),
    "classify": gettext_lazy("Classification saved."),
    "set-owner": gettext_lazy("Owner saved: the person who raised it has been told."),
    "assign": gettext_lazy("Assigned."),
    "start": gettext_lazy("Work has started."),
    "resolve": gettext_lazy("Resolved: the person who raised it has been told what we did."),
    "decline": gettext_lazy("Marked as won't fix: the person who raised it has been told why."),
    "close": gettext_lazy("Closed."),
    "reopen": gettext_lazy("Reopened."),
    "merge": gettext_lazy("Merged: its followers now follow the other concern."),
    "note": gettext_lazy("Note added."),
    "follow": gettext_lazy("You follow this concern: you will hear what comes of it."),
    "unfollow": gettext_lazy("You no longer follow this concern."),
}


def available_actions(user, concern: Concern, *, following: bool) -> list[str]:
    """What this person may do to this concern now, in the order the page offers it."""
    state = concern.state
    is_open = concern.is_open
    merged = concern.merged_into_id is not None
    actions: list[str] = []
    if rules.may_triage(user):
        if state == State.NEW:
            actions.append("acknowledge")
        if is_open:
            actions += ["classify", "set-owner"]
    if rules.may_move_forward(user, concern):
        if is_open and concern.owner_department_id:
            actions.append("assign")
        if state == State.ACKNOWLEDGED:
            actions.append("start")
        if state in (State.ACKNOWLEDGED, State.IN_PROGRESS):
            actions.append("resolve")
        if is_open:
            actions.append("decline")
    if rules.may_triage(user):
        if state in (State.RESOLVED, State.WONT_FIX):
            actions.append("close")
        if state in (State.RESOLVED, State.WONT_FIX, State.CLOSED) and not merged:
            actions.append("reopen")
        if is_open:
            actions.append("merge")
    if rules.may_move_forward(user, concern) or concern.submitted_by_id == user.pk:
        actions.append("note")
    if not merged:
        if not following:
            actions.append("follow")
        elif concern.submitted_by_id != user.pk:
            actions.append("unfollow")
    return actions


def _action_form(action: str, concern: Concern, user, data=None):
    kwargs = {"concern": concern, "user": user, "action": action}
    if action == "note":
        kwargs["may_write_internal"] = rules.may_see_internal(user, concern)
    return ACTIONS[action].form(data, **kwargs)


def _event_text(event: ConcernEvent) -> str:
    """What a timeline line says beyond its kind (names kept in the event's data)."""
    data = event.data or {}
    kind = ConcernEvent.Kind
    if event.kind == kind.OWNER_SET:
        return _("Now owned by %(department)s.") % {"department": data.get("department", "")}
    if event.kind == kind.ASSIGNED:
        return _("Assigned to %(person)s.") % {"person": data.get("assignee", "")}
    if event.kind == kind.CLASSIFIED:
        label = dict(Concern.Kind.choices).get(data.get("kind", ""), data.get("kind", ""))
        return _("Classified as %(kind)s.") % {"kind": label}
    if event.kind == kind.FILED and data.get("severity"):
        return _("Filed as %(severity)s.") % {
            "severity": dict(Severity.choices).get(data["severity"], data["severity"])
        }
    return ""


def _event_link(event: ConcernEvent) -> tuple[str, str] | None:
    data = event.data or {}
    if event.kind == ConcernEvent.Kind.MERGED and data.get("into_id"):
        number = data["into_id"]
        return (
            reverse("stories:concern_detail", args=[number]),
            _("Merged into concern #%(number)s") % {"number": number},
        )
    if event.kind == ConcernEvent.Kind.DUPLICATE_MERGED and data.get("duplicate_id"):
        number = data["duplicate_id"]
        return (
            reverse("stories:concern_detail", args=[number]),
            _("Concern #%(number)s was merged into this one") % {"number": number},
        )
    return None


def _detail_context(request: HttpRequest, concern: Concern, bound: tuple | None = None) -> dict:
    user = request.user
    following = selectors.is_following(user=user, concern=concern)
    names = available_actions(user, concern, following=following)
    forms_by_name = {name: _action_form(name, concern, user) for name in names}
    if bound is not None:
        if bound[0] not in names:
            # No longer on offer (someone else moved the concern on): its error still shows.
            names.append(bound[0])
        forms_by_name[bound[0]] = bound[1]
    events = selectors.concern_timeline(concern=concern, user=user)
    timeline = [
        {
            "event": event,
            "text": _event_text(event),
            "link": _event_link(event),
            "note": selectors.shown(user, concern, event.note),
        }
        for event in events
    ]
    return {
        "concern": concern,
        "title": selectors.shown(user, concern, concern.title),
        "description": selectors.shown(user, concern, concern.description),
        "reference": selectors.shown_reference(user, concern),
        "what_we_did": selectors.shown(user, concern, concern.what_we_did),
        "wont_fix_reason": selectors.shown(user, concern, concern.wont_fix_reason),
        "state_badge": state_badge(concern),
        "severity_badge": severity_badge(concern),
        "overdue": is_overdue(concern),
        "zone": viewer_zone(user),
        "timeline": timeline,
        "following": following,
        "followers": selectors.follower_count(concern=concern),
        "actions": [
            {
                "name": name,
                "action": ACTIONS[name],
                "form": forms_by_name[name],
                "url": reverse("stories:concern_action", args=[concern.pk, name]),
                "open": bound is not None and bound[0] == name,
            }
            for name in names
        ],
        "sees_identifiers": rules.may_see_identifiers(user, concern),
    }


def _concern_or_404(pk: int) -> Concern:
    concern = selectors.concern_get(pk=pk)
    if concern is None:
        raise Http404
    return concern


@require_GET
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern_or_404(pk)
    return render(request, "stories/concern_detail.html", _detail_context(request, concern))


def _call(action: str, *, user, concern: Concern, form) -> None:
    data = form.cleaned_data
    if action == "acknowledge":
        services.concern_acknowledge(user=user, concern=concern, note=data["note"])
    elif action == "classify":
        services.concern_classify(user=user, concern=concern, kind=data["kind"])
    elif action == "set-owner":
        services.concern_set_owner(user=user, concern=concern, **form.service_arguments())
    elif action == "assign":
        services.concern_assign(user=user, concern=concern, **form.service_arguments())
    elif action == "start":
        services.concern_start(user=user, concern=concern, note=data["note"])
    elif action == "resolve":
        services.concern_resolve(user=user, concern=concern, what_we_did=data["what_we_did"])
    elif action == "decline":
        services.concern_decline(user=user, concern=concern, reason=data["reason"])
    elif action == "close":
        services.concern_close(user=user, concern=concern)
    elif action == "reopen":
        services.concern_reopen(user=user, concern=concern, note=data["note"])
    elif action == "merge":
        into = selectors.concern_get(pk=data["into"])
        if into is None:
            raise ValidationError({"into": [_("There is no concern with this number.")]})
        services.concern_merge(user=user, duplicate=concern, into=into)
    elif action == "note":
        services.concern_add_note(
            user=user,
            concern=concern,
            note=data["note"],
            internal=bool(data.get("internal")),
        )
    elif action == "follow":
        services.concern_follow(user=user, concern=concern)
    elif action == "unfollow":
        services.concern_unfollow(user=user, concern=concern)


@require_POST
def concern_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on a concern, by its service; errors come back beside the field."""
    if action not in ACTIONS:
        raise Http404
    concern = _concern_or_404(pk)
    form = _action_form(action, concern, request.user, request.POST)
    if form.is_valid():
        try:
            _call(action, user=request.user, concern=concern, form=form)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, DONE[action])
            default = reverse("stories:concern_detail", args=[concern.pk])
            return HttpResponseRedirect(_safe_next(request, default))
    concern = _concern_or_404(pk)
    context = _detail_context(request, concern, bound=(action, form))
    return render(request, "stories/concern_detail.html", context, status=400)


# --- you said, we did -----------------------------------------------------------------------


@require_GET
def you_said_we_did(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.you_said_we_did(), PER_PAGE).get_page(request.GET.get("page"))
    zone = viewer_zone(request.user)
    items = [
        {
            "concern": concern,
            "title": selectors.shown(request.user, concern, concern.title),
            "what_we_did": selectors.shown(request.user, concern, concern.what_we_did),
            "resolved": timezone.localtime(concern.resolved_at, zone).date()
            if concern.resolved_at
            else None,
        }
        for concern in page.object_list
    ]
    return render(request, "stories/you_said_we_did.html", {"page": page, "items": items})


urlpatterns = [
    path("concerns/", concern_list, name="concern_list"),
    path("concerns/new/", concern_new, name="concern_new"),
    path("concerns/similar/", concern_similar, name="concern_similar"),
    path("concerns/<int:pk>/", concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/<slug:action>/", concern_action, name="concern_action"),
    path("you-said-we-did/", you_said_we_did, name="you_said_we_did"),
]
