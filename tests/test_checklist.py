"""The questions checklist as the server sends it: a plain printable list without
JavaScript, the checklist's words in the reader's language, nothing to send."""

import html
import re

import pytest
from django.utils import translation

from neuroinfo.models import GuidePage, Question
from tests.helpers import region

pytestmark = pytest.mark.django_db

PAGES = {"en": "/en/questions-to-ask/", "fr": "/fr/questions-a-poser/"}
LANGUAGES = list(PAGES)


def _without_templates(content: str) -> str:
    """The page as a browser without JavaScript shows it: <template> content is inert."""
    return re.sub(r"<template\b.*?</template>", "", content, flags=re.S)


def _template(content: str) -> str:
    return re.search(r"<template\b.*?</template>", content, flags=re.S).group(0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_javascript_the_questions_are_a_plain_ordered_list(client, language):
    response = client.get(PAGES[language])
    assert response.status_code == 200
    shown = _without_templates(response.content.decode())
    page = GuidePage.objects.get(key="questions-to-ask")
    with translation.override(language):
        expected = [
            (q.key, html.escape(q.text).replace("'", "&#x27;"))
            for q in page.questions.published()
        ]
    assert len(expected) == 14
    listed = region(shown, "questions")
    assert listed.startswith('<ol class="questions" data-testid="questions">')
    items = re.findall(
        r'<li class="questions__item" data-key="([^"]+)">([^<]*)</li>', listed
    )
    assert [(key, text.replace("\u00a0", " ")) for key, text in items] == expected
    assert "<input" not in listed and "<button" not in listed


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_add_form_is_not_in_the_page_without_javascript(client, language):
    shown = _without_templates(client.get(PAGES[language]).content.decode())
    assert "checklist" not in shown.replace("js/checklist.js", "")
    assert 'type="checkbox"' not in shown
    forms = re.findall(r"<form\b[^>]*>", shown)
    # Only the site's own forms (search in the header, "Was this page helpful?").
    assert all("checklist" not in form for form in forms)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Add your own question", "Print my questions", "Clear my list",
                "Remove", "It is never sent to us.",
                "Write a question before you add it."]),
        ("fr", ["Ajouter votre propre question", "Imprimer mes questions",
                "Effacer ma liste", "Retirer", "Elle ne nous est jamais envoyée.",
                "Écrivez une question avant de l'ajouter."]),
    ],
)  # fmt: skip
def test_the_checklist_words_come_in_the_reader_language(client, language, words):
    template = html.unescape(_template(client.get(PAGES[language]).content.decode()))
    missing = [w for w in words if w not in template]
    assert not missing
    assert f'data-storage-key="neuroinfo:questions:{language}"' in template
    for name in ("added", "removed", "cleared", "empty", "nothing", "confirm-clear",
                 "unsaved"):  # fmt: skip
        assert re.search(rf'data-{name}="[^"]+"', template), name
    if language == "fr":
        assert "Print my questions" not in template


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_add_form_sends_nothing_even_if_submitted(client, language):
    template = _template(client.get(PAGES[language]).content.decode())
    form = re.search(r"<form\b[^>]*>", template).group(0)
    assert "action=" not in form and "method=" not in form
    for field in re.findall(r"<input\b[^>]*>", template):
        assert "name=" not in field  # a field without a name is never submitted


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_checklist_script_is_loaded_on_the_questions_page_only(client, language):
    script = '<script src="/static/js/checklist.js" defer></script>'
    assert script in client.get(PAGES[language]).content.decode()
    other = {"en": "/en/follow-up-care/", "fr": "/fr/suivi/"}[language]
    for path in (other, f"/{language}/"):
        content = client.get(path).content.decode()
        assert "js/checklist.js" not in content and "<template" not in content


def test_draft_questions_are_not_listed(client):
    Question.objects.filter(key="q-clinical-trial").update(status="draft")
    for path in PAGES.values():
        assert 'data-key="q-clinical-trial"' not in client.get(path).content.decode()
