"""The response-to-treatment explainer page, in both languages: the form, one answer per
category quoting the criteria from the database, "cannot tell yet" with what is
missing, every kind of bad input answered beside its field, and the page furniture.

Pages are read as parsed trees (tests/dom.py): elements, their text, labels
and descriptions, never exact markup or attribute order."""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from neuroinfo.explainer.form import ExplainerForm
from neuroinfo.findings import FINDINGS
from neuroinfo.models import GuidePage, ResponseCriterion
from neuroinfo.pagecache import _page_key
from tests.dom import Element, checked, description_of, label_of, parse
from tests.helpers import NBSP, page_text, page_weight, visible_text

pytestmark = pytest.mark.django_db

EN = "/en/response-to-treatment/explainer/"
FR = "/fr/reponse-au-traitement/explication/"
BASE = {"en": EN, "fr": FR}

# Nothing new, nothing grown, no new cells: progressive disease is ruled out.
NOT_PROGRESSIVE = {"new_spots": "no", "marrow_new_cells": "no"}
CASES = {
    "progressive-disease": {
        # Any new spot is progressive disease, whatever else improved.
        "new_spots": "yes",
        "size_change": "smaller",
        "size_percent": "60",
        "score_change": "lower",
        "score_percent": "80",
        "marrow_new_cells": "no",
    },
    "complete-response": {
        **NOT_PROGRESSIVE,
        "size_change": "smaller",
        "size_percent": "90",
        "primary_mm": "8",
        "nodes_mm": "9",
        "scan_clear": "yes",
        "marrow_clear": "yes",
    },
    "partial-response": {
        **NOT_PROGRESSIVE,
        "size_change": "smaller",
        "size_percent": "40",
        "score_change": "lower",
        "score_percent": "60",
        "scan_clear": "no",
    },
    "stable-disease": {
        **NOT_PROGRESSIVE,
        "size_change": "smaller",
        "size_percent": "10",
        "score_change": "lower",
        "score_percent": "20",
        "scan_clear": "no",
    },
}
# (category, language): the heading's name, and statements met, with their numbers.
EXPECTED = {
    ("progressive-disease", "en"): (
        "Progressive disease",
        ["A new tumour has appeared, or an MIBG scan shows new spots."],
        ["A tumour has grown by 20% or more."],
    ),
    ("progressive-disease", "fr"): (
        "Maladie évolutive",
        ["Une nouvelle tumeur est apparue, ou la scintigraphie à la MIBG montre"],
        [f"Une tumeur a grossi de 20{NBSP}% ou plus."],
    ),
    ("complete-response", "en"): (
        "Complete response",
        [
            "The largest diameter of the primary tumour (its width at the widest point) "
            f"is under 10{NBSP}mm.",
            "The largest diameter of the target lymph nodes (their width at the widest "
            f"point) is under 10{NBSP}mm.",
            "Tests of the bone marrow find no tumour: 2 biopsies and 2 aspirations.",
        ],
        [],
    ),
    ("complete-response", "fr"): (
        "Réponse complète",
        [
            "Le plus grand diamètre de la tumeur primitive (sa largeur à l'endroit le "
            f"plus large) est de moins de 10{NBSP}mm.",
            "Les examens de la moelle osseuse ne trouvent aucune tumeur",
        ],
        [],
    ),
    ("partial-response", "en"): (
        "Partial response",
        [
            "Every tumour is more than 30% smaller than before treatment.",
            "The MIBG or PET score for spread to the bones is down by at least 50%.",
        ],
        ["The MIBG or PET scan finds no disease in any soft tissue or bone."],
    ),
    ("partial-response", "fr"): (
        "Réponse partielle",
        [
            f"Chaque tumeur a diminué de plus de 30{NBSP}% par rapport",
            f"pour la propagation aux os a baissé d'au moins 50{NBSP}%.",
        ],
        ["ne trouve aucune maladie dans les tissus mous ni dans les os"],
    ),
    ("stable-disease", "en"): (
        "Stable disease",
        [
            "Tumours may be smaller, but by no more than 30% of their size before "
            "treatment."
        ],
        ["Every tumour is more than 30% smaller than before treatment."],
    ),
    ("stable-disease", "fr"): (
        "Maladie stable",
        [f"Les tumeurs ont peut-être diminué, mais d'au plus 30{NBSP}%"],
        [f"Chaque tumeur a diminué de plus de 30{NBSP}%"],
    ),
}
# The categories as the response page lists them.
DISPLAY_ORDER = {
    "en": ["Complete response", "Partial response", "Stable disease",
           "Progressive disease"],
    "fr": ["Réponse complète", "Réponse partielle", "Maladie stable",
           "Maladie évolutive"],
}  # fmt: skip
MET = {"en": "Met:", "fr": f"Rempli{NBSP}:"}
NOT_MET = {"en": "Not met:", "fr": f"Non rempli{NBSP}:"}


