"""What each editorial role may do, checked on the server (never only hidden in forms)."""

from django.contrib.auth.models import AbstractBaseUser


def can_publish(user: AbstractBaseUser) -> bool:
    """Medical reviewers publish and unpublish."""
    return user.has_perm("neuroinfo.publish_content")


def can_review(user: AbstractBaseUser) -> bool:
    """Medical reviewers mark content as reviewed."""
    return user.has_perm("neuroinfo.review_content")


def can_edit_source(user: AbstractBaseUser) -> bool:
    """Editors and reviewers change the English text; translators only the French."""
    return user.has_perm("neuroinfo.edit_source_language")
