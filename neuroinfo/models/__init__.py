"""Every model of the guide, importable from one place."""

from .criteria import ResponseCriterion
from .editorial import Source, Status
from .feedback import Feedback
from .generation import ContentGeneration
from .glossary import GlossaryTerm
from .pages import GuidePage, Question
from .pending import PendingChange
from .references import Reference
from .response import ResponseCategory
from .risk_factors import RiskFactor
from .sections import Section
from .slugs import OldSlug
from .treatments import Treatment

__all__ = [
    "ContentGeneration",
    "Feedback",
    "GlossaryTerm",
    "GuidePage",
    "OldSlug",
    "PendingChange",
    "Question",
    "Reference",
    "ResponseCategory",
    "ResponseCriterion",
    "RiskFactor",
    "Section",
    "Source",
    "Status",
    "Treatment",
]
