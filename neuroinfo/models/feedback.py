""" "Was this page helpful?" answers from families.

Not content: answers never make cached pages stale (see ``signals``), are not
versioned, loaded or exported. No personal data is kept: no address, no account;
only the page, its language, the answer and an optional comment. (The browser's
``feedback`` cookie holds only the numbers of its own answers: ``feedback_votes``.)
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 1000


class Feedback(models.Model):
    """One answer to "Was this page helpful?" about one page in one language."""

    page = models.CharField(_("page"), max_length=300, db_index=True)
    # The item's reference (kind:key) when the page shows one, so both languages of
    # a page are tallied together; empty for pages without an item (search).
    ref = models.CharField(_("item"), max_length=120, blank=True, db_index=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES
    )
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")

    def __str__(self) -> str:
        return f"{self.page} ({self.language})"
