"""Revision history (django-reversion): which models are versioned, and with what."""

import reversion
from django.apps import apps

# Each item's versions carry its rows (criteria, questions) and sources, so reverting
# or recovering an item brings them back as they were, in every language.
FOLLOW = {
    "GuidePage": ("questions", "sources"),
    "RiskFactor": ("sources",),
    "Treatment": ("sources",),
    "ResponseCategory": ("criteria", "sources"),
    "GlossaryTerm": ("sources",),
}


def register_models() -> None:
    """Register every content model with reversion (idempotent)."""
    for name in ("Question", "ResponseCriterion", "Source"):
        model = apps.get_model("neuroinfo", name)
        if not reversion.is_registered(model):
            reversion.register(model)
    for name, follow in FOLLOW.items():
        model = apps.get_model("neuroinfo", name)
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)
