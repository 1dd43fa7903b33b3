"""The kinds of content a family reads: the one list every other module derives from.

A reference names an item as ``kind:key`` (``treatment:surgery``); links, the content
files, rendering, translation, history, the admin and the printed guide all take the
kinds from here. Models are looked up by name only when asked for, so this module
imports no model and any module (the models included) may import it.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

APP = "neuroinfo"


@dataclass(frozen=True)
class Kind:
    """One kind of item: its reference prefix, content-file folder and model."""

    ref: str  # the prefix of a reference, e.g. "treatment" in treatment:surgery
    folder: str  # the folder of the content tree its files are in
    model: str  # the model's class name
    rows: tuple[str, ...] = ()  # related names of the rows kept with each item
    guide: bool = True  # a page of the guide (summary, key points, a place in it)
    sectioned: bool = False  # listed in one of the guide's sections (models.Section)

    @property
    def model_class(self) -> type[models.Model]:
        """The model, once the app registry is ready."""
        return apps.get_model(APP, self.model)


# In reading order: the guide's pages, the factors considered, treatments, response
# categories, then the glossary.
KINDS: tuple[Kind, ...] = (
    Kind("page", "pages", "GuidePage", rows=("questions",), sectioned=True),
    Kind("risk-factor", "risk-factors", "RiskFactor", sectioned=True),
    Kind("treatment", "treatments", "Treatment", sectioned=True),
    Kind("response", "response", "ResponseCategory", rows=("criteria",)),
    Kind("glossary", "glossary", "GlossaryTerm", guide=False),
)
BY_REF = {kind.ref: kind for kind in KINDS}
BY_MODEL = {kind.model: kind for kind in KINDS}
REFS = tuple(BY_REF)
MODEL_NAMES = tuple(BY_MODEL)
