"""Plain-language definitions of the words families meet on the pages."""

from django.utils.translation import gettext_lazy as _

from .base import TextItem


class GlossaryTerm(TextItem):
    """A term (title) and its definition (body); the slug is its anchor on the glossary."""

    class Meta:
        ordering = ["title"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
