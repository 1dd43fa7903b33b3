"""Clinic staff: the three editorial roles, and staff status that follows them.

A person is given a role by being put in its group (migration 0003 creates the groups
and their permissions). Being in a role group is what lets them sign in to the admin:
staff status is set when they join one and removed with their last one (superusers
keep it), whichever side the membership was changed from (the user's form, the
group, code or the shell).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, pre_save
from django.utils.translation import gettext_lazy as _

EDITOR = "Editor"
MEDICAL_REVIEWER = "Medical reviewer"
TRANSLATOR = "Translator"

# Each role group's name as stored, what staff call it, and what it lets them do.
ROLES = {
    EDITOR: (
        _("Editor"),
        _(
            "Writes and changes the guide in English and French and adds new items. "
            "Changes to published pages wait for a medical reviewer."
        ),
    ),
    MEDICAL_REVIEWER: (
        _("Medical reviewer"),
        _(
            "Everything an editor does, and publishes or unpublishes items, publishes "
            "changes waiting for review, marks items as medically reviewed and deletes."
        ),
    ),
    TRANSLATOR: (
        _("Translator"),
        _(
            "Changes the French text only (not addresses or the English text). "
            "Changes to published pages wait for a medical reviewer."
        ),
    ),
}
ROLE_NAMES = tuple(ROLES)


def role_label(name: str) -> str:
    """A role group's name in the admin's language (other groups as they are named)."""
    return str(ROLES[name][0]) if name in ROLES else name


def role_description(name: str) -> str:
    """What a role group lets its members do; empty for other groups."""
    return str(ROLES[name][1]) if name in ROLES else ""


def has_role(user) -> bool:
    """Whether a saved user is in at least one role group."""
    return user.pk is not None and user.groups.filter(name__in=ROLE_NAMES).exists()


def _set_staff(user_pks, staff: bool) -> None:
    get_user_model().objects.filter(pk__in=user_pks).exclude(is_staff=staff).update(
        is_staff=staff
    )


def follow_roles(user_pks, removed: bool) -> list[int]:
    """Make these users' staff status match their role groups; return who changed.

    A user in a role group is staff. After a role was removed, a user left with none
    is not, unless a superuser.
    """
    users = get_user_model().objects.filter(pk__in=user_pks)
    with_role = set(
        users.filter(groups__name__in=ROLE_NAMES).values_list("pk", flat=True)
    )
    changed = list(
        users.filter(pk__in=with_role, is_staff=False).values_list("pk", flat=True)
    )
    _set_staff(changed, True)
    if removed:
        lose = users.exclude(pk__in=with_role).filter(is_staff=True, is_superuser=False)
        lost = list(lose.values_list("pk", flat=True))
        _set_staff(lost, False)
        changed += lost
    return changed


def _is_role(group_pks) -> bool:
    return Group.objects.filter(pk__in=group_pks or (), name__in=ROLE_NAMES).exists()


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """user.groups or group.user_set changed: bring the users' staff status along."""
    if action == "pre_clear":
        # Who is being cleared, and whether a role is among it, is gone afterwards.
        if reverse:
            instance._cleared_users = list(
                instance.user_set.values_list("pk", flat=True)
            )
            instance._cleared_role = instance.name in ROLE_NAMES
        else:
            instance._cleared_role = has_role(instance)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # instance is a Group; pk_set holds users
        if instance.name not in ROLE_NAMES:
            return
        if action == "post_clear":
            pk_set = getattr(instance, "_cleared_users", [])
        users = list(pk_set or ())
        removed = action != "post_add"
    else:  # instance is a user; pk_set holds groups
        if action == "post_clear":
            removed = getattr(instance, "_cleared_role", False)
        else:
            removed = action == "post_remove" and _is_role(pk_set)
            if action == "post_add" and not _is_role(pk_set):
                return
        users = [instance.pk]
    changed = follow_roles(users, removed)
    if not reverse and instance.pk in changed:
        # The form or code holding this user may save it again: keep the new status.
        instance.is_staff = (
            type(instance).objects.filter(pk=instance.pk).values_list("is_staff").get()
        )[0]


def _user_saving(sender, instance, update_fields=None, **kwargs) -> None:
    """Someone in a role group stays staff, even if a form or old copy says otherwise."""
    if update_fields is not None and "is_staff" not in update_fields:
        return  # e.g. the last sign-in time
    if not instance.is_staff and has_role(instance):
        instance.is_staff = True


def connect() -> None:
    """Watch group membership from both sides, and saves of users."""
    user_model = get_user_model()
    m2m_changed.connect(
        _groups_changed,
        sender=user_model.groups.through,
        dispatch_uid="neuroinfo-staff-follows-roles",
    )
    pre_save.connect(
        _user_saving, sender=user_model, dispatch_uid="neuroinfo-role-keeps-staff"
    )
