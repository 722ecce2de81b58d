"""Wagtail's user admin with the portal's rule on who may grant what.

Out of the box, whoever may change users in Wagtail controls every account: superuser status,
every group, anyone's password and active state. In the portal HR adds people and edits their
profiles; only superusers grant admin powers. The rule itself lives in `portal.groups`
(`assignable_groups`, `may_manage_user`); this module applies it to every way in: the add and
edit forms, the edit and delete views, the listing's links and the bulk actions.
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions import AssignRoleBulkAction, SetActiveStateBulkAction

from portal import groups


class PortalUserPermissionPolicy(ModelPermissionPolicy):
    """Model rights as Wagtail has them, narrowed per person by `may_manage_user`."""

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if action in {"change", "delete"} and not groups.may_manage_user(user, instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


class _GrantLimitsMixin:
    """Form rules for a person who is not a superuser: no superuser box, only their groups."""

    def __init__(self, *args, request_user, **kwargs):
        self.request_user = request_user
        super().__init__(*args, **kwargs)
        if request_user.is_superuser:
            return
        self.fields.pop("is_superuser", None)
        self.fields["groups"].queryset = groups.assignable_groups(by=request_user)
        self.fields["groups"].help_text = _(
            "You may put people in these groups; an administrator grants the others."
        )

    def clean_groups(self):
        chosen = list(self.cleaned_data.get("groups") or [])
        if self.request_user.is_superuser or self.instance.pk is None:
            return chosen
        # Memberships the editor may not grant are not theirs to take away either.
        assignable = groups.assignable_groups(by=self.request_user)
        kept = self.instance.groups.exclude(pk__in=assignable.values("pk"))
        return chosen + list(kept)


class PortalUserCreationForm(_GrantLimitsMixin, UserCreationForm):
    pass


class PortalUserEditForm(_GrantLimitsMixin, UserEditForm):
    def __init__(self, *args, request_user, **kwargs):
        instance = kwargs.get("instance")
        # Only superusers set another person's password; people change their own through the
        # portal's "change password" page, where they must type the current one.
        self._password_enabled = request_user.is_superuser and instance != request_user
        super().__init__(*args, request_user=request_user, **kwargs)

    @property
    def password_enabled(self) -> bool:
        return self._password_enabled and super().password_enabled


class _RequestUserFormMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request_user": self.request.user}


class IndexView(wagtail_users.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("groups", "user_permissions")

    @cached_property
    def _power_group_ids(self) -> set[int]:
        return set(groups.admin_power_groups().values_list("pk", flat=True))

    def get_edit_url(self, instance):
        if groups.may_manage_user(
            self.request.user, instance, power_group_ids=self._power_group_ids
        ):
            return super().get_edit_url(instance)
        return None


class CreateView(_RequestUserFormMixin, wagtail_users.CreateView):
    pass


class EditView(_RequestUserFormMixin, wagtail_users.EditView):
    def dispatch(self, request, *args, **kwargs):
        if not groups.may_manage_user(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DeleteView(wagtail_users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if not groups.may_manage_user(request.user, self.get_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PortalUserViewSet(wagtail_users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


class PortalAssignRoleBulkAction(AssignRoleBulkAction):
    def check_perm(self, obj):
        return groups.may_manage_user(self.request.user, obj)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["role"].queryset = groups.assignable_groups(by=self.request.user)
        return form


class PortalSetActiveStateBulkAction(SetActiveStateBulkAction):
    def check_perm(self, obj):
        return groups.may_manage_user(self.request.user, obj)
