"""The facts of a response report that the explainer asks about, defined in one place.

A criterion names the finding it is checked against (``ResponseCriterion.finding``);
the explainer's form asks for exactly these findings, and the engine
(``neuroinfo.explainer.engine``) compares them with the criteria's thresholds and answers.
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
        "score_raised",
        BOOL,
        _("The MIBG or PET scan score went up"),
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
        "bone_spread",
        BOOL,
        _("Whether spread to the bones was found"),
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


@dataclass(frozen=True)
class Condition:
    """An answer that makes a criterion not apply (``ResponseCriterion.not_applicable_when``).

    The source's wording can assume something a child does not have: its partial
    response asks for a smaller score "in bone metastases", which says nothing about a
    child whose cancer never spread to the bones.
    """

    name: str
    finding: str  # a yes/no finding
    answer: bool  # the answer to it that makes the criterion not apply
    label: Promise
    note: Promise  # what the answer page says when it left criteria out


CONDITIONS: dict[str, Condition] = {
    condition.name: condition
    for condition in (
        Condition(
            "no_bone_spread",
            "bone_spread",
            False,
            _("no spread to the bones was found"),
            _(
                "You answered that no spread to the bones was found, so the criteria "
                "about spread to the bones do not apply, and the category is decided "
                "from the others. The source's wording assumes the cancer had spread "
                "to the bones: your child's healthcare team confirms the category."
            ),
        ),
    )
}


def condition_choices() -> list[tuple[str, Promise]]:
    """Choices for ``ResponseCriterion.not_applicable_when``."""
    return [(c.name, c.label) for c in CONDITIONS.values()]


def finding_choices() -> list[tuple[str, Promise]]:
    """Choices for ``ResponseCriterion.finding``."""
    return [(finding.name, finding.label) for finding in _ALL]