def _get(client, language: str, params: dict):
    return client.get(f"{BASE[language]}?{urlencode(params)}")


def _criteria(page: Element) -> list[tuple[str, str]]:
    """Each quoted criterion of the answer as (status, statement): the status is said
    first, in bold, then the statement."""
    quoted = []
    for item in page.testid("explainer-categories").find_all("li", class_="verdict"):
        status = item.find("strong").text_with_nbsp
        quoted.append((status, item.text_with_nbsp.removeprefix(status).strip()))
    return quoted


def _answer(response) -> Element:
    return parse(response).testid("explainer-answer")


# --- the empty form -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "legends", "label"),
    [
        (
            "en",
            ["New tumours", "Change in size of the tumours", "Bone marrow"],
            "Largest diameter of the primary tumour now, in mm",
        ),
        (
            "fr",
            ["Nouvelles tumeurs", "Changement de taille des tumeurs", "Moelle osseuse"],
            "Plus grand diamètre de la tumeur primitive maintenant, en mm",
        ),
    ],
)
def test_the_empty_form_in_each_language(client, language, legends, label):
    response = client.get(BASE[language])
    assert response.status_code == 200
    page = parse(response)
    assert page.find("html")["lang"] == language
    form = page.testid("explainer-form")
    assert form.tag == "form"
    assert (form["method"], form["action"]) == ("get", BASE[language])
    found = [legend.text_with_nbsp for legend in form.find_all("legend")]
    assert all(legend in found for legend in legends), found
    assert label_of(form, "primary_mm") == label
    # Numbers: typed as text with the decimal keyboard, hint (and error) described.
    primary = form.find("input", id="primary_mm")
    assert primary["type"] == "text" and primary["inputmode"] == "decimal"
    assert primary.tokens("aria-describedby") == ["primary_mm-hint"]
    with translation.override(language):
        hint = str(ExplainerForm.base_fields["primary_mm"].help_text)
    assert description_of(form, primary) == [hint]
    # Each question answered "Not known" until the reader says otherwise.
    assert checked(form, "new_spots") == ["unknown"]
    first = form.by_id("new_spots_0")
    assert (first["name"], first["value"], "checked" in first.attrs) == (
        "new_spots",
        "yes",
        False,
    )
    assert not page.has(data_testid="explainer-answer")
    assert not page.has(data_testid="explainer-errors")
    assert not page.has(name="csrfmiddlewaretoken")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    # Indexable, with its canonical address.
    assert not page.has("meta", name="robots")
    assert "X-Robots-Tag" not in response.headers
    canonical = page.find("link", rel="canonical")
    assert canonical["href"] == f"http://testserver{BASE[language]}"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("healthcare team decides", "not a diagnosis")),
        ("fr", ("équipe de soins", "pas un diagnostic")),
    ],
)
def test_the_notice_says_the_care_team_decides(client, language, words):
    notice = parse(client.get(BASE[language])).testid("explainer-notice").text_with_nbsp
    assert all(word in notice for word in words), notice


