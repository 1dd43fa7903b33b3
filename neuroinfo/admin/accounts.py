"""People and roles in the admin: staff are given a role, never raw permissions.

The user form and the group list say what each role may do and that a role is what
lets someone sign in. Raw permissions (on users and groups) and the sign-in
protection records (django-axes) are for superusers only: hidden from everyone else,
and refused on the server if asked for anyway.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from neuroinfo.accounts import ROLE_NAMES, ROLES, role_description, role_label

SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions", "permissions")


def roles_help() -> str:
    """Each role and what it may do, for the forms where staff are given one."""
    rows = format_html_join(
        "",
        "<li><strong>{}</strong>: {}</li>",
        [(str(label), str(does)) for label, does in ROLES.values()],
    )
    return format_html(
        "{}<ul>{}</ul>{}",
        _("Give each person the role of the work they do:"),
        rows,
        _(
            "A role lets its members sign in to this admin (staff status is set for them)."
        ),
    )


def _without(fieldsets, names) -> list:
    """Fieldsets with some fields left out (a fieldset left empty goes too)."""
    kept = []
    for title, options in fieldsets:
        fields = [f for f in options.get("fields", ()) if f not in names]
        if fields:
            kept.append((title, {**options, "fields": fields}))
    return kept


class SuperuserFieldsMixin:
    """Raw permissions are shown to, and taken from, superusers only."""

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return _without(fieldsets, SUPERUSER_ONLY_FIELDS)


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class StaffUserAdmin(SuperuserFieldsMixin, UserAdmin):
    """People who edit the guide: their role is their group."""

    list_display = ["username", "email", "first_name", "last_name", "roles", "is_staff"]

    @admin.display(description=_("roles"))
    def roles(self, obj) -> str:
        names = [g.name for g in obj.groups.all()]
        return ", ".join(role_label(name) for name in names)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label = _("Role")
            field.help_text = roles_help()
            field.label_from_instance = lambda group: role_label(group.name)
        return field

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "is_staff" in form.base_fields:
            form.base_fields["is_staff"].help_text = _(
                "Lets this person sign in to the admin. Set for everyone with a role "
                "and removed with their last role. To stop someone signing in, untick "
                "“Active” instead."
            )
        return form


@admin.register(Group)
class RoleGroupAdmin(SuperuserFieldsMixin, GroupAdmin):
    """The roles, each with what it may do; raw permissions for superusers only."""

    list_display = ["role", "what_it_may_do"]
    readonly_fields = ["what_it_may_do"]
    fieldsets = [(None, {"fields": ["name", "what_it_may_do", "permissions"]})]

    @admin.display(description=_("role"), ordering="name")
    def role(self, obj) -> str:
        return role_label(obj.name)

    @admin.display(description=_("what it may do"))
    def what_it_may_do(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "–"
        return role_description(obj.name) or _(
            "Not one of the editorial roles: its members get only the permissions "
            "a superuser gave it."
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.name in ROLE_NAMES:
            fields.append("name")  # staff status and these descriptions rely on it
        return fields


class SuperuserOnlyAdmin:
    """Sign-in protection records: superusers only, even with model permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return request.user.is_superuser and super().has_add_permission(request, *args)


def restrict_to_superusers(app_label: str) -> list[type]:
    """Register an app's models again with admins only superusers can open."""
    restricted = []
    for model in apps.get_app_config(app_label).get_models():
        if not admin.site.is_registered(model):
            continue
        cls = type(admin.site.get_model_admin(model))
        admin.site.unregister(model)
        admin.site.register(model, type(cls.__name__, (SuperuserOnlyAdmin, cls), {}))
        restricted.append(model)
    return restricted


restrict_to_superusers("axes")
