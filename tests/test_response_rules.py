"""Editors cannot break the explainer's logic (issue 14, point 5).

The admin's change forms and load_content refuse the same things, with the same words:
a threshold outside its unit's range or not a number, a second "otherwise" category or
none, an "otherwise" category not decided last, two categories at one step. A database
that holds such a value anyway never turns a public page into a 500: the pages leave
the bad row out (and say so), the explainer gives no answer, and the problem is logged.
"""

import logging
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import DataError, connection, transaction
from django.test import Client
from django.utils import translation

from neuroinfo import workflow
from neuroinfo.implications import RULES
from neuroinfo.models import PendingChange, ResponseCategory, ResponseCriterion
from tests.contenttree import edit, load_problems
from tests.helpers import admin_save, empty_cache, region, staff_user, visible_text

pytestmark = pytest.mark.django_db

FRENCH = "fr-CA,fr;q=0.9"
PARTIAL = "en/response/partial-response.md"
STABLE = "en/response/stable-disease.md"
COMPLETE = "en/response/complete-response.md"


# --- The admin, as a medical reviewer saves its forms ----------------------------------


@pytest.fixture
def reviewer(client):
    client.force_login(staff_user("rita", "Medical reviewer"))
    return client


def _url(obj) -> str:
    return f"/admin/neuroinfo/{obj._meta.model_name}/{obj.pk}/change/"


def _text(fragment: str) -> str:
    """A piece of HTML as text, as ``visible_text`` reads a page."""
    return visible_text(SimpleNamespace(content=fragment.encode()))


def _around(html: str, start: int) -> str:
    """The element opening at ``start``, to its closing tag."""
    marked = html[:start] + html[start:].replace(">", ' data-testid="here">', 1)
    return region(marked, "here")


def _field_errors(response, name: str) -> str:
    """The text of a form field's row on an admin form, its errors included."""
    html = response.content.decode()
    found = re.search(rf'class="form-row[^"]*\bfield-{name}\b', html)
    return _text(_around(html, html.rindex("<", 0, found.start())))


def _inline_errors(response, row: int, name: str) -> str:
    """The text of an inline criterion's cell, its errors included."""
    html = response.content.decode()
    at = html.index(f'name="criteria-{row}-{name}"')
    return _text(_around(html, html.rindex("<td", 0, at)))


def _speak(client, language: str) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language


THRESHOLDS = [
    # (criterion, posted value, English message, French message)
    (
        "pr-all-tumours",
        "-5",
        "Enter a threshold from 0 to 100 per cent.",
        "Entrez un seuil de 0 à 100 pour cent.",
    ),
    (
        "pr-bone-metastases",
        "150",
        "Enter a threshold from 0 to 100 per cent.",
        "Entrez un seuil de 0 à 100 pour cent.",
    ),
    (
        "cr-primary-tumour",
        "1500",
        "Enter a threshold from 0 to 1,000 millimetres.",
        "Entrez un seuil de 0 à 1 000 millimètres.",
    ),
]


@pytest.mark.parametrize(("key", "value", "english", "french"), THRESHOLDS)
@pytest.mark.parametrize("language", ["en", FRENCH])
def test_a_threshold_outside_its_unit_s_range_is_refused_on_its_field(
    reviewer, key, value, english, french, language
):
    criterion = ResponseCriterion.objects.get(key=key)
    before = criterion.threshold
    _speak(reviewer, language)
    response = admin_save(reviewer, _url(criterion), threshold=value)
    assert response.status_code == 200
    message = english if language == "en" else french
    assert message in _field_errors(response, "threshold").replace("\u202f", " ")
    assert ResponseCriterion.objects.get(key=key).threshold == before
    end = "1000" if criterion.unit == "mm" else "100"  # the range includes its ends
    assert admin_save(reviewer, _url(criterion), threshold=end).status_code == 302
    assert ResponseCriterion.objects.get(key=key).threshold == Decimal(end)


@pytest.mark.parametrize("language", ["en", FRENCH])
def test_a_negative_threshold_in_the_category_s_inline_is_refused_on_its_cell(
    reviewer, language
):
    category = ResponseCategory.objects.get(key="partial-response")
    rows = list(category.criteria.order_by("order", "key"))
    row = next(i for i, c in enumerate(rows) if c.key == "pr-all-tumours")
    _speak(reviewer, language)
    response = admin_save(
        reviewer, _url(category), **{f"criteria-{row}-threshold": "-5"}
    )
    assert response.status_code == 200
    message = (
        "Enter a threshold from 0 to 100 per cent."
        if language == "en"
        else "Entrez un seuil de 0 à 100 pour cent."
    )
    assert message in _inline_errors(response, row, "threshold")
    assert ResponseCriterion.objects.get(key="pr-all-tumours").threshold == 30


