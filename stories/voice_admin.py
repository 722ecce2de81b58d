"""The CX team's look ahead: a department's next seven voices, and pinning one for a day."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.models import Department
from stories.models import DailyVoice, Polarity
from stories.selectors.voice import voice_preview
from stories.services.voice import voice_pin, voice_unpin
from stories.voice import next_voice_days
from stories.voice_blocks import voice_item_path, voice_where, voice_words

PIN_PERMISSION = "stories.add_dailyvoice"
PREVIEW_DAYS = 7


class PinForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.all())
    local_date = forms.DateField(label=gettext_lazy("Day"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DailyVoice.Kind.choices)
    item_id = forms.IntegerField(
        label=gettext_lazy("Its number"),
        min_value=1,
        help_text=gettext_lazy(
            "The number in the item's address, e.g. 42 in /voices/feedback/42/."
        ),
    )


class VoicePreviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "stories/admin/voice_preview.html"
    page_title = gettext_lazy("Next voices")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PIN_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    @cached_property
    def departments(self) -> list[Department]:
        return list(Department.objects.order_by("name"))

    def department(self, value) -> Department | None:
        chosen = {str(d.pk): d for d in self.departments}
        return chosen.get(str(value)) or (self.departments[0] if self.departments else None)

    def get_context_data(self, *, form=None, department=None, **kwargs):
        context = super().get_context_data(**kwargs)
        department = department or self.department(self.request.GET.get("department"))
        rows = []
        if department is not None:
            days = next_voice_days(department, department.local_now().date(), PREVIEW_DAYS)
            for day, chosen in voice_preview(department, days):
                row = {"day": day, "voice": None, "pinned": False, "sent": False}
                if chosen is not None:
                    row.update(
                        kind=DailyVoice.Kind(chosen.kind).label,
                        words=" ".join(voice_words(chosen.kind, chosen.item).split())[:300],
                        where=voice_where(chosen.kind, chosen.item),
                        url=voice_item_path(chosen.kind, chosen.item),
                        polarity=Polarity(chosen.polarity).label,
                    )
                    if isinstance(chosen, DailyVoice):
                        row.update(
                            voice=chosen,
                            pinned=chosen.pinned_by_id is not None,
                            sent=chosen.outbox_message_id is not None,
                        )
                rows.append(row)
        context.update(
            departments=self.departments,
            department=department,
            rows=rows,
            form=form or PinForm(initial={"department": department}),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "unpin" in request.POST:
            voice = DailyVoice.objects.filter(pk=request.POST.get("unpin")).first()
            if voice is not None:
                try:
                    voice_unpin(user=request.user, voice=voice)
                    messages.success(request, _("The pinned voice was taken back."))
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                return self._back(voice.department)
            return self._back(None)
        form = PinForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                voice_pin(
                    user=request.user,
                    department=data["department"],
                    day=data["local_date"],
                    kind=data["kind"],
                    item_id=data["item_id"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(
                    request,
                    _("Pinned for %(day)s.") % {"day": data["local_date"].isoformat()},
                )
                return self._back(data["department"])
        department = form.cleaned_data.get("department") if hasattr(form, "cleaned_data") else None
        return self.render_to_response(
            self.get_context_data(form=form, department=department or self.department(None))
        )

    def _back(self, department):
        url = reverse("stories_voice_preview")
        return redirect(f"{url}?department={department.pk}" if department else url)
