"""The response-to-treatment explainer page, in both languages: the form, one answer per
category quoting the criteria from the database, "cannot tell yet" with what is
missing, every kind of bad input answered beside its field, and the page furniture."""

import html as html_module
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from neuroinfo.explainer.form import ExplainerForm
from neuroinfo.models import ResponseCriterion
from neuroinfo.pagecache import _page_key
from tests.helpers import NBSP, links, page_text, region, visible_text

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
MET = {"en": "Met:", "fr": f"Rempli{NBSP}:"}
NOT_MET = {"en": "Not met:", "fr": f"Non rempli{NBSP}:"}


def _get(client, language: str, params: dict):
    return client.get(f"{BASE[language]}?{urlencode(params)}")


def _html(response) -> str:
    return response.content.decode()


def _criteria(html: str) -> list[tuple[str, str]]:
    """Each quoted criterion of the answer as (status text, statement)."""
    return [
        (status, html_module.unescape(re.sub(r"<[^>]+>", "", statement)).strip())
        for status, statement in re.findall(
            r'<strong class="verdict[^"]*">([^<]*)</strong>\s*'
            r"<span[^>]*>(.*?)</span></li>",
            html,
        )
    ]


def _answer(response) -> str:
    return region(_html(response), "explainer-answer")


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
    html = _html(response)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in html
    form = region(html, "explainer-form")
    assert 'method="get"' in form and f'action="{BASE[language]}"' in form
    found = re.findall(
        r'<legend class="explainer-group__legend">([^<]+)</legend>', form
    )
    assert all(legend in found for legend in legends), found
    assert label in form
    # Numbers: typed as text with the decimal keyboard, hint (and error) described.
    primary = re.search(r'<input[^>]*id="primary_mm"[^>]*>', form).group()
    assert 'inputmode="decimal"' in primary
    assert 'aria-describedby="primary_mm-hint"' in primary
    assert 'id="primary_mm-hint"' in form
    # Each question answered "Not known" until the reader says otherwise.
    assert 'name="new_spots" value="unknown" checked>' in form
    assert 'name="new_spots" value="yes" id="new_spots_0">' in form
    assert 'data-testid="explainer-answer"' not in html
    assert 'data-testid="explainer-errors"' not in html
    assert "csrfmiddlewaretoken" not in html
    # Indexable, with its canonical address.
    assert 'name="robots"' not in html and "X-Robots-Tag" not in response.headers
    assert f'<link rel="canonical" href="http://testserver{BASE[language]}"' in html


def test_the_notice_says_the_care_team_decides(client):
    notice_en = region(_html(client.get(EN)), "explainer-notice")
    assert "healthcare team decides" in notice_en and "not a diagnosis" in notice_en
    notice_fr = region(_html(client.get(FR)), "explainer-notice")
    assert "équipe de soins" in notice_fr and "pas un diagnostic" in notice_fr


# --- one answer per category ------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("category", list(CASES))
def test_one_answer_per_category(client, category, language):
    response = _get(client, language, CASES[category])
    assert response.status_code == 200
    html = _html(response)
    name, met, unmet = EXPECTED[(category, language)]
    answer = _answer(response)
    assert f'data-category="{category}"' in answer
    heading = {
        "en": "The findings you entered match:",
        "fr": f"Les résultats que vous avez entrés correspondent à{NBSP}:",
    }[language]
    title = re.search(r'id="explainer-answer-title"[^>]*>(.*?)</h2>', answer).group(1)
    assert re.sub(r"<[^>]+>", "", title) == f"{heading} {name}"
    criteria = _criteria(html)
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
    # Every category is explained, in precedence order.
    names = re.findall(r'class="explainer-category__title"[^>]*>([^<]+)</h3>', html)
    assert len(names) == 4
    assert (
        names[0] == {"en": "Progressive disease", "fr": "Maladie évolutive"}[language]
    )
    assert 'name="robots" content="noindex"' in html
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert 'data-testid="explainer-errors"' not in html


def test_the_answer_never_depends_on_the_language(client):
    queries = [*CASES.values(), {"new_spots": "no"}, {"marrow_new_cells": "yes"}, {}]
    queries.append({"size_before": "40", "size_after": "50", **NOT_PROGRESSIVE})
    for query in queries:
        query = {**query, "scan_clear": query.get("scan_clear", "unknown")}
        outcomes = {
            re.search(
                r'data-outcome="(\w*)" data-category="([\w-]*)"', _html(r)
            ).groups()
            for r in (_get(client, "en", query), _get(client, "fr", query))
        }
        assert len(outcomes) == 1, (query, outcomes)


