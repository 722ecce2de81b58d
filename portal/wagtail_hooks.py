import functools

from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.dashboard import AwaitingApprovalPanel, OutboxFailuresPanel, PeopleToCompletePanel
from portal.forms import DepartmentAdminForm, ProfileAdminForm
from portal.models import Department, OutboxMessage, Profile
from portal.services import organisation, outbox
from portal.users_admin import PortalAssignRoleBulkAction, PortalSetActiveStateBulkAction


class PermissionMenuItem(MenuItem):
    """A menu item shown to people holding one permission."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class ViewersOnlyChooserViewSet(SnippetChooserViewSet):
    """A snippet chooser that lists rows only to people who may view them.

    Wagtail lets anyone with admin access browse a snippet's chooser, since choosing needs no
    edit right; for the outbox (message texts) and beat's schedules that would show HR and
    Leadership what is not theirs to see.
    """

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = _viewers_only(self.model, pattern.callback)
        return patterns


def _viewers_only(model, view):
    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        policy = policy_registry.get_by_type(model) or ModelPermissionPolicy(model)
        if not policy.user_has_any_permission(request.user, ["view", "change"]):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = [
        "name",
        "slug",
        "slack_channel_id",
        "timezone",
        "voice_time",
        Column("voice_status", label=_("Daily voice")),
    ]
    search_fields = ["name", "slug"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            MultiFieldPanel(
                [
                    FieldPanel("slack_channel_id"),
                    FieldPanel("timezone"),
                    FieldPanel("voice_time"),
                    FieldPanel("voice_weekdays"),
                    FieldPanel("holiday_country"),
                    FieldPanel("extra_days_off"),
                    FieldPanel("voice_languages"),
                    FieldPanel("voice_paused"),
                    FieldPanel("voice_problem", read_only=True),
                ],
                heading=_("Daily customer voice"),
            ),
        ],
        base_form_class=DepartmentAdminForm,
    )


class ProfileViewSet(SnippetViewSet):
    model = Profile
    icon = "user"
    menu_label = _("People")
    list_display = ["user", "department", "job_title", "start_date", "manager"]
    list_filter = ["department", "language"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "job_title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("user", read_only=True),
            FieldPanel("department"),
            FieldPanel("job_title"),
            FieldPanel("start_date"),
            FieldPanel("manager"),
            FieldPanel("slack_user_id"),
            FieldPanel("language"),
            FieldPanel("timezone"),
        ],
        base_form_class=ProfileAdminForm,
    )

    def get_queryset(self, request):
        return Profile.objects.select_related("user", "department", "manager")


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Rows written by the portal only (the outbox, imported feedback): people may look."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(OutboxMessage, ViewOnlyPermissionPolicy(OutboxMessage))


def can_retry_outbox(user) -> bool:
    return user.has_perm("portal.change_outboxmessage")


class OutboxViewSet(SnippetViewSet):
    chooser_viewset_class = ViewersOnlyChooserViewSet
    model = OutboxMessage
    icon = "mail"
    menu_label = _("Slack outbox")
    url_prefix = "outbox"
    list_display = [
        "idempotency_key",
        "channel",
        Column("preview_excerpt", label=_("Text as Slack shows it")),
        Column("get_state_display", label=_("State"), sort_key="state"),
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["state", "channel", "created_at"]
    search_fields = ["idempotency_key", "channel", "text"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = [
        "idempotency_key",
        "channel",
        "state",
        "preview_text",
        "text",
        "attempts",
        "last_error",
        "next_attempt_at",
        "verify_before_send",
        "slack_ts",
        "created_at",
        "sent_at",
    ]
    copy_view_enabled = False


class PeriodicTaskViewSet(SnippetViewSet):
    """Beat's schedule, editable without a deploy (django-celery-beat keeps it in the database)."""

    model = PeriodicTask
    chooser_viewset_class = ViewersOnlyChooserViewSet
    icon = "time"
    menu_label = _("Schedules")
    url_prefix = "schedules"
    list_display = ["name", "task", "interval", "crontab", "enabled", "last_run_at"]
    list_filter = ["enabled"]
    panels = [
        FieldPanel("name"),
        FieldPanel("task"),
        FieldPanel("enabled"),
        FieldPanel("interval"),
        FieldPanel("crontab"),
        FieldPanel("args"),
        FieldPanel("kwargs"),
        FieldPanel("description"),
    ]

    def get_queryset(self, request):
        return PeriodicTask.objects.select_related("interval", "crontab")


class IntervalScheduleViewSet(SnippetViewSet):
    chooser_viewset_class = ViewersOnlyChooserViewSet
    model = IntervalSchedule
    icon = "time"
    menu_label = _("Intervals")


class CrontabScheduleViewSet(SnippetViewSet):
    chooser_viewset_class = ViewersOnlyChooserViewSet
    model = CrontabSchedule
    icon = "time"
    menu_label = _("Crontabs")


class SchedulesGroup(SnippetViewSetGroup):
    menu_label = _("Schedules")
    menu_icon = "time"
    menu_order = 210
    items = (PeriodicTaskViewSet, IntervalScheduleViewSet, CrontabScheduleViewSet)


register_snippet(SchedulesGroup)


class OrganisationGroup(SnippetViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 200
    items = (DepartmentViewSet, ProfileViewSet, OutboxViewSet)


register_snippet(OrganisationGroup)


class RetryOutboxBulkAction(SnippetBulkAction):
    display_name = _("Retry")
    action_type = "retry"
    aria_label = _("Send the selected messages again")
    template_name = "portal/admin/confirm_bulk_retry.html"
    models = [OutboxMessage]
    action_priority = 10

    def check_perm(self, obj):
        return can_retry_outbox(self.request.user)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return outbox.outbox_retry(message_ids=[obj.pk for obj in objects]), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d message queued to send again.",
            "%(count)d messages queued to send again.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


hooks.register("register_bulk_action", RetryOutboxBulkAction)
# Wagtail's user bulk actions with the portal's limits; a later hook with the same action type
# replaces the earlier, and wagtail.users registers its own after this app.
for _action in (PortalAssignRoleBulkAction, PortalSetActiveStateBulkAction):
    hooks.register("register_bulk_action", _action, order=100)


@hooks.register("construct_homepage_panels")
def add_role_panels(request, panels):
    user = request.user
    if user.has_perm("portal.view_outboxmessage"):
        panels.append(OutboxFailuresPanel())
    if user.has_perm("portal.change_profile"):
        panels.append(PeopleToCompletePanel())
    if PagePermissionPolicy().user_has_permission(user, "publish"):
        panels.append(AwaitingApprovalPanel())


@hooks.register("insert_global_admin_js")
def start_widgets_without_inline_scripts():
    return format_html('<script src="{}"></script>', static("portal/admin-csp.js"))


@hooks.register("after_edit_snippet")
def mirror_profile_preferences(request, instance):
    if isinstance(instance, Profile):
        organisation.profile_mirror_to_wagtail(profile=instance)


# The principles' admin (reports); Wagtail loads only this module of the app.
from portal.principles import wagtail_hooks as _principles_hooks  # noqa: E402, F401