# --- one answer per category ------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("category", list(CASES))
def test_one_answer_per_category(client, category, language):
    response = _get(client, language, CASES[category])
    assert response.status_code == 200
    page = parse(response)
    name, met, unmet = EXPECTED[(category, language)]
    answer = page.testid("explainer-answer")
    assert answer["data-category"] == category
    heading = {
        "en": "The findings you entered match:",
        "fr": f"Les résultats que vous avez entrés correspondent à{NBSP}:",
    }[language]
    title = page.by_id(answer["aria-labelledby"])
    assert title.text_with_nbsp == f"{heading} {name}"
    criteria = _criteria(page)
    for statement in met:
        assert any(s == MET[language] and statement in t for s, t in criteria), (
            statement,
            criteria,
        )
    for statement in unmet:
        assert any(s == NOT_MET[language] and statement in t for s, t in criteria), (
            statement,
            criteria,
        )
    # Every category is explained: the answer's own first, then the others in the
    # order the response page lists them.
    matched = page.testid("explainer-matched").find("h3").text_with_nbsp
    others = [
        s.text_with_nbsp
        for s in page.testid("explainer-others").find_all(
            class_="explainer-other__title"
        )
    ]
    assert matched == name
    assert [matched, *others] == [name] + [
        n for n in DISPLAY_ORDER[language] if n != name
    ]
    assert page.find("meta", name="robots")["content"] == "noindex"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert not page.has(data_testid="explainer-errors")


def test_the_answer_never_depends_on_the_language(client):
    queries = [*CASES.values(), {"new_spots": "no"}, {"marrow_new_cells": "yes"}, {}]
    queries.append({"size_before": "40", "size_after": "50", **NOT_PROGRESSIVE})
    for query in queries:
        query = {**query, "scan_clear": query.get("scan_clear", "unknown")}
        outcomes = {
            (answer["data-outcome"], answer["data-category"])
            for answer in (_answer(_get(client, code, query)) for code in BASE)
        }
        assert len(outcomes) == 1, (query, outcomes)


@pytest.mark.parametrize(
    ("language", "heading", "unknown"),
    [
        ("en", "Cannot tell yet: some findings are missing", "Not known:"),
        (
            "fr",
            f"Impossible de le dire pour l'instant{NBSP}: il manque des résultats",
            f"Inconnu{NBSP}:",
        ),
    ],
)
def test_cannot_tell_lists_the_missing_findings_linked_to_their_fields(
    client, language, heading, unknown
):
    page = parse(_get(client, language, {"new_spots": "no"}))
    answer = page.testid("explainer-answer")
    assert answer["data-outcome"] == "cannot_tell"
    assert heading in answer.text_with_nbsp
    items = [(a["href"].removeprefix("#"), a.text_with_nbsp) for a in
             answer.testid("explainer-missing").find_all("a", href=True)]  # fmt: skip
    anchors = [anchor for anchor, _label in items]
    # The size question (its direction is not known yet) and the marrow question.
    assert "size_change_0" in anchors
    assert "marrow_new_cells_0" in anchors
    for anchor in anchors:
        assert page.has(id=anchor)
    with translation.override(language):
        grown = str(FINDINGS["size_increase"].label)
    assert grown in [text for _a, text in items]
    # Every category still quotes its criteria, unknown ones said in words.
    assert unknown in {status for status, _t in _criteria(page)}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_cannot_tell_with_a_direction_but_no_percentage_points_at_the_percentage(
    client, language
):
    query = {**NOT_PROGRESSIVE, "size_change": "smaller", "scan_clear": "no"}
    answer = _answer(_get(client, language, query))
    assert answer["data-outcome"] == "cannot_tell"
    hrefs = [href for _t, href in answer.testid("explainer-missing").links()]
    assert "#size_percent" in hrefs