def _title(key: str, language: str) -> str:
    category = ResponseCategory.objects.get(key=key)
    return category.title_en if language == "en" else category.title_fr


@pytest.mark.parametrize("language", ["en", FRENCH])
def test_a_second_otherwise_category_is_refused_naming_the_first(reviewer, language):
    category = ResponseCategory.objects.get(key="partial-response")
    _speak(reviewer, language)
    response = admin_save(reviewer, _url(category), match="otherwise")
    assert response.status_code == 200
    text = _field_errors(response, "match")
    stable = _title("stable-disease", language)
    if language == "en":
        assert f"“{stable}” already applies when no category decided" in text
    else:
        assert f"« {stable} » s'applique déjà lorsque aucune catégorie" in text
    assert ResponseCategory.objects.get(key=category.key).match == "all"


@pytest.mark.parametrize("language", ["en", FRENCH])
def test_leaving_no_otherwise_category_is_refused(reviewer, language):
    category = ResponseCategory.objects.get(key="stable-disease")
    _speak(reviewer, language)
    response = admin_save(reviewer, _url(category), match="all")
    assert response.status_code == 200
    text = _field_errors(response, "match")
    expected = (
        "exactly one must, or some findings get no answer"
        if language == "en"
        else "il en faut exactement une"
    )
    assert expected in text
    assert ResponseCategory.objects.get(key=category.key).match == "otherwise"


@pytest.mark.parametrize("language", ["en", FRENCH])
def test_deleting_the_otherwise_category_is_refused(reviewer, language):
    """Deleting "stable disease" would leave findings with no answer: the delete page
    sends the reviewer back with the rule's message, and confirming changes nothing."""
    category = ResponseCategory.objects.get(key="stable-disease")
    _speak(reviewer, language)
    delete = f"/admin/neuroinfo/responsecategory/{category.pk}/delete/"
    for response in (
        reviewer.get(delete, follow=True),
        reviewer.post(delete, {"post": "yes"}, follow=True),
    ):
        assert response.redirect_chain[-1][0] == _url(category)
        expected = (
            "exactly one must, or some findings get no answer"
            if language == "en"
            else "il en faut exactement une"
        )
        assert expected in visible_text(response)
    assert ResponseCategory.objects.filter(key="stable-disease").exists()
    changelist = reviewer.get("/admin/neuroinfo/responsecategory/")
    assert 'value="delete_selected"' not in changelist.content.decode()


def test_deleting_another_category_is_still_possible(reviewer):
    category = ResponseCategory.objects.get(key="partial-response")
    delete = f"/admin/neuroinfo/responsecategory/{category.pk}/delete/"
    assert reviewer.get(delete).status_code == 200
    reviewer.post(delete, {"post": "yes"})
    assert not ResponseCategory.objects.filter(key="partial-response").exists()


@pytest.mark.parametrize("language", ["en", FRENCH])
def test_a_category_decided_after_the_otherwise_one_is_refused(reviewer, language):
    category = ResponseCategory.objects.get(key="partial-response")
    _speak(reviewer, language)
    response = admin_save(reviewer, _url(category), precedence="9")
    assert response.status_code == 200
    text = _field_errors(response, "precedence")
    stable = _title("stable-disease", language)
    if language == "en":
        assert f"“{stable}” applies when no category decided before it" in text
        assert "precedence lower than 4" in text
    else:
        assert f"« {stable} » s'applique lorsque aucune catégorie" in text
        assert "priorité plus basse que 4" in text
    assert ResponseCategory.objects.get(key=category.key).precedence == 3


def test_a_translator_s_save_on_a_database_already_broken_is_not_a_crash(client):
    """A rule about a field the form shows read-only is said, not a server error."""
    criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
    ResponseCategory.objects.filter(pk=criterion.category_id).update(status="draft")
    ResponseCriterion.objects.filter(pk=criterion.pk).update(threshold=Decimal(-5))
    client.force_login(staff_user("tom", "Translator"))
    response = admin_save(
        client, _url(criterion), statement_fr="Chaque tumeur : {threshold}."
    )
    assert response.status_code == 200
    assert "Threshold: Enter a threshold from 0 to 100 per cent." in visible_text(
        response
    )


# --- load_content: refused before anything is written, at the line -------------------


def _at(root: Path, name: str, text: str, occurrence: int = 1) -> str:
    lines = (root / name).read_text(encoding="utf-8").split("\n")
    found = [n for n, line in enumerate(lines, 1) if text in line]
    return f"{name}:{found[occurrence - 1]}: "


