"""The questions checklist as the server sends it: a plain printable list without
JavaScript, the checklist's words in the reader's language, nothing to send."""

import pytest
from django.utils import translation

from neuroinfo.models import GuidePage, Question
from tests.dom import parse, words

pytestmark = pytest.mark.django_db

PAGES = {"en": "/en/questions-to-ask/", "fr": "/fr/questions-a-poser/"}
LANGUAGES = list(PAGES)


def _without_templates(response):
    """The page as a browser without JavaScript shows it: <template> content is inert."""
    page = parse(response)
    for template in page.find_all("template"):
        template.parent.children.remove(template)
    return page


def _template(response):
    return parse(response).find("template")


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_javascript_the_questions_are_a_plain_ordered_list(client, language):
    response = client.get(PAGES[language])
    assert response.status_code == 200
    shown = _without_templates(response)
    page = GuidePage.objects.get(key="questions-to-ask")
    with translation.override(language):
        expected = [(q.key, words(q.text)) for q in page.questions.published()]
    assert len(expected) == 14
    listed = shown.find(data_testid="questions")
    assert listed.tag == "ol" and "questions" in listed.classes
    items = listed.find_all("li")
    assert all("questions__item" in item.classes for item in items)
    assert [(item.get("data-key"), item.text) for item in items] == expected
    assert not listed.has("input") and not listed.has("button")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_add_form_is_not_in_the_page_without_javascript(client, language):
    shown = _without_templates(client.get(PAGES[language]))
    assert "checklist" not in shown.text
    values = [value for e in shown.iter() for value in e.attrs.values()]
    values.remove("/static/js/checklist.js")
    assert not any("checklist" in value for value in values)
    assert not shown.has("input", type="checkbox")
    # Only the site's own forms (search in the header, "Was this page helpful?").
    assert len(shown.find_all("form")) == 2


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("en", ["Add your own question", "Print my questions", "Clear my list",
                "Remove", "It is never sent to us.",
                "Write a question before you add it."]),
        ("fr", ["Ajouter votre propre question", "Imprimer mes questions",
                "Effacer ma liste", "Retirer", "Elle ne nous est jamais envoyée.",
                "Écrivez une question avant de l'ajouter."]),
    ],
)  # fmt: skip
def test_the_checklist_words_come_in_the_reader_language(client, language, phrases):
    template = _template(client.get(PAGES[language]))
    # What the script shows: the template's text and the messages it announces.
    said = [template.text] + [
        value for e in [template, *template.iter()] for value in e.attrs.values()
    ]
    missing = [w for w in phrases if not any(w in text for text in said)]
    assert not missing
    # One list for every language: a family switching language keeps its ticks.
    assert template.get("data-storage-key") == "neuroinfo:questions"
    for name in ("added", "removed", "cleared", "empty", "nothing", "confirm-clear",
                 "unsaved"):  # fmt: skip
        assert template.get(f"data-{name}"), name
    if language == "fr":
        assert not any("Print my questions" in text for text in said)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_add_form_sends_nothing_even_if_submitted(client, language):
    template = _template(client.get(PAGES[language]))
    form = template.find("form")
    assert form.get("action") is None and form.get("method") is None
    fields = template.find_all("input")
    assert fields
    for field in fields:
        assert field.get("name") is None  # a field without a name is never submitted


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_checklist_script_is_loaded_on_the_questions_page_only(client, language):
    page = parse(client.get(PAGES[language]))
    assert page.has("script", src="/static/js/checklist.js", defer=True)
    other = {"en": "/en/follow-up-care/", "fr": "/fr/suivi/"}[language]
    for path in (other, f"/{language}/"):
        page = parse(client.get(path))
        scripts = [script.get("src") for script in page.find_all("script")]
        assert "/static/js/checklist.js" not in scripts and not page.has("template")


def test_draft_questions_are_not_listed(client):
    Question.objects.filter(key="q-clinical-trial").update(status="draft")
    for path in PAGES.values():
        assert not parse(client.get(path)).has(data_key="q-clinical-trial")
