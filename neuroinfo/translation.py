"""Every text a family reads, registered for translation (en, fr)."""

from modeltranslation.translator import TranslationOptions, register

from neuroinfo import models
from neuroinfo.kinds import KINDS
from neuroinfo.models import Question, ResponseCriterion, Section

# English is the source language: its title and slug are required; French may lag
# behind (it falls back to English) until a translator fills it in.
REQUIRED = {"en": ("title", "slug"), "default": ()}


class TextItemOptions(TranslationOptions):
    fields = ("title", "slug", "body", "body_html", "reviewed_by_role")
    # Untranslated slugs stay NULL so the per-language unique constraint holds.
    empty_values = {"slug": None}
    required_languages = REQUIRED


class GuideItemOptions(TextItemOptions):
    fields = (
        "title",
        "slug",
        "summary",
        "meta_description",
        "key_points",
        "body",
        "body_html",
        "reviewed_by_role",
    )


# Guide items add a summary, a search description and key points to a term's texts.
for kind in KINDS:
    options = GuideItemOptions if kind.guide else TextItemOptions
    register(getattr(models, kind.model))(options)


@register(Question)
class QuestionOptions(TranslationOptions):
    fields = ("text",)
    required_languages = {"en": ("text",), "default": ()}


@register(ResponseCriterion)
class ResponseCriterionOptions(TranslationOptions):
    fields = ("statement",)
    required_languages = {"en": ("statement",), "default": ()}


@register(Section)
class SectionOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",), "default": ()}
