"""Ambassadors in the admin (touchpoints, appointments, terms ending) and the portal's doors.

Appointments are saved through ambassadors.services, never by the form: creating, changing,
ending or deleting one keeps the person's place in the Ambassadors group in step.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import MenuItem
from wagtail.log_actions import log
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ambassadors import services
from ambassadors.forms import (
    SERVICE_FIELDS,
    AppointmentAdminForm,
    EndTermForm,
    add_service_errors,
)
from ambassadors.models import Appointment, Touchpoint
from ambassadors.recognition import badges_for
from ambassadors.selectors import terms_ending_soon
from portal.home import PROFILE_HOOK, Item, Section
from portal.ui import NAV_HOOK, NavItem

PANEL_ROWS = 5
END_TERM_ACTION = "ambassadors.end_term"


# --- touchpoints -------------------------------------------------------------------------


class TouchpointViewSet(SnippetViewSet):
    model = Touchpoint
    icon = "site"
    menu_label = gettext_lazy("Touchpoints")
    list_display = ["name", "name_ko", "slug", "order"]
    search_fields = ["name", "name_ko", "slug"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [
        FieldPanel("name"),
        FieldPanel("name_ko"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("order"),
    ]


# --- appointments ------------------------------------------------------------------------


def term_state(appointment: Appointment) -> str:
    today = timezone.localdate()
    if appointment.ends_on < today:
        return _("Ended")
    if appointment.starts_on > today:
        return _("Starts %(date)s") % {"date": date_format(appointment.starts_on, "DATE_FORMAT")}
    return _("Active")


def touchpoint_labels(appointment: Appointment) -> str:
    return ", ".join(touchpoint.label for touchpoint in appointment.touchpoints.all())


class ServiceErrorsMixin:
    """Turn a service's ValidationError into errors beside the admin form's fields."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error, SERVICE_FIELDS)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class AppointmentCreateView(ServiceErrorsMixin, snippet_views.CreateView):
    def save_instance(self):
        appointment = services.appointment_create(
            user=self.request.user, **self.form.service_arguments()
        )
        log(instance=appointment, action="wagtail.create", user=self.request.user)
        return appointment