# --- bad input ------------------------------------------------------------------------
BAD = [
    # (query, field with the message, English message, French message)
    ({"size_before": "-5", "size_after": "3"}, "size_before",
     "Enter a number of 0 or more.", "Entrez un nombre égal ou supérieur à 0."),
    ({"primary_mm": "-1"}, "primary_mm",
     "Enter a number of 0 or more.", "Entrez un nombre égal ou supérieur à 0."),
    ({"nodes_mm": "\u22122"}, "nodes_mm",
     "Enter a number of 0 or more.", "Entrez un nombre égal ou supérieur à 0."),
    ({"size_change": "smaller", "size_percent": "150"}, "size_percent",
     "Enter a number from 0 to 100.", "Entrez un nombre de 0 à 100."),
    ({"size_change": "larger", "size_percent": "1500"}, "size_percent",
     "Enter a number from 0 to 1,000.", f"Entrez un nombre de 0 à 1{NBSP}000."),
    ({"score_change": "lower", "score_percent": "101"}, "score_percent",
     "Enter a number from 0 to 100.", "Entrez un nombre de 0 à 100."),
    ({"nodes_mm": "abc"}, "nodes_mm",
     "Enter a number, for example 12.5.", "Entrez un nombre, par exemple 12,5."),
    ({"primary_mm": "1e9"}, "primary_mm",
     "Enter a number, for example 12.5.", "Entrez un nombre, par exemple 12,5."),
    ({"primary_mm": "NaN"}, "primary_mm",
     "Enter a number, for example 12.5.", "Entrez un nombre, par exemple 12,5."),
    ({"primary_mm": "Infinity"}, "primary_mm",
     "Enter a number, for example 12.5.", "Entrez un nombre, par exemple 12,5."),
    ({"primary_mm": ","}, "primary_mm",
     "Enter a number, for example 12.5.", "Entrez un nombre, par exemple 12,5."),
    ({"size_percent": "40%%", "size_change": "smaller"}, "size_percent",
     "Enter a number, for example 12.5.", "Entrez un nombre, par exemple 12,5."),
    ({"primary_mm": "12 cm"}, "primary_mm",
     "Enter a number, for example 12.5.", "Entrez un nombre, par exemple 12,5."),
    ({"primary_mm": "9" * 40}, "primary_mm",
     "Enter a number, for example 12.5.", "Entrez un nombre, par exemple 12,5."),
    ({"primary_mm": "600"}, "primary_mm",
     f"Enter a size of 500{NBSP}mm or less.", f"Entrez une taille de 500{NBSP}mm ou moins."),
    ({"primary_mm": "12.345"}, "primary_mm",
     "Use at most 2 digits after the decimal point.",
     "Utilisez au plus 2 chiffres après la virgule."),
    ({"size_percent": "30"}, "size_change",
     "Choose Smaller or Larger above, or leave the percentage empty.",
     "Choisissez «\u00a0Plus petites\u00a0» ou «\u00a0Plus grosses\u00a0» ci-dessus"),
    ({"score_percent": "30", "score_change": "unknown"}, "score_change",
     "Choose Lower or Higher above, or leave the percentage empty.",
     "Choisissez «\u00a0Plus bas\u00a0» ou «\u00a0Plus élevé\u00a0» ci-dessus"),
    ({"size_change": "same", "size_percent": "10"}, "size_percent",
     "You answered that it stayed about the same",
     "Vous avez répondu que c'est resté à peu près pareil"),
    ({"size_change": "smaller", "size_percent": "40", "size_before": "50",
      "size_after": "40"}, "size_percent",
     "This does not match the sizes you entered: from 50\u00a0mm to 40\u00a0mm is 20% "
     "smaller. Correct one of them",
     "Cela ne correspond pas aux tailles que vous avez entrées\u00a0: passer de "
     "50\u00a0mm à 40\u00a0mm, c'est 20\u00a0% de moins."),
    ({"size_change": "larger", "size_before": "50", "size_after": "40"}, "size_change",
     "This does not match the sizes you entered: from 50\u00a0mm to 40\u00a0mm is 20% "
     "smaller.",
     "Cela ne correspond pas aux tailles que vous avez entrées"),
    ({"size_before": "40"}, "size_after",
     "Enter both sizes, before and now, or leave both empty.",
     "Entrez les deux tailles, avant et maintenant"),
    ({"size_before": "0", "size_after": "5"}, "size_before",
     "The size before treatment must be more than 0\u00a0mm.",
     "La taille avant le traitement doit être de plus de 0\u00a0mm."),
    ({"size_before": "2", "size_after": "400"}, "size_after",
     "This is more than 10 times the size before treatment.",
     "C'est plus de 10 fois la taille avant le traitement."),
    ({"size_before": "40", "size_after": "20", "primary_mm": "25"}, "primary_mm",
     "This is larger than the size now that you entered above (20\u00a0mm).",
     "C'est plus grand que la taille maintenant que vous avez entrée plus haut "
     "(20\u00a0mm)."),
    ({"new_spots": "yes", "scan_clear": "yes"}, "scan_clear",
     "You answered Yes to a new tumour or new spots, so the scan cannot also show",
     "Vous avez répondu «\u00a0Oui\u00a0» à une nouvelle tumeur ou à de nouvelles taches"),
    ({"marrow_clear": "yes", "marrow_new_cells": "yes"}, "marrow_new_cells",
     "You answered that no tumour was found in the bone marrow, so there cannot",
     "Vous avez répondu qu'aucune tumeur n'a été trouvée dans la moelle osseuse"),
    ({"new_spots": "maybe"}, "new_spots",
     "Choose one of the answers.", "Choisissez une des réponses."),
]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("query", "field", "english", "french"), BAD)
def test_bad_input_is_explained_beside_its_field(
    client, query, field, english, french, language
):
    response = _get(client, language, query)
    assert response.status_code == 200
    page = parse(response)
    message = english if language == "en" else french
    beside = page.testid(f"error-{field}")
    assert message in beside.text_with_nbsp, (beside.text_with_nbsp, message)
    # The field (its input, or its group of choices) says it is wrong and is
    # described by its hint, then its message.
    error_id = f"{field}-error"
    assert beside["id"] == error_id
    described = [e for e in page.iter() if error_id in e.tokens("aria-describedby")]
    assert len(described) == 1
    assert described[0].tokens("aria-describedby") == [f"{field}-hint", error_id]
    assert described[0].get("id") == field or described[0].has(id=f"{field}_0")
    assert description_of(page, described[0])[1] == beside.text_with_nbsp
    # The summary at the top links to the field's control, with the same message.
    summary = page.testid("explainer-errors")
    links = [(a["href"], a.text_with_nbsp) for a in summary.find_all("a", href=True)]
    links = [(h, t) for h, t in links if h in (f"#{field}", f"#{field}_0")]
    assert len(links) == 1 and links[0][1] == beside.text_with_nbsp, summary.links()
    assert page.has(id=links[0][0].removeprefix("#"))
    assert not page.has(data_testid="explainer-answer")
    title = page.find("title").text_with_nbsp
    assert title.startswith({"en": "Error:", "fr": f"Erreur{NBSP}:"}[language])
    assert response.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_reader_text_is_shown_back_as_typed(client, language):
    query = {"primary_mm": "abc<script>", "nodes_mm": "9,5"}
    response = _get(client, language, query)
    page = parse(response)
    assert page.by_id("primary_mm")["value"] == "abc<script>"
    assert page.by_id("nodes_mm")["value"] == "9,5"
    assert not page.find("main").has("script")
    main = response.content.decode().split("<main", 1)[1].split("</main>")[0]
    assert "<script>" not in main  # escaped as text, whatever the markup around it


