"""Every text a family reads, registered for translation (en, fr)."""

from modeltranslation.translator import TranslationOptions, register

from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    Question,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Treatment,
)

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


for model in (GuidePage, RiskFactor, Treatment, ResponseCategory):
    register(model)(GuideItemOptions)

register(GlossaryTerm)(TextItemOptions)


@register(Question)
class QuestionOptions(TranslationOptions):
    fields = ("text",)
    required_languages = {"en": ("text",), "default": ()}


@register(ResponseCriterion)
class ResponseCriterionOptions(TranslationOptions):
    fields = ("statement",)
    required_languages = {"en": ("statement",), "default": ()}