class AppointmentEditView(ServiceErrorsMixin, snippet_views.EditView):
    def save_instance(self):
        appointment = services.appointment_update(
            user=self.request.user, appointment=self.object, **self.form.service_arguments()
        )
        log(
            instance=appointment,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return appointment


class AppointmentDeleteView(snippet_views.DeleteView):
    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            services.appointment_delete(user=self.request.user, appointment=self.object)


class AppointmentIndexView(snippet_views.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.ends_on >= timezone.localdate() and self.permission_policy.user_has_permission(
            self.request.user, "change"
        ):
            buttons.append(
                MenuItem(
                    _("End term"),
                    url=reverse(
                        instance.snippet_viewset.get_url_name("end_term"), args=[instance.pk]
                    ),
                    icon_name="calendar",
                    priority=25,
                )
            )
        return buttons


class EndTermView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Ends a term early through appointment_end (the person leaves the group at once)."""

    model = Appointment
    permission_required = "change"
    form_class = EndTermForm
    template_name = "ambassadors/admin/end_term.html"
    page_title = gettext_lazy("End term")
    header_icon = "calendar"
    index_url_name = None
    edit_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            Appointment.objects.select_related("person", "department"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Appointment._meta.verbose_name_plural),
            },
            {"url": reverse(self.edit_url_name, args=[self.object.pk]), "label": str(self.object)},
            {"url": "", "label": self.page_title},
        ]

    def get_initial(self):
        return {"on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            action_url=self.request.path,
            index_url=reverse(self.index_url_name),
            edit_url=reverse(self.edit_url_name, args=[self.object.pk]),
        )
        return context

    def form_valid(self, form):
        on = form.cleaned_data["on"]
        name = str(self.object)
        try:
            with transaction.atomic():
                log(
                    instance=self.object,
                    action=END_TERM_ACTION,
                    user=self.request.user,
                    data={"on": on.isoformat()},
                )
                ended = services.appointment_end(
                    user=self.request.user, appointment=self.object, on=on
                )
        except ValidationError as error:
            add_service_errors(form, error, {"on": "on"})
            return self.form_invalid(form)
        if ended is None:
            messages.success(
                self.request,
                _("The appointment of %(name)s had not begun: it is withdrawn.") % {"name": name},
            )
        else:
            messages.success(
                self.request,
                _("The term of %(name)s now ends on %(date)s.")
                % {"name": name, "date": date_format(ended.ends_on, "DATE_FORMAT")},
            )
        return redirect(self.index_url_name)


class AppointmentViewSet(SnippetViewSet):
    model = Appointment
    icon = "user"
    menu_label = gettext_lazy("Appointments")
    index_view_class = AppointmentIndexView
    add_view_class = AppointmentCreateView
    edit_view_class = AppointmentEditView
    delete_view_class = AppointmentDeleteView
    # A copy would be saved by Wagtail's own view, past the services.
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "person",
        "department",
        Column("touchpoints", label=gettext_lazy("Touchpoints"), accessor=touchpoint_labels),
        "starts_on",
        "ends_on",
        Column("term_state", label=gettext_lazy("Term"), accessor=term_state),
        "appointed_by",
    ]
    list_filter = ["department", "touchpoints"]
    search_fields = ["person__first_name", "person__last_name", "person__email", "department__name"]
    search_backend_name = None
    inspect_view_fields = [
        "person",
        "department",
        "touchpoints",
        "starts_on",
        "ends_on",
        "appointed_by",
        "reason",
        "created_at",
        "updated_at",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("person"),
            FieldPanel("department"),
            FieldPanel("touchpoints"),
            FieldPanel("starts_on"),
            FieldPanel("ends_on"),
            FieldPanel("reason"),
        ],
        base_form_class=AppointmentAdminForm,
    )

    def get_queryset(self, request):
        return Appointment.objects.select_related(
            "person", "department", "appointed_by"
        ).prefetch_related("touchpoints")

    @cached_property
    def end_term_view(self):
        return self.construct_view(EndTermView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("end/<str:pk>/", self.end_term_view, name="end_term"),
        ]


class AmbassadorsGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Ambassadors")
    menu_icon = "user"
    menu_order = 220
    items = (AppointmentViewSet, TouchpointViewSet)


register_snippet(AmbassadorsGroup)


class AppointmentDeleteBulkAction(DeleteBulkAction):
    """Deleting several appointments at once also goes through the service, one by one."""

    models = [Appointment]

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for appointment in objects:
            services.appointment_delete(user=user, appointment=appointment)
        return len(objects), 0


# Wagtail's snippets app registers its own delete for every snippet after this app: a later
# hook for the same model and action type wins.
hooks.register("register_bulk_action", AppointmentDeleteBulkAction, order=100)


@hooks.register("register_log_actions")
def register_appointment_log_actions(actions):
    actions.register_action(END_TERM_ACTION, gettext_lazy("End term"), gettext_lazy("Term ended"))


# --- the admin dashboard -----------------------------------------------------------------


class TermsEndingPanel(Component):
    """For the CX team: terms that end within 14 days, to extend or hand over in time."""

    name = "ambassadors_terms_ending"
    order = 95
    template_name = "ambassadors/admin/terms_ending_panel.html"

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        ending = terms_ending_soon(today=today, within_days=services.NOTICE_DAYS)
        return {
            "title": _("Ambassador terms ending within 14 days"),
            "count": ending.count(),
            "rows": [
                {"appointment": appointment, "days": (appointment.ends_on - today).days}
                for appointment in ending[:PANEL_ROWS]
            ],
            "list_url": reverse("wagtailsnippets_ambassadors_appointment:list"),
        }


@hooks.register("construct_homepage_panels")
def add_terms_ending_panel(request, panels):
    if request.user.has_perm("ambassadors.change_appointment"):
        panels.append(TermsEndingPanel())


# --- the portal's doors ------------------------------------------------------------------


@hooks.register(NAV_HOOK)
def ambassadors_nav(*, user):
    return NavItem(
        key="ambassadors", label=_("Ambassadors"), url=reverse("ambassadors:directory"), order=60
    )


@hooks.register(PROFILE_HOOK)
def badges_section(*, user, profile):
    earned = badges_for(user=user)
    return Section(
        key="badges",
        title=_("My badges"),
        items=[
            Item(text=badge.how, badge=badge.label, tone="success", badge_first=True)
            for badge in earned
        ],
        empty=_(
            "No badges yet. The first comes with your first published customer story, or "
            "when a concern you filed is fixed at its root."
        ),
        order=70,
    )
