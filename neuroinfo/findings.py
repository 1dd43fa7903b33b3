"""The facts of a response report that the explainer asks about, defined in one place.

A criterion names the finding it is checked against (``ResponseCriterion.finding``);
the explainer's form asks for exactly these findings, and the engine
(``neuroinfo.explainer``) compares them with the criteria's thresholds and answers.
Keeping the list here means the model's choices, the form's fields and the engine
can never disagree about what a finding is or how it is measured.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BOOL = "bool"
PERCENT = "percent"
MM = "mm"
KINDS = (BOOL, PERCENT, MM)


@dataclass(frozen=True)
class Finding:
    """One fact read off a report: a yes/no answer, a percentage or a size in mm."""

    name: str
    kind: str  # BOOL, PERCENT or MM; for a number, also the criterion's unit
    label: Promise  # translated lazily: a plain-language description for families
    maximum: Decimal | None = None  # the largest sensible value of a number (min is 0)

    @property
    def is_bool(self) -> bool:
        return self.kind == BOOL

    @property
    def unit(self) -> str:
        """The ``ResponseCriterion.unit`` a criterion on this finding must use."""
        return "" if self.is_bool else self.kind


_ALL = (
    Finding(
        "new_lesions",
        BOOL,
        _("There is a new tumour or there are new spots on an MIBG or PET scan"),
    ),
    Finding(
        "size_decrease",
        PERCENT,
        _("How much smaller the tumours are than before treatment"),
        Decimal(100),
    ),
    Finding(
        "size_increase",
        PERCENT,
        _("How much a tumour has grown"),
        Decimal(1000),
    ),
    Finding(
        "primary_diameter",
        MM,
        _("Largest diameter of the primary tumour now"),
        Decimal(500),
    ),
    Finding(
        "node_diameter",
        MM,
        _("Largest diameter of the target lymph nodes now"),
        Decimal(500),
    ),
    Finding(
        "score_reduction",
        PERCENT,
        _("Reduction in the MIBG or PET scan score"),
        Decimal(100),
    ),
    Finding(
        "scan_clear",
        BOOL,
        _(
            "The MIBG or PET scan shows no sign of disease anywhere in the soft "
            "tissue or bone"
        ),
    ),
    Finding(
        "marrow_clear",
        BOOL,
        _("No tumour is found in 2 bone marrow biopsies and 2 bone marrow aspirations"),
    ),
    Finding(
        "marrow_new_cells",
        BOOL,
        _(
            "There are cancer cells in the bone marrow that were not there before "
            "treatment"
        ),
    ),
)

# In the order the explainer asks for them and lists what is missing.
FINDINGS: dict[str, Finding] = {finding.name: finding for finding in _ALL}


def finding_choices() -> list[tuple[str, Promise]]:
    """Choices for ``ResponseCriterion.finding``."""
    return [(finding.name, finding.label) for finding in _ALL]
