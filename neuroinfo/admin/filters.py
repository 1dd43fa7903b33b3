"""List filters for review, translation and reading level (computed, so filtered in
Python)."""

from django.conf import settings
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from neuroinfo.readability import formula_for, target_text
from neuroinfo.status import (
    REVIEW_STATES,
    TRANSLATION_STATES,
    reading_flag,
    review_state,
    translation_status,
)


class _ComputedFilter(admin.SimpleListFilter):
    """Filters on a value computed per item (each subclass's ``matches``); lists are small."""

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        keep = [item.pk for item in queryset if self.matches(item, value)]
        return queryset.filter(pk__in=keep)


class ReviewStateFilter(_ComputedFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return list(REVIEW_STATES.items())

    def matches(self, item, value: str) -> bool:
        return review_state(item) == value


class TranslationFilter(_ComputedFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            (f"{code}:{state}", f"{name}: {label}")
            for code, name in settings.LANGUAGES[1:]
            for state, label in TRANSLATION_STATES.items()
        ]

    def matches(self, item, value: str) -> bool:
        code, _sep, state = value.partition(":")
        return translation_status(item, code) == state


class ReadingLevelFilter(_ComputedFilter):
    """Items harder to read than the target, in any language or in one, each language
    named with its formula and target."""

    title = _("reading level")
    parameter_name = "reading"

    def lookups(self, request, model_admin):
        per_language = []
        for code, name in settings.LANGUAGES:
            formula = formula_for(code)
            target = target_text(code)
            label = formula.miss_label % {"language": capfirst(name), "target": target}
            per_language.append((code, label))
        return [
            ("above", _("Harder than its target in any language")),
            *per_language,
            ("within", _("Within the targets in every language")),
        ]

    def matches(self, item, value: str) -> bool:
        codes = [code for code, _name in settings.LANGUAGES]
        if value in codes:
            return reading_flag(item, value)
        above = any(reading_flag(item, code) for code in codes)
        return above if value == "above" else not above
