"""What one answer about a report says about another, kept as a table beside the criteria.

A report rarely states every finding the criteria check: "no tumour in the bone marrow"
already says there are no new cancer cells in it, and a scan score that went down by
less than all of it says the scan still shows disease. The explainer applies these
rules before deciding (``neuroinfo.explainer.engine``), lists on the answer page what it
inferred, and refuses answers that break a rule, naming both (the form's check and
the engine's both read this table). Editors read the table in content/README.md.

A rule never decides a category by itself: it only fills in a finding the criteria
then check. Only rules that follow from the findings' own meaning are here; the
categories' thresholds stay in the database.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Value = bool | Decimal
_TESTS: dict[str, Callable[[Value, Value], bool]] = {
    "is": operator.is_,
    "eq": operator.eq,
    "gt": operator.gt,
    "lt": operator.lt,
}


@dataclass(frozen=True)
class Test:
    """One known finding compared with a value: ``is`` (yes/no), ``eq``, ``gt``, ``lt``."""

    finding: str
    op: str
    value: Value

    def holds(self, findings: dict) -> bool:
        known = findings.get(self.finding)
        if known is None:
            return False
        if self.op == "is":
            return known is self.value
        return _TESTS[self.op](Decimal(known), self.value)


@dataclass(frozen=True)
class Rule:
    """When every test holds, ``finding`` has ``value``.

    ``infer``: the explainer fills the finding in when the report does not say it;
    a rule that only refuses a contradiction leaves it to the reader. ``because`` is
    what the answer page says when it used the rule; ``conflict`` is the message beside
    the answer that breaks it, naming both answers.
    """

    key: str
    when: tuple[Test, ...]
    finding: str
    value: Value
    because: Promise
    conflict: Promise
    infer: bool = True
    ask: str = ""  # the finding whose question gets ``conflict``; default ``finding``

    def applies(self, findings: dict) -> bool:
        return all(test.holds(findings) for test in self.when)

    def broken_by(self, findings: dict) -> bool:
        known = findings.get(self.finding)
        return self.applies(findings) and known is not None and known != self.value


RULES: tuple[Rule, ...] = (
    Rule(
        "marrow-clear",
        (Test("marrow_clear", "is", True),),
        "marrow_new_cells",
        False,
        _("Because no tumour was found in the bone marrow, no new cancer cells were "
          "found in it either."),
        _("You answered that no tumour was found in the bone marrow, so there cannot "
          "also be new cancer cells there. Check both answers."),
    ),
    Rule(
        "scan-clear",
        (Test("scan_clear", "is", True),),
        "new_lesions",
        False,
        _("Because the scan shows no sign of disease, it shows no new tumour or new "
          "spots either."),
        _("You answered Yes to a new tumour or new spots, so the scan cannot also "
          "show no sign of disease. Check both answers."),
        ask="scan_clear",
    ),
    Rule(
        "score-partly-lower",
        (Test("score_reduction", "gt", Decimal(0)),
         Test("score_reduction", "lt", Decimal(100))),
        "scan_clear",
        False,
        _("Because the scan score went down, but not all the way, the scan still "
          "shows some disease."),
        _("You answered that the scan score went down, but not all the way, so the "
          "scan still shows some disease: it cannot also show no sign of disease. "
          "Check both answers."),
    ),
    Rule(
        "score-higher",
        (Test("score_raised", "is", True),),
        "scan_clear",
        False,
        _("Because the scan score went up, the scan still shows disease."),
        _("You answered that the scan score went up, so the scan cannot also show "
          "no sign of disease. Check both answers."),
    ),
    Rule(
        "gone-but-measured",
        (Test("size_decrease", "eq", Decimal(100)),),
        "primary_diameter",
        Decimal(0),
        _("Because the tumours are 100% smaller, no primary tumour is left to "
          "measure."),
        _("You answered that the tumours are 100% smaller, so no primary tumour can "
          "still be measured. Check both answers."),
        infer=False,  # a report that removed the primary tumour says so itself
    ),
)  # fmt: skip


def close(findings: dict) -> tuple[dict, list[Rule]]:
    """The findings with every inferring rule applied (until nothing changes), and the
    rules that filled something in, in the order they did."""
    closed = dict(findings)
    used: list[Rule] = []
    changed = True
    while changed:
        changed = False
        for rule in RULES:
            if rule.infer and closed.get(rule.finding) is None and rule.applies(closed):
                closed[rule.finding] = rule.value
                used.append(rule)
                changed = True
    return closed, used


def conflicts(findings: dict) -> list[Rule]:
    """The rules the findings break, once what they imply is filled in."""
    closed, _used = close(findings)
    return [rule for rule in RULES if rule.broken_by(closed)]