def test_cannot_tell_lists_the_missing_findings_linked_to_their_fields(client):
    from django.utils import translation

    from neuroinfo.findings import FINDINGS

    for language, heading in (
        ("en", "Cannot tell yet: some findings are missing"),
        ("fr", f"Impossible de le dire pour l'instant{NBSP}: il manque des résultats"),
    ):
        response = _get(client, language, {"new_spots": "no"})
        answer = _answer(response)
        assert 'data-outcome="cannot_tell"' in answer
        assert heading in answer
        missing = region(answer, "explainer-missing")
        items = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', missing)
        anchors = [anchor for anchor, _label in items]
        # The size question (its direction is not known yet) and the marrow question.
        assert "size_change_0" in anchors
        assert "marrow_new_cells_0" in anchors
        for anchor in anchors:
            assert f'id="{anchor}"' in _html(response)
        with translation.override(language):
            grown = str(FINDINGS["size_increase"].label)
        assert grown in [html_module.unescape(text) for _a, text in items]
        # Every category still quotes its criteria, unknown ones said in words.
        statuses = {status for status, _t in _criteria(_html(response))}
        assert {"en": "Not known:", "fr": f"Inconnu{NBSP}:"}[language] in statuses


def test_cannot_tell_with_a_direction_but_no_percentage_points_at_the_percentage(
    client,
):
    response = _get(
        client, "en", {**NOT_PROGRESSIVE, "size_change": "smaller", "scan_clear": "no"}
    )
    answer = _answer(response)
    assert 'data-outcome="cannot_tell"' in answer
    assert 'href="#size_percent"' in region(answer, "explainer-missing")


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
    html = _html(response)
    message = english if language == "en" else french
    beside = region(html, f"error-{field}")
    assert message in html_module.unescape(beside), (beside, message)
    # The field says it is wrong and points at its message.
    error_id = f"{field}-error"
    assert f'id="{error_id}"' in beside
    assert re.search(rf'aria-describedby="{field}-hint {error_id}"', html)
    # The summary at the top links to the field's control.
    summary = region(html, "explainer-errors")
    anchor = re.search(rf'href="#({field}(?:_0)?)"', summary).group(1)
    assert f'id="{anchor}"' in html
    assert 'data-testid="explainer-answer"' not in html
    title = re.search(r"<title>([^<]*)</title>", html).group(1)
    assert title.startswith({"en": "Error:", "fr": f"Erreur{NBSP}:"}[language])
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_the_reader_text_is_shown_back_as_typed(client):
    html = _html(_get(client, "fr", {"primary_mm": "abc<script>", "nodes_mm": "9,5"}))
    assert 'value="abc&lt;script&gt;"' in html
    assert 'value="9,5"' in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]


# --- numbers as each language writes them --------------------------------------------------
def test_a_french_decimal_comma_is_accepted(client):
    query = {**CASES["complete-response"], "primary_mm": "9,5", "nodes_mm": "9,99"}
    response = _get(client, "fr", query)
    answer = _answer(response)
    assert 'data-category="complete-response"' in answer
    assert "9,5" in _html(response)
    # Spaces between thousands, a unit typed with the number, a point, in French too.
    for typed in ("1 000", f"1{NBSP}000"):
        r = _get(client, "fr", {"size_change": "larger", "size_percent": typed})
        assert 'data-testid="explainer-errors"' not in _html(r), typed
    r = _get(client, "fr", {**query, "primary_mm": "9.5 mm"})
    assert 'data-category="complete-response"' in _answer(r)


def test_english_accepts_thousands_and_a_point(client):
    response = _get(client, "en", {"size_change": "larger", "size_percent": "1,000"})
    assert 'data-category="progressive-disease"' in _answer(response)
    query = {**CASES["complete-response"], "primary_mm": "9.5", "nodes_mm": "9.99 mm"}
    assert 'data-category="complete-response"' in _answer(_get(client, "en", query))
    query = {**CASES["complete-response"], "primary_mm": "10"}
    assert 'data-category="complete-response"' not in _answer(_get(client, "en", query))