def test_thresholds_out_of_range_or_not_numbers_are_refused_at_their_lines(
    content_copy,
):
    edit(content_copy / PARTIAL, "threshold: 30\n", "threshold: -5\n")
    edit(content_copy / PARTIAL, "threshold: 50\n", "threshold: .nan\n")
    edit(content_copy / COMPLETE, "threshold: 10\n", "threshold: 1500\n")
    edit(content_copy / COMPLETE, "threshold: 10\n", "threshold: .inf\n")
    messages = load_problems(content_copy)
    expected = [
        (_at(content_copy, PARTIAL, "threshold: -5"), "from 0 to 100 per cent"),
        (_at(content_copy, PARTIAL, "threshold: .nan"), "decimal number"),
        (_at(content_copy, COMPLETE, "threshold: 1500"), "from 0 to 1,000 millim"),
        (_at(content_copy, COMPLETE, "threshold: .inf"), "decimal number"),
    ]
    for where, problem in expected:
        assert any(m.startswith(where) and problem in m for m in messages), (
            where,
            messages,
        )


def test_a_second_otherwise_category_is_refused_at_both_match_lines(content_copy):
    edit(content_copy / PARTIAL, "match: all\n", "match: otherwise\n")
    messages = load_problems(content_copy)
    at_partial = _at(content_copy, PARTIAL, "match: otherwise")
    at_stable = _at(content_copy, STABLE, "match: otherwise")
    assert any(
        m.startswith(at_partial) and "“Stable disease” already applies" in m
        for m in messages
    ), messages
    assert any(m.startswith(at_stable) and f"({PARTIAL})" in m for m in messages), (
        messages
    )


def test_no_otherwise_category_is_refused(content_copy):
    edit(content_copy / STABLE, "match: otherwise\n", "match: all\n")
    messages = load_problems(content_copy)
    assert any("exactly one must" in m and ":5: 'match'" in m for m in messages)


def test_a_category_after_the_otherwise_one_is_refused_at_its_precedence_line(
    content_copy,
):
    edit(content_copy / PARTIAL, "precedence: 3\n", "precedence: 9\n")
    messages = load_problems(content_copy)
    where = _at(content_copy, PARTIAL, "precedence: 9")
    assert any(
        m.startswith(where) and "precedence lower than 4" in m for m in messages
    ), messages


def test_a_clash_with_a_category_only_in_the_database_is_refused(content_copy):
    ResponseCategory.objects.create(
        key="mixed-response",
        title_en="Mixed response",
        slug_en="mixed-response",
        title_fr="Réponse mixte",
        slug_fr="reponse-mixte",
        precedence=3,
        match="any",
    )
    messages = load_problems(content_copy)
    where = _at(content_copy, PARTIAL, "precedence: 3")
    assert any(
        m.startswith(where) and "the database's 'mixed-response'" in m for m in messages
    ), messages


def test_a_clash_with_an_editor_s_kept_change_is_refused_and_nothing_written(
    content_copy,
):
    """Categories an editor changed are kept by a load: only what the load would
    write shows the clash (the files alone are sound)."""
    # An editor swapped two steps in the admin (kept by a load without --force).
    ResponseCategory.objects.filter(key="progressive-disease").update(precedence=2)
    ResponseCategory.objects.filter(key="complete-response").update(precedence=1)
    # The files swap two others: partial response now at step 2.
    edit(content_copy / COMPLETE, "precedence: 2\n", "precedence: 3\n")
    edit(content_copy / PARTIAL, "precedence: 3\n", "precedence: 2\n")
    messages = load_problems(content_copy)
    assert any(
        m.startswith(_at(content_copy, PARTIAL, "precedence: 2"))
        and "“Progressive disease” already has precedence 2" in m
        for m in messages
    ), messages


# --- A database holding a bad value: public pages answer, show what they can, log ------

PAGES = {
    "en": [
        "/en/response-to-treatment/",
        "/en/guide/print/",
        "/en/search/?q=tumour",
    ],
    "fr": [
        "/fr/reponse-au-traitement/",
        "/fr/guide/imprimer/",
        "/fr/recherche/?q=tumeur",
    ],
}
EXPLAINER = {
    "en": "/en/response-to-treatment/explainer/",
    "fr": "/fr/reponse-au-traitement/explication/",
}
ANSWERS = [
    "new_spots=yes",
    "new_spots=no&size_change=smaller&size_percent=40&score_change=lower"
    "&score_percent=60&scan_clear=no&marrow_clear=no&marrow_new_cells=no",
    "new_spots=no&size_change=same&score_change=same&scan_clear=no&marrow_new_cells=no",
]
UNAVAILABLE = {
    "en": "This page cannot give an answer right now",
    "fr": "Cette page ne peut pas donner de réponse pour le moment",
}
LEFT_OUT = {
    "en": "Some criteria of this category cannot be shown right now.",
    "fr": "Certains critères de cette catégorie ne peuvent pas être affichés",
}


