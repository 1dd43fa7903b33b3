"""Printouts worth keeping, as the server sends them, in English and French: the
printed guide says each summary once and leads back to the guide; the questions page
keys its questions the same in both languages and carries, for paper, a line for the
child's name, the date and the care team member, space for each answer and the
site's name and address."""

import re

import pytest
from django.utils import translation

from neuroinfo.guide import sequence
from neuroinfo.links import ref_of
from neuroinfo.models import GuidePage, Treatment
from neuroinfo.printable import repeats_summary
from neuroinfo.text import fold
from tests.dom import parse

pytestmark = pytest.mark.django_db

PRINT = {"en": "/en/guide/print/", "fr": "/fr/guide/imprimer/"}
QUESTIONS = {"en": "/en/questions-to-ask/", "fr": "/fr/questions-a-poser/"}
HOME = {"en": "http://testserver/en/", "fr": "http://testserver/fr/"}
LANGUAGES = list(PRINT)
NBSP = "\u00a0"


def _said(text: str) -> str:
    """Text as words a reader hears: no case, accents, punctuation or spacing."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


def _first_sentence(text: str) -> str:
    return _said(re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0])


def _printed_pages(response) -> dict:
    """Each printed page of the guide (not the sources) by its anchor."""
    sections = parse(response).find_all("section", class_="print-page")
    return {s.find("h2").get("id"): s for s in sections if "sources" not in s.classes}


def _opening(section) -> tuple[str, str]:
    """A printed page's summary ("" when not printed) and its body's text."""
    summary = section.one_or_none("p", class_="print-page__summary")
    body = section.find("div", class_="print-page__body")
    return (summary.text if summary else ""), body.text


# --- the printed guide ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_printed_page_says_its_summary_twice(client, language):
    """Every page of the guide: its summary opens it once, as the summary or as the
    body's first words, and is never followed by its own first sentence again."""
    with translation.override(language):
        items = [(ref_of(i).replace(":", "-"), i.summary_display) for i in sequence()]
    printed = _printed_pages(client.get(PRINT[language]))
    assert len(items) >= 17 and set(printed) == {anchor for anchor, _s in items}
    shown_apart = 0
    for anchor, summary in items:
        shown, body = _opening(printed[anchor])
        if not summary:
            assert not shown, anchor
            continue
        opening = _said(f"{shown} {body}")
        assert opening.startswith(_said(summary)), anchor  # said, at the top
        after = opening.removeprefix(_said(summary)).strip()
        assert not after.startswith(_first_sentence(summary)), anchor  # and once
        shown_apart += bool(shown)
        if shown:
            assert _first_sentence(body) != _first_sentence(summary), anchor
    # The summary keeps its own place wherever the body does not open with it.
    assert shown_apart >= len(items) - 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_body_that_opens_with_its_summary_prints_it_once(client, language):
    surgery = Treatment.objects.get(key="surgery")
    with translation.override(language):
        summary = surgery.summary_display
        body = surgery.body_html
    # The summary again as the body's first sentence, with a link in it and another
    # case: as a writer might paste it.
    first, rest = summary.split(" ", 1)
    opening = f'<p><a href="/{language}/">{first.upper()}</a> {rest} More words.</p>'
    Treatment.objects.filter(pk=surgery.pk).update(
        **{f"body_html_{language}": opening + body}
    )
    section = _printed_pages(client.get(PRINT[language]))["treatment-surgery"]
    shown, text = _opening(section)
    assert shown == ""  # the body says it
    assert _said(text).startswith(_said(summary) + " more words")
    assert _said(section.text).count(_said(summary)) == 1
    # Another page keeps its summary above its body.
    chemo = _printed_pages(client.get(PRINT[language]))["treatment-chemotherapy"]
    assert _opening(chemo)[0]