# --- numbers as each language writes them --------------------------------------------------
def test_a_french_decimal_comma_is_accepted(client):
    query = {**CASES["complete-response"], "primary_mm": "9,5", "nodes_mm": "9,99"}
    response = _get(client, "fr", query)
    assert _answer(response)["data-category"] == "complete-response"
    assert parse(response).by_id("primary_mm")["value"] == "9,5"
    # Spaces between thousands, a unit typed with the number, a point, in French too.
    for typed in ("1 000", f"1{NBSP}000"):
        r = _get(client, "fr", {"size_change": "larger", "size_percent": typed})
        assert not parse(r).has(data_testid="explainer-errors"), typed
    r = _get(client, "fr", {**query, "primary_mm": "9.5 mm"})
    assert _answer(r)["data-category"] == "complete-response"


def test_english_accepts_thousands_and_a_point(client):
    response = _get(client, "en", {"size_change": "larger", "size_percent": "1,000"})
    assert _answer(response)["data-category"] == "progressive-disease"
    query = {**CASES["complete-response"], "primary_mm": "9.5", "nodes_mm": "9.99 mm"}
    assert _answer(_get(client, "en", query))["data-category"] == "complete-response"
    query = {**CASES["complete-response"], "primary_mm": "10"}
    assert _answer(_get(client, "en", query))["data-category"] != "complete-response"