def _criterion(key: str, **values) -> str:
    ResponseCriterion.objects.filter(key=key).update(**values)
    return key


def _huge() -> str:
    """A threshold its column cannot give back where the database takes it (SQLite);
    where it refuses it, the largest the column holds, far out of range."""
    rows = ResponseCriterion.objects.filter(key="pr-all-tumours")
    if connection.vendor != "sqlite":
        with pytest.raises(DataError), transaction.atomic():
            rows.update(threshold=Decimal("123456.789"))
        rows.update(threshold=Decimal("99999.99"))
    else:
        rows.update(threshold=Decimal("123456.789"))
    return "pr-all-tumours"


BAD = {
    # name: writes the bad value; returns the criterion left out (None: a category rule)
    "negative threshold": lambda: _criterion("pr-all-tumours", threshold=-5),
    "threshold too large to read": _huge,
    "unit not the finding's": lambda: _criterion("pr-all-tumours", unit="mm"),
    "number criterion without threshold": lambda: _criterion(
        "pd-tumour-growth", threshold=None
    ),
    "second otherwise": lambda: (
        ResponseCategory.objects.filter(key="partial-response").update(
            match="otherwise"
        )
        and None
    ),
    "duplicate precedence": lambda: (
        ResponseCategory.objects.filter(key="partial-response").update(precedence=2)
        and None
    ),
}


def _get(url: str):
    empty_cache()  # each request builds its page from the database
    return Client(raise_request_exception=True).get(url)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("bad", BAD)
def test_a_bad_value_in_the_database_is_left_out_and_logged_not_a_500(
    bad, language, caplog
):
    left_out = BAD[bad]()
    rows = ResponseCriterion.objects.filter(key=left_out)
    statement = rows.values_list(f"statement_{language}", flat=True).first()
    caplog.set_level(logging.ERROR, logger="neuroinfo.response_rows")
    for url in PAGES[language]:
        caplog.clear()
        response = _get(url)
        assert response.status_code == 200, url
        assert any(r.name == "neuroinfo.response_rows" for r in caplog.records), url
        text = visible_text(response)
        if left_out and "search" not in url and "recherche" not in url:
            assert LEFT_OUT[language] in text, url
            before_number = statement.split("{threshold}")[0].strip()
            assert before_number not in text, url
    for answers in ANSWERS:
        caplog.clear()
        response = _get(f"{EXPLAINER[language]}?{answers}")
        assert response.status_code == 200
        assert UNAVAILABLE[language] in visible_text(response)
        assert 'data-testid="explainer-answer"' not in response.content.decode()
        assert any("cannot answer" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("language", ["en", FRENCH])
def test_two_held_changes_that_clash_are_not_both_published(reviewer, language):
    """Each change was sound when it was held; once one is published, the other would
    give two categories the same precedence: publishing it is refused, nothing of it
    applied, and the reviewer is told why."""
    partial = ResponseCategory.objects.get(key="partial-response")
    complete = ResponseCategory.objects.get(key="complete-response")
    first = workflow.hold(partial, {"precedence": 7}, staff_user("ed1", "Editor"))
    second = workflow.hold(complete, {"precedence": 7}, staff_user("ed2", "Editor"))
    stable = ResponseCategory.objects.get(key="stable-disease")
    ResponseCategory.objects.filter(pk=stable.pk).update(precedence=9)
    workflow.publish(first, staff_user("rev1", "Medical reviewer"))
    _speak(reviewer, language)
    url = f"/admin/neuroinfo/pendingchange/{second.pk}/change/"
    response = reviewer.post(url, {"_publish": "x", "comment": ""}, follow=True)
    text = visible_text(response)
    expected = "Nothing was published" if language == "en" else "Rien n’a été publié"
    assert expected in text, text[:3000]
    assert ResponseCategory.objects.get(key="complete-response").precedence == 2
    assert PendingChange.objects.get(pk=second.pk).state == PendingChange.State.WAITING


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "How the explainer reads answers"),
        (FRENCH, "Comment l’explication des résultats lit les réponses"),
    ],
)
def test_editors_read_what_answers_imply_on_a_category_s_form(
    reviewer, language, heading
):
    """Every implication rule is listed, in the editor's language, read-only."""
    _speak(reviewer, language)
    category = ResponseCategory.objects.get(key="complete-response")
    response = reviewer.get(_url(category))
    text = visible_text(response)
    assert heading in text
    with translation.override(language[:2]):
        for rule in RULES:
            assert " ".join(str(rule.because).split()) in text, rule.key
    assert 'name="implied_answers"' not in response.content.decode()