def test_sizes_before_and_after_give_the_percentage(client):
    query = {**NOT_PROGRESSIVE, "size_before": "50", "size_after": "30"}
    query |= {"score_change": "lower", "score_percent": "50", "scan_clear": "no"}
    en = _get(client, "en", query)
    assert 'data-category="partial-response"' in _answer(en)
    computed = region(_html(en), "explainer-computed")
    assert f"50{NBSP}mm before treatment, 30{NBSP}mm now" in computed
    assert "the tumours are 40% smaller" in computed
    fr = _get(client, "fr", query)
    assert 'data-category="partial-response"' in _answer(fr)
    assert f"de 40{NBSP}% plus petites" in region(_html(fr), "explainer-computed")
    # Growth: 40 mm to 50 mm is 25 % larger, at least 20 %: progressive disease.
    grown = _get(
        client, "en", {**NOT_PROGRESSIVE, "size_before": "40", "size_after": "50"}
    )
    assert 'data-category="progressive-disease"' in _answer(grown)
    assert "25% larger" in region(_html(grown), "explainer-computed")
    # A third is shown rounded, and says so; the exact value decides.
    third = _get(client, "en", {**query, "size_before": "30", "size_after": "20"})
    text = visible_text(third)
    assert "33.3% smaller" in text and "rounded" in text
    # A percentage that agrees with the sizes is the one used; nothing is computed.
    both = _get(client, "en", {**query, "size_change": "smaller", "size_percent": "40"})
    assert 'data-category="partial-response"' in _answer(both)
    assert 'data-testid="explainer-computed"' not in _html(both)


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
    from django.http import QueryDict

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
    assert 'data-category="partial-response"' in _answer(_get(client, "en", query))
    criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
    criterion.threshold = Decimal("45")
    criterion.save()
    for language, words in (
        ("en", "Every tumour is more than 45% smaller than before treatment."),
        ("fr", f"Chaque tumeur a diminué de plus de 45{NBSP}%"),
    ):
        response = _get(client, language, query)
        assert 'data-category="stable-disease"' in _answer(response)
        assert any(
            s == NOT_MET[language] and words in t for s, t in _criteria(_html(response))
        ), _criteria(_html(response))
    criterion.statement_en = "Every tumour shrank by more than {threshold}."
    criterion.save()
    assert "Every tumour shrank by more than 45%." in visible_text(
        _get(client, "en", query)
    )


# --- the page around the form ------------------------------------------------------------
def test_the_language_switch_keeps_the_answers(client):
    query = urlencode(CASES["partial-response"])
    for here, there, code in ((EN, FR, "fr"), (FR, EN, "en")):
        html = _html(client.get(f"{here}?{query}"))
        switch = region(html, "language-switch")
        assert f'href="{there}?{query}"'.replace("&", "&amp;") in switch
        assert re.search(
            rf'<link rel="alternate" hreflang="{code}" href="http://testserver'
            rf'{re.escape(there)}\?{re.escape(query.replace("&", "&amp;"))}"',
            html,
        )
    # The empty form's switch goes to the empty form.
    assert f'href="{FR}"' in region(_html(client.get(EN)), "language-switch")


def test_breadcrumbs_and_links_between_the_explainer_and_the_response_page(client):
    html = _html(client.get(EN))
    crumbs = region(html, "breadcrumbs")
    assert 'href="/en/"' in crumbs and 'href="/en/response-to-treatment/"' in crumbs
    assert "Response to treatment" in crumbs
    assert 'href="/en/response-to-treatment/"' in region(html, "explainer-back")
    fr = _html(client.get(FR))
    assert 'href="/fr/reponse-au-traitement/"' in region(fr, "breadcrumbs")
    for page, explainer in (
        ("/en/response-to-treatment/", EN),
        ("/fr/reponse-au-traitement/", FR),
    ):
        response = client.get(page)
        assert explainer in links(response)
        assert explainer in region(_html(response), "explainer-link")


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
    html = _html(response)
    assert f'<html lang="{language}"' in html
    assert ("not found" if language == "en" else "introuvable") in page_text(
        response
    ).lower()


def test_the_other_language_slug_redirects_with_the_answers(client):
    response = client.get("/fr/response-to-treatment/explication/?new_spots=yes")
    assert response.status_code == 301
    assert response.url == f"{FR}?new_spots=yes"
    response = client.get("/en/reponse-au-traitement/explainer/")
    assert (response.status_code, response.url) == (301, EN)


def test_a_draft_response_page_has_no_explainer(client):
    from neuroinfo.models import GuidePage

    GuidePage.objects.filter(key="response-to-treatment").update(status="draft")
    assert client.get(EN).status_code == 404


def test_the_page_holds_nothing_per_visitor_and_is_not_cached_per_query(client):
    query = f"{EN}?{urlencode(CASES['stable-disease'])}"
    for path in (EN, query):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
        assert "public" in response["Cache-Control"]
        assert "csrfmiddlewaretoken" not in _html(response)
        assert cache.get(_page_key(RequestFactory().get(path))) is None


def test_a_post_is_refused(client):
    assert client.post(EN, CASES["stable-disease"]).status_code == 405


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
    from pathlib import Path

    from django.contrib.staticfiles import finders

    html = _html(_get(client, language, query))
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    size = sum(
        Path(finders.find(u.removeprefix("/static/"))).stat().st_size for u in assets
    )
    assert len(html.encode()) + size < 50_000, len(html.encode()) + size


def test_the_feedback_question_on_the_explainer_is_answered(client):
    html = _html(client.get(EN))
    assert 'data-testid="feedback"' in html
    response = client.get("/en/feedback/", {"page": EN, "helpful": "no"})
    assert response.status_code == 200
