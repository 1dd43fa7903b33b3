"""The content generation, kept in the database where no cache outage can lose it.

Not content: one row, replaced in the same transaction as every content change, read by
the page cache when the shared cache lacks its copy or may hold an old one
(``pagecache``). Not shown anywhere, so it has no permissions for the admin to list.
"""

import uuid

from django.db import models
from django.utils import timezone


class ContentGeneration(models.Model):
    """The token of the current content: a new one for every content change."""

    ROW = 1

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return self.token

    @classmethod
    def current(cls) -> str:
        """The stored token (one started if there is none yet, as in a new database)."""
        token = cls.objects.filter(pk=cls.ROW).values_list("token", flat=True).first()
        if token is None:
            row, _created = cls.objects.get_or_create(
                pk=cls.ROW, defaults={"token": uuid.uuid4().hex}
            )
            token = row.token
        return token

    @classmethod
    def bump(cls) -> str:
        """Store a new token, within the caller's transaction; return it."""
        token = uuid.uuid4().hex
        if not cls.objects.filter(pk=cls.ROW).update(
            token=token, changed_at=timezone.now()
        ):
            cls.objects.update_or_create(pk=cls.ROW, defaults={"token": token})
        return token