@pytest.mark.parametrize(
    ("language", "sizes", "smaller", "larger"),
    [
        ("en", f"50{NBSP}mm before treatment, 30{NBSP}mm now",
         "the tumours are 40% smaller", "the tumours are 25% larger"),
        ("fr", f"50{NBSP}mm avant le traitement, 30{NBSP}mm maintenant",
         f"de 40{NBSP}% plus petites", f"de 25{NBSP}% plus grosses"),
    ],
)  # fmt: skip
def test_sizes_before_and_after_give_the_percentage(
    client, language, sizes, smaller, larger
):
    query = {**NOT_PROGRESSIVE, "size_before": "50", "size_after": "30"}
    query |= {"score_change": "lower", "score_percent": "50", "scan_clear": "no"}
    response = _get(client, language, query)
    assert _answer(response)["data-category"] == "partial-response"
    computed = parse(response).testid("explainer-computed").text_with_nbsp
    assert sizes in computed and smaller in computed, computed
    # Growth: 40 mm to 50 mm is 25 % larger, at least 20 %: progressive disease.
    grown = _get(
        client, language, {**NOT_PROGRESSIVE, "size_before": "40", "size_after": "50"}
    )
    assert _answer(grown)["data-category"] == "progressive-disease"
    assert larger in parse(grown).testid("explainer-computed").text_with_nbsp
    # A percentage that agrees with the sizes is the one used; nothing is computed.
    both = {**query, "size_change": "smaller", "size_percent": "40"}
    response = _get(client, language, both)
    assert _answer(response)["data-category"] == "partial-response"
    assert not parse(response).has(data_testid="explainer-computed")


def test_a_rounded_percentage_says_so(client):
    query = {**NOT_PROGRESSIVE, "size_before": "30", "size_after": "20"}
    text = visible_text(_get(client, "en", query))
    assert "33.3% smaller" in text and "rounded" in text
    exact = visible_text(_get(client, "en", {**query, "size_after": "15"}))
    assert "50% smaller" in exact and "rounded" not in exact


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"size_change": "smaller", "size_percent": "40"},
         {"size_decrease": Decimal(40), "size_increase": Decimal(0)}),
        ({"size_change": "larger", "size_percent": "25"},
         {"size_decrease": Decimal(0), "size_increase": Decimal(25)}),
        ({"size_change": "same"}, {"size_decrease": 0, "size_increase": 0}),
        ({"size_change": "smaller"}, {"size_decrease": None, "size_increase": 0}),
        ({}, {"size_decrease": None, "size_increase": None, "score_reduction": None}),
        ({"score_change": "higher"}, {"score_reduction": 0}),
        ({"score_change": "lower", "score_percent": "55"}, {"score_reduction": 55}),
        ({"new_spots": "yes", "scan_clear": "no", "marrow_clear": "unknown"},
         {"new_lesions": True, "scan_clear": False, "marrow_clear": None}),
        ({"primary_mm": "12.5", "nodes_mm": "0"},
         {"primary_diameter": Decimal("12.5"), "node_diameter": 0}),
    ],
)  # fmt: skip
def test_answers_become_the_engine_findings(data, expected):
    query = QueryDict(mutable=True)
    query.update(data)
    form = ExplainerForm(query)
    assert form.is_valid(), form.errors
    findings = form.findings()
    assert set(findings) == {
        "new_lesions", "size_decrease", "size_increase", "primary_diameter",
        "node_diameter", "score_reduction", "score_raised", "scan_clear",
        "bone_spread", "marrow_clear", "marrow_new_cells",
    }  # fmt: skip
    for name, value in expected.items():
        assert findings[name] == value, (name, findings[name])
        kind = bool if isinstance(value, bool) else Decimal
        assert value is None or type(findings[name]) is kind, (name, findings[name])


# --- editors own the criteria --------------------------------------------------------------
def test_a_threshold_changed_in_the_database_changes_the_words_and_the_answer(client):
    query = CASES["partial-response"]
    assert _answer(_get(client, "en", query))["data-category"] == "partial-response"
    criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
    criterion.threshold = Decimal("45")
    criterion.save()
    for language, words in (
        ("en", "Every tumour is more than 45% smaller than before treatment."),
        ("fr", f"Chaque tumeur a diminué de plus de 45{NBSP}%"),
    ):
        response = _get(client, language, query)
        assert _answer(response)["data-category"] == "stable-disease"
        criteria = _criteria(parse(response))
        assert any(s == NOT_MET[language] and words in t for s, t in criteria), criteria
    criterion.statement_en = "Every tumour shrank by more than {threshold}."
    criterion.save()
    assert "Every tumour shrank by more than 45%." in visible_text(
        _get(client, "en", query)
    )


