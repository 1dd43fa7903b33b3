"""What each item's text names: the items it links to and the thresholds it states.

Kept when an item is rendered, so a change to one item renders again only the items
whose text can change with it (``neuroinfo.rerender``), found by an indexed lookup
rather than by reading every body. Not shown anywhere, so it has no permissions for
the admin to list.
"""

from django.db import models

TARGET_MAX = 200  # longer than any key: a longer reference names nothing


class Reference(models.Model):
    """One item (``kind:key``) naming an item (``kind:key``) or a criterion's threshold
    (``threshold:key``), resolved or not (a link to an item not yet created counts)."""

    source = models.CharField(max_length=120)
    target = models.CharField(max_length=TARGET_MAX, db_index=True)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="one_reference")
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"
