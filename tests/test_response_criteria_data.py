"""Response criteria as data: the finding, expected answer and precedence fields in the
content files, the admin and the response page."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from neuroinfo.contentfiles.loader import load_tree
from neuroinfo.contentfiles.records import record_from_db, record_hash
from neuroinfo.contentfiles.schema import KINDS_BY_FOLDER
from neuroinfo.models import ResponseCategory, ResponseCriterion
from tests.contenttree import edit, load_problems
from tests.dom import parse
from tests.helpers import admin_save, visible_text
from tests.test_editorial import as_role  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PR_FILE = "en/response/partial-response.md"
# The line of "criteria:" in the shipped file: the lines of its criteria are counted
# from it, so a change above them (a new field, sources) moves nothing here.
CRITERIA = (settings.CONTENT_DIR / PR_FILE).read_text(encoding="utf-8").split(
    "\n"
).index("criteria:") + 1
RESPONSE = KINDS_BY_FOLDER["response"]


class TestShippedData:
    def test_the_files_load_the_findings_expected_answers_and_precedence(self):
        categories = ResponseCategory.objects.order_by("precedence")
        assert [(c.key, c.precedence, c.match) for c in categories] == [
            ("progressive-disease", 1, "any"),
            ("complete-response", 2, "all"),
            ("partial-response", 3, "all"),
            ("stable-disease", 4, "otherwise"),
        ]
        rows = {
            c.key: (c.finding, c.expected, c.comparison, c.threshold, c.unit)
            for c in ResponseCriterion.objects.all()
        }
        assert rows["pd-new-tumour"] == ("new_lesions", True, "", None, "")
        assert rows["pd-tumour-growth"][:4] == ("size_increase", None, "gte", 20)
        assert rows["pd-bone-marrow"][:2] == ("marrow_new_cells", True)
        assert rows["cr-mibg-pet"][:2] == ("scan_clear", True)
        assert rows["cr-primary-tumour"] == ("primary_diameter", None, "lt", 10, "mm")
        assert rows["cr-lymph-nodes"] == ("node_diameter", None, "lt", 10, "mm")
        assert rows["cr-bone-marrow"][:2] == ("marrow_clear", True)
        assert rows["pr-all-tumours"] == ("size_decrease", None, "gt", 30, "percent")
        assert rows["pr-no-new-metastases"][:2] == ("new_lesions", False)
        assert rows["pr-bone-metastases"][:4] == ("score_reduction", None, "gte", 50)
        # "30% or less": the mirror of partial response's "over 30%", so exactly
        # 30% meets the criterion of stable disease, the category it gets.
        assert rows["sd-all-tumours"][:4] == ("size_decrease", None, "lte", 30)
        assert rows["sd-mibg-pet"][:4] == ("score_reduction", None, "lt", 50)
        assert rows["sd-no-response"][:2] == ("", None)
        # The score criteria are about spread to the bones: not for a child without.
        not_applicable = ResponseCriterion.objects.exclude(not_applicable_when="")
        assert {(c.key, c.not_applicable_when) for c in not_applicable} == {
            ("pr-bone-metastases", "no_bone_spread"),
            ("sd-mibg-pet", "no_bone_spread"),
        }
        for criterion in ResponseCriterion.objects.all():
            criterion.full_clean()
        for category in ResponseCategory.objects.all():
            category.full_clean()

    def test_a_database_loaded_before_these_fields_gets_them_on_the_next_load(self):
        # What migration 0006 leaves: empty fields, and the fingerprint the files
        # had before (no finding, expected or precedence; stable disease "any").
        for category in ResponseCategory.objects.all():
            ResponseCategory.objects.filter(pk=category.pk).update(
                precedence=0,
                match="any" if category.key == "stable-disease" else category.match,
            )
            ResponseCriterion.objects.filter(category=category).update(
                finding="", expected=None
            )
            old = record_from_db(RESPONSE, ResponseCategory.objects.get(pk=category.pk))
            without = {k: v for k, v in old.items() if k != "precedence"}
            without["criteria"] = [
                {k: v for k, v in row.items() if k not in ("finding", "expected")}
                for row in old["criteria"]
            ]
            assert record_hash(old) == record_hash(without)
            ResponseCategory.objects.filter(pk=category.pk).update(
                content_hash=record_hash(without)
            )
        report = load_tree(settings.CONTENT_DIR)
        assert report.kept == []
        assert sorted(r for r in report.updated if r.startswith("response:")) == [
            "response:complete-response",
            "response:partial-response",
            "response:progressive-disease",
            "response:stable-disease",
        ]
        assert ResponseCategory.objects.get(key="stable-disease").match == "otherwise"
        assert (
            ResponseCriterion.objects.get(key="pr-no-new-metastases").expected is False
        )

    def test_a_false_expected_answer_is_fingerprinted(self):
        category = ResponseCategory.objects.get(key="partial-response")
        record = record_from_db(RESPONSE, category)
        flipped = {
            **record,
            "criteria": [
                {**row, "expected": None} if row["expected"] is False else row
                for row in record["criteria"]
            ],
        }
        assert record_hash(flipped) != record_hash(record)

    def test_an_admin_change_to_an_expected_answer_exports_and_loads_back(
        self, tmp_path
    ):
        ResponseCriterion.objects.filter(key="pd-bone-marrow").update(expected=False)
        call_command("export_content", str(tmp_path), stdout=io.StringIO())
        text = (tmp_path / "en/response/progressive-disease.md").read_text()
        assert "  finding: marrow_new_cells\n  expected: false\n" in text
        assert "precedence: 1\n" in text
        assert (
            "finding"
            not in (tmp_path / "fr/response/progressive-disease.md").read_text()
        )
        ResponseCriterion.objects.filter(key="pd-bone-marrow").update(expected=True)
        load_tree(tmp_path, force=True)
        assert ResponseCriterion.objects.get(key="pd-bone-marrow").expected is False


def _unknown_finding(root: Path) -> None:
    edit(root / PR_FILE, "finding: size_decrease", "finding: tumour_size")


def _expected_on_a_number(root: Path) -> None:
    edit(
        root / PR_FILE,
        "  finding: size_decrease\n",
        "  finding: size_decrease\n  expected: true\n",
    )


def _threshold_on_a_yes_no_finding(root: Path) -> None:
    edit(
        root / PR_FILE,
        "  expected: false\n  statement: No new metastases have appeared.",
        "  expected: false\n  quantity: size_change\n  comparison: gt\n"
        "  threshold: 30\n  unit: percent\n"
        "  statement: No new metastases over {threshold} have appeared.",
    )
    edit(
        root / "fr/response/partial-response.md",
        "Aucune nouvelle métastase n'est apparue.",
        "Aucune nouvelle métastase de plus de {threshold} n'est apparue.",
    )


def _unit_not_matching(root: Path) -> None:
    edit(root / PR_FILE, "  unit: percent\n", "  unit: mm\n")


def _expected_not_true_or_false(root: Path) -> None:
    edit(root / PR_FILE, "expected: false", "expected: nope")


def _yes_no_finding_without_expected(root: Path) -> None:
    edit(root / PR_FILE, "  expected: false\n", "")


def _threshold_without_finding(root: Path) -> None:
    edit(root / PR_FILE, "  finding: size_decrease\n", "")


def _unknown_not_applicable_answer(root: Path) -> None:
    edit(
        root / PR_FILE, "not_applicable_when: no_bone_spread", "not_applicable_when: x"
    )


def _missing_precedence(root: Path) -> None:
    edit(root / PR_FILE, "precedence: 3\n", "")


def _repeated_precedence(root: Path) -> None:
    edit(root / PR_FILE, "precedence: 3\n", "precedence: 2\n")


def _zero_precedence(root: Path) -> None:
    edit(root / PR_FILE, "precedence: 3\n", "precedence: 0\n")


def _unknown_match(root: Path) -> None:
    edit(root / PR_FILE, "match: all\n", "match: most\n")


def _finding_in_french(root: Path) -> None:
    edit(
        root / "fr/response/partial-response.md",
        "- key: pr-all-tumours\n",
        "- key: pr-all-tumours\n  finding: size_decrease\n",
    )


MALFORMED = [
    (
        _unknown_finding,
        f"{PR_FILE}:{CRITERIA + 3}",
        "'finding' must be one of: bone_spread, marrow_clear",
    ),
    (
        _expected_on_a_number,
        f"{PR_FILE}:{CRITERIA + 4}",
        "is a number: leave the expected",
    ),
    (
        _threshold_on_a_yes_no_finding,
        f"{PR_FILE}:{CRITERIA + 15}",
        "is a yes or no answer",
    ),
    (_unit_not_matching, f"{PR_FILE}:{CRITERIA + 7}", "is measured in per cent"),
    (
        _expected_not_true_or_false,
        f"{PR_FILE}:{CRITERIA + 12}",
        "'expected' must be true or false",
    ),
    (
        _yes_no_finding_without_expected,
        f"{PR_FILE}:{CRITERIA + 9}",
        "Choose the answer to",
    ),
    (
        _threshold_without_finding,
        f"{PR_FILE}:{CRITERIA + 1}",
        "Choose the finding this threshold",
    ),
    (
        _unknown_not_applicable_answer,
        f"{PR_FILE}:{CRITERIA + 21}",
        "'not_applicable_when' must be one of: no_bone_spread",
    ),
    (_missing_precedence, f"{PR_FILE}:2", "'precedence' is required"),
    (_repeated_precedence, f"{PR_FILE}:4", "already has precedence 2"),
    (_zero_precedence, f"{PR_FILE}:4", "'precedence' must be a whole number, 1 or"),
    (_unknown_match, f"{PR_FILE}:5", "'match' must be one of: all, any, otherwise"),
    (
        _finding_in_french,
        "fr/response/partial-response.md:",
        "unknown field 'finding' (shared fields belong in the English file)",
    ),
]


@pytest.mark.parametrize(("break_it", "where", "problem"), MALFORMED)
def test_a_bad_criterion_names_its_file_and_line_and_loads_nothing(
    content_copy, break_it, where, problem
):
    edit(
        content_copy / "en/response/stable-disease.md",
        "title: Stable disease",
        "title: Stable disease (new)",
    )
    break_it(content_copy)
    messages = load_problems(content_copy)
    assert any(where in m and problem in m for m in messages), messages
    assert ResponseCategory.objects.get(key="stable-disease").title_en == (
        "Stable disease"
    )


# --- The admin ------------------------------------------------------------------------


def _criterion_url(key: str) -> str:
    pk = ResponseCriterion.objects.get(key=key).pk
    return f"/admin/neuroinfo/responsecriterion/{pk}/change/"


def _category_url(key: str) -> str:
    pk = ResponseCategory.objects.get(key=key).pk
    return f"/admin/neuroinfo/responsecategory/{pk}/change/"


FRENCH = "fr-CA,fr;q=0.9"


@pytest.mark.parametrize(
    ("key", "changes", "english", "french"),
    [
        (
            "pr-all-tumours",
            {"expected": "True"},
            "“How much smaller the tumours are than before treatment” is a number: "
            "leave the expected answer empty",
            "est un nombre",
        ),
        (
            "pr-all-tumours",
            {"unit": "mm"},
            "is measured in per cent: choose that unit.",
            "se mesure en pour cent",
        ),
        (
            "pd-new-tumour",
            {
                "quantity": "size_change",
                "comparison": "gte",
                "threshold": "5",
                "unit": "percent",
                "statement_en": "New spots over {threshold}.",
                "statement_fr": "Nouvelles taches de plus de {threshold}.",
            },
            "is a yes or no answer: remove the quantity, comparison, threshold",
            "se répond par oui ou non",
        ),
        (
            "pd-new-tumour",
            {"expected": ""},
            "Choose the answer to “There is a new tumour or there are new spots on an "
            "MIBG or PET scan” that meets this criterion.",
            "Choisissez la réponse à",
        ),
        (
            "sd-no-response",
            {"expected": "False"},
            "Choose the finding this answer is for",
            "Choisissez le résultat auquel cette réponse s'applique",
        ),
    ],
)
def test_the_criterion_form_says_which_field_to_fix(
    admin_client, key, changes, english, french
):
    before = ResponseCriterion.objects.get(key=key)
    for language, message in (("en", english), (FRENCH, french)):
        admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        response = admin_save(admin_client, _criterion_url(key), **changes)
        assert response.status_code == 200
        html = visible_text(response)
        assert message in html, html[:3000]
    after = ResponseCriterion.objects.get(key=key)
    assert (after.expected, after.unit, after.threshold) == (
        before.expected,
        before.unit,
        before.threshold,
    )


def test_a_valid_change_to_a_finding_saves(admin_client):
    response = admin_save(
        admin_client, _criterion_url("pr-no-new-metastases"), expected="True"
    )
    assert response.status_code == 302
    assert ResponseCriterion.objects.get(key="pr-no-new-metastases").expected is True


def test_the_category_form_edits_precedence_and_the_criteria_findings(admin_client):
    form = parse(admin_client.get(_category_url("partial-response")))
    assert form.find(name="precedence").get("value") == "3"
    assert form.has(name="criteria-0-finding")
    assert form.has(name="criteria-1-expected")
    assert form.find("select", name="match").has("option", value="otherwise")


def test_two_categories_cannot_share_a_precedence(admin_client):
    url = _category_url("partial-response")
    for language, message in (
        ("en", "“Progressive disease” already has precedence 1"),
        (FRENCH, "« Maladie évolutive » a déjà la priorité 1"),
    ):
        admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        response = admin_save(admin_client, url, precedence="1")
        assert response.status_code == 200
        assert message in visible_text(response)
    assert ResponseCategory.objects.get(key="partial-response").precedence == 3
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    # A free step before the "otherwise" category's, which is decided last.
    ResponseCategory.objects.filter(key="stable-disease").update(precedence=9)
    assert admin_save(admin_client, url, precedence="7").status_code == 302
    assert ResponseCategory.objects.get(key="partial-response").precedence == 7


def test_a_translator_cannot_change_how_a_criterion_is_checked(as_role):  # noqa: F811
    criterion = ResponseCriterion.objects.get(key="pr-no-new-metastases")
    criterion.category.status = "draft"
    criterion.category.save()
    client = as_role("Translator")
    url = _criterion_url(criterion.key)
    form = parse(client.get(url))
    assert form.has(name="statement_fr")
    assert not form.has(name="finding") and not form.has(name="expected")
    admin_save(client, url, expected="True")
    criterion.refresh_from_db()
    assert (criterion.finding, criterion.expected) == ("new_lesions", False)


# --- The response page ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        (
            "/en/response-to-treatment/",
            "None of the other categories applies. For example: Spread seen on",
        ),
        (
            "/fr/reponse-au-traitement/",
            "Aucune des autres catégories ne s'applique. Par exemple :",
        ),
    ],
)
def test_the_catch_all_category_says_when_it_applies(client, url, sentence):
    response = client.get(url)
    assert response.status_code == 200
    text = visible_text(response)
    assert sentence in text
    assert text.count(sentence) == 1