# --- the page around the form ------------------------------------------------------------
@pytest.mark.parametrize(("here", "there", "code"), [(EN, FR, "fr"), (FR, EN, "en")])
def test_the_language_switch_keeps_the_answers(client, here, there, code):
    query = urlencode(CASES["partial-response"])
    page = parse(client.get(f"{here}?{query}"))
    # The switch is the link itself (the first, and only, other language).
    assert page.testid("language-switch")["href"] == f"{there}?{query}"
    alternate = page.find("link", rel="alternate", hreflang=code)
    assert alternate["href"] == f"http://testserver{there}?{query}"
    # The empty form's switch goes to the empty form.
    assert parse(client.get(here)).testid("language-switch")["href"] == there


@pytest.mark.parametrize(
    ("language", "home", "response_page", "title"),
    [
        ("en", "/en/", "/en/response-to-treatment/", "Response to treatment"),
        ("fr", "/fr/", "/fr/reponse-au-traitement/", "Réponse au traitement"),
    ],
)
def test_breadcrumbs_and_links_between_the_explainer_and_the_response_page(
    client, language, home, response_page, title
):
    page = parse(client.get(BASE[language]))
    crumbs = page.testid("breadcrumbs")
    hrefs = [href for _t, href in crumbs.links()]
    # The start of the guide, the response page's section on it, the response page.
    section = f"{home}#section-understanding-results"
    assert hrefs == [home, section, response_page], hrefs
    assert title in crumbs.text_with_nbsp
    assert page.testid("explainer-back")["href"] == response_page
    guide_page = parse(client.get(response_page))
    assert BASE[language] in [href for _t, href in guide_page.links()]
    assert BASE[language] in [
        h for _t, h in guide_page.testid("explainer-link").links()
    ]


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("/en/follow-up-care/explainer/", "en"),
        ("/en/glossary/explainer/", "en"),
        ("/en/no-such-page/explainer/", "en"),
        ("/fr/suivi/explication/", "fr"),
        ("/fr/glossaire/explication/?new_spots=yes", "fr"),
    ],
)
def test_the_explainer_lives_only_under_the_response_page(client, path, language):
    response = client.get(path)
    assert response.status_code == 404
    assert parse(response).find("html")["lang"] == language
    assert ("not found" if language == "en" else "introuvable") in page_text(
        response
    ).lower()


def test_the_other_language_slug_redirects_with_the_answers(client):
    response = client.get("/fr/response-to-treatment/explication/?new_spots=yes")
    assert response.status_code == 301
    assert response.url == f"{FR}?new_spots=yes"
    response = client.get("/en/reponse-au-traitement/explainer/")
    assert (response.status_code, response.url) == (301, EN)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_draft_response_page_has_no_explainer(client, language):
    assert client.get(BASE[language]).status_code == 200
    GuidePage.objects.filter(key="response-to-treatment").update(status="draft")
    assert client.get(BASE[language]).status_code == 404


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_holds_nothing_per_visitor_and_is_not_cached_per_query(
    client, language
):
    base = BASE[language]
    for path in (base, f"{base}?{urlencode(CASES['stable-disease'])}"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
        assert "public" in response["Cache-Control"]
        assert not parse(response).has(name="csrfmiddlewaretoken")
        assert cache.get(_page_key(RequestFactory().get(path))) is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_post_is_refused(client, language):
    assert client.post(BASE[language], CASES["stable-disease"]).status_code == 405


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "query",
    [
        CASES["complete-response"],
        {"new_spots": "no"},  # cannot tell: the longest answer
        {k: "-1" for k in ("size_before", "size_after", "primary_mm", "nodes_mm")},
    ],
)
def test_every_kind_of_explainer_page_stays_small(client, language, query):
    response = _get(client, language, query)
    weight = page_weight(response)
    assert weight < 50_000, weight


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_feedback_question_on_the_explainer_is_answered(client, language):
    assert parse(client.get(BASE[language])).has(data_testid="feedback")
    with translation.override(language):
        feedback = reverse("neuroinfo:feedback")
    response = client.get(feedback, {"page": BASE[language], "helpful": "no"})
    assert response.status_code == 200
