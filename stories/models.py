import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from portal.models import slack_channel_validator


class StoryTag(TaggedItemBase):
    content_object = ParentalKey(
        "stories.Story", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Story(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    """A customer success story: filed by anyone, reviewed by the CX team, then published.

    Review runs on Wagtail's workflow for this model ("Story review"). `review_status` mirrors
    where the story stands for its submitter, kept by stories.services.story.
    """

    class ReviewStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    customer_words = models.TextField(_("the customer's own words"))
    outcome = models.TextField(_("outcome"))
    customer_name = models.CharField(_("customer name"), max_length=200, blank=True)
    customer_may_be_named = models.BooleanField(
        _("the customer may be named"),
        default=False,
        help_text=_("Leave unticked unless the customer agreed to be named."),
    )
    touchpoint = models.ForeignKey(
        "ambassadors.Touchpoint",
        verbose_name=_("touchpoint"),
        on_delete=models.PROTECT,
        related_name="stories",
    )
    departments = ParentalManyToManyField(
        "portal.Department", verbose_name=_("departments"), related_name="stories"
    )
    tags = ClusterTaggableManager(_("tags"), through=StoryTag, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="stories_submitted",
    )
    review_status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True, editable=False)
    source_url = models.URLField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where it was heard: the Slack message it was filed from."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("what_happened"),
        index.SearchField("customer_words"),
        index.SearchField("outcome"),
        index.AutocompleteField("title"),
        index.FilterField("live"),
        index.FilterField("language"),
        index.FilterField("touchpoint"),
        index.FilterField("first_published_at"),
    ]

    panels = [
        FieldPanel("title"),
        FieldPanel("what_happened"),
        FieldPanel("customer_words"),
        FieldPanel("outcome"),
        MultiFieldPanel(
            [FieldPanel("customer_name"), FieldPanel("customer_may_be_named")],
            heading=_("Customer"),
        ),
        FieldPanel("touchpoint"),
        FieldPanel("departments"),
        FieldPanel("tags"),
        FieldPanel("language"),
        FieldPanel("image"),
    ]

    class Meta:
        ordering = ["-first_published_at", "-created_at"]
        verbose_name = _("customer success story")
        verbose_name_plural = _("customer success stories")
        indexes = [models.Index(fields=["live", "-first_published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_customer_name(self) -> str:
        """The customer's name where it may be shown; empty when they may not be named."""
        return self.customer_name if self.customer_may_be_named else ""

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("stories:story_detail", args=[self.pk])

    @property
    def shown_to_everyone(self):
        """The story as any employee may read it, customer identifiers masked: what other
        pages quote (a principle's example story)."""
        from stories.selectors.story import shown_story

        return shown_story(self, reveal_identifiers=False)


class StoryThanks(models.Model):
    """One person's thanks for a published story (one per person)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="thanks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_thanks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thanks")
        verbose_name_plural = _("thanks")
        constraints = [
            models.UniqueConstraint(fields=["story", "user"], name="story_thanks_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.story}"


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Concern(index.Indexed, models.Model):
    """What a customer went through that should not happen again, from filing to the fix.

    Change it only through stories.services.concern: every transition is kept on its timeline
    and tells the people who follow it.
    """

    class State(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        WONT_FIX = "wont_fix", _("Won't fix")
        CLOSED = "closed", _("Closed")

    OPEN_STATES = (State.NEW, State.ACKNOWLEDGED, State.IN_PROGRESS)

    class Kind(models.TextChoices):
        UNCLASSIFIED = "", _("Not classified yet")
        SYSTEMIC = "systemic", _("Systemic")
        INDIVIDUAL = "individual", _("Individual")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the customer experienced"))
    customer_reference = models.CharField(
        _("customer reference"),
        max_length=200,
        blank=True,
        help_text=_("An account, order or ticket number. Only the CX team and the owner see it."),
    )
    touchpoint = models.ForeignKey(
        "ambassadors.Touchpoint",
        verbose_name=_("touchpoint"),
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department where it was seen"),
        on_delete=models.PROTECT,
        related_name="concerns_seen",
    )
    severity = models.CharField(
        _("how bad it is"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    kind = models.CharField(
        _("classification"), max_length=20, choices=Kind.choices, blank=True, default=""
    )
    owner_department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("owner department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns_owned",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns_assigned",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="concerns_submitted",
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ConcernFollower",
        related_name="concerns_followed",
        blank=True,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    what_we_did = models.TextField(_("what we did"), blank=True)
    wont_fix_reason = models.TextField(_("why it won't be fixed"), blank=True)
    source_url = models.URLField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where it was heard: the Slack message it was filed from."),
    )
    created_at = models.DateTimeField(_("filed"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("state"),
        index.FilterField("kind"),
        index.FilterField("severity"),
        index.FilterField("touchpoint"),
        index.FilterField("department"),
        index.FilterField("owner_department"),
        index.FilterField("created_at"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        indexes = [
            models.Index(fields=["state", "-created_at"]),
            models.Index(fields=["submitted_by", "-created_at"]),
            models.Index(fields=["owner_department", "state"]),
            # "You said, we did": fixed systemic concerns, newest fix first.
            models.Index(
                models.F("resolved_at").desc(),
                models.F("id").desc(),
                name="concern_you_said_we_did_idx",
                condition=models.Q(
                    kind="systemic",
                    state__in=["resolved", "closed"],
                    merged_into__isnull=True,
                    resolved_at__isnull=False,
                )
                & ~models.Q(what_we_did=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class ConcernFollower(models.Model):
    """Someone who wants to hear what happens to a concern (its submitter always does)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="concern_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["concern", "user"], name="concern_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.concern}"


class ConcernEvent(models.Model):
    """One line of a concern's timeline: who did what, when. Internal lines stay with the team."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Filed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLASSIFIED = "classified", _("Classified")
        OWNER_SET = "owner_set", _("Owner set")
        ASSIGNED = "assigned", _("Assigned")
        STARTED = "started", _("Work started")
        RESOLVED = "resolved", _("Resolved")
        WONT_FIX = "wont_fix", _("Won't fix")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        MERGED = "merged", _("Merged")
        DUPLICATE_MERGED = "duplicate_merged", _("Duplicate merged in")
        FOLLOWED = "followed", _("Followed")
        NOTE = "note", _("Note")

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    internal = models.BooleanField(
        _("internal"), default=False, help_text=_("Seen by the CX team and the owner only.")
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.concern_id}: {self.get_kind_display()}"


class SeveritySLA(models.Model):
    """How many working days the owner has to resolve a concern of each severity."""

    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(
        _("working days to resolve"),
        help_text=_(
            "Counted in the department's working week and time zone: 0 means by the end of "
            "the day it was filed, 1 by the end of the next working day."
        ),
    )

    class Meta:
        ordering = ["working_days"]
        verbose_name = _("severity SLA")
        verbose_name_plural = _("severity SLAs")

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.working_days}"


@register_setting(icon="comment")
class CXSettings(BaseSiteSetting):
    """The Slack channels where the CX programme speaks to the team and to leadership."""

    cx_channel_id = models.CharField(
        _("CX team channel"),
        max_length=20,
        blank=True,
        validators=[slack_channel_validator],
        help_text=_("Critical concerns and the daily triage digest are posted here."),
    )
    leadership_channel_id = models.CharField(
        _("leadership channel"),
        max_length=20,
        blank=True,
        validators=[slack_channel_validator],
        help_text=_("Critical concerns are posted here too."),
    )

    panels = [FieldPanel("cx_channel_id"), FieldPanel("leadership_channel_id")]

    class Meta:
        verbose_name = _("CX channels")


class Polarity(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEUTRAL = "neutral", _("neutral")
    NEGATIVE = "negative", _("negative")


class ScoreScale(models.TextChoices):
    NPS = "nps", _("NPS (0–10)")
    RATING = "rating", _("rating (1–5)")


class FeedbackItem(models.Model):
    """A piece of raw customer feedback: what a customer said, where and when.

    Imported from survey answers, tickets and reviews (`manage.py import_feedback`, or the
    admin's import), or filed from a Slack message (the message shortcut). Unique per source
    and external id, so the same answer imported or filed twice is one item.
    """

    source = models.SlugField(_("source"), max_length=50)
    external_id = models.CharField(_("external id"), max_length=200)
    received_at = models.DateTimeField(_("received"), db_index=True)
    text = models.TextField(_("what the customer said"))
    # Any language a customer wrote in (en, ko, ja, pt-BR...), not only the portal's own two.
    language = models.CharField(_("language"), max_length=10)
    market = models.CharField(
        _("market"), max_length=2, blank=True, help_text=_("ISO 3166 country code, e.g. KR.")
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    score_scale = models.CharField(
        _("score scale"), max_length=10, choices=ScoreScale.choices, blank=True
    )
    polarity = models.CharField(
        _("polarity"), max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAL
    )
    product = models.CharField(_("product"), max_length=100, blank=True)
    # Kept as ",tag one,tag two," so "has this tag" is one LIKE on every database.
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    customer = models.CharField(
        _("customer"),
        max_length=200,
        blank=True,
        help_text=_("Who said it, as the source names them. Only the CX team sees it."),
    )
    touchpoint = models.ForeignKey(
        "ambassadors.Touchpoint",
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_filed",
    )
    # A digest of what an import wrote: the same row imported again is left untouched.
    content_hash = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("customer feedback")
        verbose_name_plural = _("customer feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="feedback_unique_source_external_id"
            )
        ]
        indexes = [models.Index(fields=["market", "received_at"], name="feedback_market_received")]

    def __str__(self) -> str:
        return f"{self.source}: {self.external_id}"

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]

    EXCERPT = 120

    def excerpt(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= self.EXCERPT else text[: self.EXCERPT - 1] + "…"


def feedback_import_path(instance, filename: str) -> str:
    return f"imports/feedback/{filename}"


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class FeedbackImport(models.Model):
    """One upload of a feedback file in the admin: its progress, its result and its report."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    file = models.FileField(_("file"), upload_to=feedback_import_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    source = models.SlugField(_("source"), max_length=50, blank=True)
    score_scale = models.CharField(
        _("score scale"), max_length=10, choices=ScoreScale.choices, blank=True
    )
    dry_run = models.BooleanField(_("check only"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    invalid = models.PositiveIntegerField(_("invalid"), default=0)
    unknown_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    error = models.TextField(_("why it stopped"), blank=True)
    report = models.FileField(
        _("report"), upload_to=feedback_import_path, storage=private_storage, blank=True
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback import")
        verbose_name_plural = _("feedback imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class VoiceRoute(models.Model):
    """A routing rule: feedback that matches every condition given goes to the department.

    Conditions left empty match anything; a rule with none matches nothing (it would send the
    whole pool). Editable by the CX team; each rule shows how many items it matches.
    """

    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="voice_routes",
    )
    touchpoint = models.ForeignKey(
        "ambassadors.Touchpoint",
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    product = models.CharField(_("product"), max_length=100, blank=True)
    tag = models.CharField(_("tag"), max_length=50, blank=True)
    market = models.CharField(_("market"), max_length=2, blank=True)
    keyword = models.CharField(
        _("keyword"), max_length=100, blank=True, help_text=_("Found anywhere in the text.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["department__name", "pk"]
        verbose_name = _("voice routing rule")
        verbose_name_plural = _("voice routing rules")

    def __str__(self) -> str:
        return " · ".join(str(part) for part in self.conditions().values()) or "-"

    def clean(self) -> None:
        super().clean()
        for name in ("product", "tag", "market", "keyword"):
            setattr(self, name, getattr(self, name).strip())
        self.market = self.market.upper()
        errors = {}
        if self.market and not re.fullmatch(r"[A-Z]{2}", self.market):
            errors["market"] = _("A market is a two-letter country code, such as KR.")
        if "," in self.tag:
            errors["tag"] = _("One tag a rule: add another rule for another tag.")
        if errors:
            raise ValidationError(errors)
        if not self.conditions():
            raise ValidationError(
                _("Name at least one condition: a touchpoint, product, tag, market or keyword.")
            )

    def conditions(self) -> dict:
        found = {}
        if self.touchpoint_id:
            found["touchpoint"] = self.touchpoint
        for name in ("product", "tag", "market", "keyword"):
            if getattr(self, name):
                found[name] = getattr(self, name)
        return found


class DailyVoice(models.Model):
    """The one customer voice a department gets on one local date.

    The unique (department, local date) constraint is the promise of one a day: two ticks,
    two beat processes or a repeated send all try to write this row, and only one can. A row
    made ahead of its day by the CX team is a pinned voice: the day's send posts it.
    """

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("customer feedback")
        STORY = "story", _("story")
        CONCERN = "concern", _("concern")

    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="voices",
    )
    local_date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    feedback = models.ForeignKey(
        FeedbackItem,
        verbose_name=_("customer feedback"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="voices",
    )
    story = models.ForeignKey(
        Story,
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="voices",
    )
    concern = models.ForeignKey(
        Concern,
        verbose_name=_("concern"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="voices",
    )
    polarity = models.CharField(_("polarity"), max_length=10, choices=Polarity.choices)
    # Voices are not repeated within a cycle: when a department's pool is used up, the next
    # cycle starts and every item may come again.
    cycle = models.PositiveIntegerField(_("cycle"), default=1)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pinned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outbox_message = models.ForeignKey(
        "portal.OutboxMessage",
        verbose_name=_("Slack message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    thanks_count = models.PositiveIntegerField(_("thanks"), default=0)
    look_into_count = models.PositiveIntegerField(_("looked into"), default=0)
    reaction_count = models.PositiveIntegerField(_("reactions"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-local_date", "department__name"]
        verbose_name = _("daily voice")
        verbose_name_plural = _("daily voices")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "local_date"], name="voice_one_per_department_day"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="feedback", feedback__isnull=False, story=None, concern=None)
                    | models.Q(kind="story", story__isnull=False, feedback=None, concern=None)
                    | models.Q(kind="concern", concern__isnull=False, feedback=None, story=None)
                ),
                name="voice_has_its_one_item",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "cycle"], name="voice_department_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.local_date}"

    @property
    def item(self):
        return self.feedback or self.story or self.concern

    @property
    def engagement(self) -> int:
        return self.thanks_count + self.look_into_count + self.reaction_count


class VoiceReaction(models.Model):
    """Someone's answer to a posted voice: an emoji reaction or one of its two buttons."""

    THANKS = "button:thanks"
    LOOK_INTO = "button:look_into"

    voice = models.ForeignKey(DailyVoice, on_delete=models.CASCADE, related_name="reactions")
    slack_user_id = models.CharField(max_length=20)
    kind = models.CharField(max_length=60)  # an emoji's name, or one of the buttons above
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voice reaction")
        verbose_name_plural = _("voice reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["voice", "slack_user_id", "kind"], name="voice_reaction_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.slack_user_id}"