@pytest.mark.parametrize(
    ("summary", "body", "repeated"),
    [
        ("Medicines that kill cancer cells.", "<p>Medicines that kill cancer cells.</p>", True),
        ("Medicines that kill cancer cells.", "<p>Medicines that <a href='x'>kill</a> cancer cells. More.</p>", True),
        ("Medicines that kill cancer cells. More follows.", "<p>medicines that kill cancer cells! Other.</p>", True),
        (f"Des médicaments qui tuent les cellules{NBSP}: l’essentiel.",
         "<p>Des medicaments qui tuent les cellules : l'essentiel. Suite.</p>", True),
        ("Medicines that kill cancer cells.", "<h2>Medicines</h2><p>Medicines that kill cancer cells.</p>", False),
        ("Medicines that kill cancer cells.", "<p>How medicines kill cancer cells.</p>", False),
        ("Medicine", "<p>Medicines that kill cancer cells.</p>", False),
        ("", "<p>Medicines.</p>", False),
        ("Medicines.", "", False),
    ],
)  # fmt: skip
def test_a_summary_is_repeated_when_the_body_opens_with_it(summary, body, repeated):
    assert repeats_summary(summary, body) is repeated


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_guide_leads_back_to_the_guide(client, language):
    main = parse(client.get(PRINT[language])).find("main")
    back = main.find("a", data_testid="back-to-guide")
    assert back.get("href") == HOME[language]
    assert back.text == {"en": "Back to the guide", "fr": "Retour au guide"}[language]
    assert "print-back" in back.parent.classes  # hidden in print by tools.css
    # First in the page, before the cover.
    assert main.find().get("class") == "print-back"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_guide_lists_questions_without_space_for_answers(client, language):
    printed = _printed_pages(client.get(PRINT[language]))["page-questions-to-ask"]
    assert len(printed.find_all("li", class_="questions__item")) == 14
    assert not printed.has(data_testid="answer-space")


# --- the questions page ---------------------------------------------------------------


def _questions(language: str, client):
    return parse(client.get(QUESTIONS[language])).find(data_testid="questions")


def test_each_question_has_the_same_key_in_english_and_french(client):
    page = GuidePage.objects.get(key="questions-to-ask")
    stored = [q.key for q in page.questions.published()]
    keys = {
        language: [
            li.get("data-key") for li in _questions(language, client).find_all("li")
        ]
        for language in LANGUAGES
    }
    assert keys["en"] == keys["fr"] == stored
    assert len(set(stored)) == len(stored) == 14
    with translation.override("fr"):  # the French words, under the same keys
        french = {
            li.get("data-key"): li.text
            for li in _questions("fr", client).find_all("li")
        }
    assert (
        french["q-clinical-trial"]
        == "Un essai clinique est-il une option pour mon enfant?"
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", {"name": "Child's name:", "date": "Date:", "team": "Care team member:",
                "answer": "Answer:", "site": "Treatments for neuroblastoma",
                "online": "Read it online:"}),
        ("fr", {"name": f"Nom de l’enfant{NBSP}:", "date": f"Date{NBSP}:",
                "team": f"Membre de l’équipe de soins{NBSP}:", "answer": f"Réponse{NBSP}:",
                "site": "Traitements du neuroblastome", "online": f"À lire en ligne{NBSP}:"}),
    ],
)  # fmt: skip
def test_the_questions_page_carries_a_sheet_to_write_on(client, language, words):
    page = parse(client.get(QUESTIONS[language]))
    main = page.find("main")
    sheet = main.find(data_testid="question-sheet")
    for field in ("name", "date", "team"):
        assert sheet.find(data_testid=f"sheet-{field}").text_with_nbsp == words[field]
    listed = main.find(data_testid="questions")
    items = listed.find_all("li")
    assert len(items) == 14
    for item in items:  # the question's words, then the space for its answer
        said, answer = [part for part in item.children if not isinstance(part, str)]
        assert "questions__text" in said.classes and said.text
        assert answer.get("data-testid") == "answer-space"
        assert answer.get("data-label") == words["answer"] and not answer.text
    site = main.find(data_testid="sheet-site")
    assert site.text_with_nbsp == f"{words['site']} {words['online']} {HOME[language]}"
    # Above the list and below it, in the page's order.
    assert sheet < listed < site
    # A family's own question gets the same space, from the checklist's template.
    part = page.find("template").find(data_part="answer")
    assert part.get("data-label") == words["answer"]
