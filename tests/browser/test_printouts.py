"""The printouts in a real browser with print media, at a phone's and a desktop's
width, in English and French: "Print my questions" prints the ticked questions as a
sheet to write on (and, with JavaScript off, every question); ticks follow the
reader to the other language; the printed guide shows where its links lead, has a
way back on screen only and numbered pages. Each printout is also printed to PDF."""

import json

import pytest
from django.utils import translation
from playwright.sync_api import expect

from neuroinfo.models import GuidePage
from tests.browser.pdf import pdf_pages, squeezed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = {"en": "/en/questions-to-ask/", "fr": "/fr/questions-a-poser/"}
PRINT = {"en": "/en/guide/print/", "fr": "/fr/guide/imprimer/"}
OTHER = {"en": "fr", "fr": "en"}
WIDTHS = [360, 1280]
TICKED = ["q-side-effects", "q-clinical-trial"]
NOT_TICKED = "q-fever-rule"
STORAGE = "neuroinfo:questions"
NBSP = "\u00a0"
WORDS = {
    "en": {
        "print": "Print my questions",
        "name": "Child's name:",
        "date": "Date:",
        "team": "Care team member:",
        "answer": "Answer:",
        "site": "Treatments for neuroblastoma",
        "back": "Back to the guide",
        "own": "Can we meet the nurse before each visit?",
    },
    "fr": {
        "print": "Imprimer mes questions",
        "name": f"Nom de l’enfant{NBSP}:",
        "date": f"Date{NBSP}:",
        "team": f"Membre de l’équipe de soins{NBSP}:",
        "answer": f"Réponse{NBSP}:",
        "site": "Traitements du neuroblastome",
        "back": "Retour au guide",
        "own": "Pouvons-nous voir l'infirmière avant chaque visite?",
    },
}
# window.print opens a dialog Playwright cannot drive: count the calls instead.
STUB_PRINT = "window.__printed = 0; window.print = () => { window.__printed += 1; };"
# Everything on the questions page a printed sheet leaves out.
NOT_ON_THE_SHEET = [
    ".site-header",
    ".site-footer",
    ".skip-link",
    "[data-testid=breadcrumbs]",
    "main .prose",
    "main [data-testid=key-points]",
    "main [data-testid=feedback]",
    "main [data-testid=sources]",
]


def question_texts(language: str) -> dict[str, str]:
    page = GuidePage.objects.get(key="questions-to-ask")
    with translation.override(language):
        return {q.key: q.text for q in page.questions.published()}


def pseudo(page, selector: str, which: str, prop: str) -> str:
    return page.evaluate(
        "([s, w, p]) => getComputedStyle(document.querySelector(s), w)[p]",
        [selector, which, prop],
    )


def expect_sheet(page, language: str, site: str) -> None:
    """The sheet's lines and the site's name and address are printed; the rest is not."""
    words = WORDS[language]
    for field in ("name", "date", "team"):
        line = page.get_by_test_id(f"sheet-{field}")
        expect(line).to_be_visible()
        expect(line).to_have_text(words[field])
        assert pseudo(
            page, f"[data-testid=sheet-{field}]", "", "borderBottomStyle"
        ) == ("solid")
    address = page.get_by_test_id("sheet-site")
    expect(address).to_be_visible()
    expect(address).to_contain_text(words["site"])
    expect(address).to_contain_text(site)
    expect(page.locator("main h1")).to_be_visible()
    for selector in NOT_ON_THE_SHEET:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    # Nothing runs off the paper's width.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def expect_answer_space(page, language: str, key: str) -> None:
    """Three ruled lines under the question, the first starting with "Answer:"."""
    item = page.locator(f'main ol.questions li[data-key="{key}"]')
    space = item.get_by_test_id("answer-space")
    expect(space).to_be_visible()
    box, row = space.bounding_box(), item.bounding_box()
    assert box["height"] >= 60 and box["width"] >= 0.8 * row["width"] - 40, box
    at = f'main li[data-key="{key}"] [data-testid=answer-space]'
    assert pseudo(page, at, "::before", "content") == f'"{WORDS[language]["answer"]}"'
    for which in ("", "::before", "::after"):
        assert pseudo(page, at, which, "borderBottomStyle") == "solid", which


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_print_my_questions_prints_the_ticked_ones_on_a_sheet(
    page, live_server, content, problems, language, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.add_init_script(STUB_PRINT)
    page.goto(live_server.url + QUESTIONS[language])
    # On screen, the sheet's parts are not shown.
    for testid in ("question-sheet", "sheet-site", "answer-space"):
        expect(page.locator(f"[data-testid={testid}]:visible")).to_have_count(0)
    for key in TICKED:
        page.locator(f'label[for="checklist-{key}"]').click()
    page.get_by_role("button", name=WORDS[language]["print"]).click()
    assert page.evaluate("window.__printed") == 1

    page.emulate_media(media="print")
    expect(page.locator("main ol.questions li:visible")).to_have_count(len(TICKED))
    texts = question_texts(language)
    for key in TICKED:
        expect(page.locator(f'li[data-key="{key}"]')).to_contain_text(texts[key])
        expect_answer_space(page, language, key)
    expect(page.locator(f'li[data-key="{NOT_TICKED}"]')).to_be_hidden()
    expect(page.locator("main ol.questions input:visible")).to_have_count(0)
    for hidden in (".checklist__actions", ".checklist__add", ".checklist__privacy"):
        expect(page.locator(hidden)).to_be_hidden()
    expect_sheet(page, language, f"{live_server.url}/{language}/")
    problems.assert_none()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_without_javascript_every_question_prints_on_the_sheet(
    browser, live_server, content, language, width
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + QUESTIONS[language])
        expect(page.locator("main ol.questions li:visible")).to_have_count(14)
        expect(page.get_by_test_id("question-sheet")).to_be_hidden()
        page.emulate_media(media="print")
        expect(page.locator("main ol.questions li:visible")).to_have_count(14)
        for key in question_texts(language):
            expect_answer_space(page, language, key)
        expect_sheet(page, language, f"{live_server.url}/{language}/")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_ticks_follow_the_reader_to_the_other_language(
    page, live_server, content, problems, language, width
):
    other = OTHER[language]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + QUESTIONS[language])
    for key in TICKED:
        page.locator(f'label[for="checklist-{key}"]').click()
    page.locator("#checklist-new").fill(WORDS[language]["own"])
    page.locator("#checklist-new").press("Enter")
    own = page.locator("main ol.questions li.questions__item--own")
    expect(own).to_have_count(1)

    page.get_by_test_id("language-switch").click()
    page.wait_for_url(live_server.url + QUESTIONS[other])
    assert page.evaluate("document.documentElement.lang") == other
    for key in TICKED:
        expect(page.locator(f"#checklist-{key}")).to_be_checked()
    expect(page.locator("main ol.questions input:checked")).to_have_count(3)
    # The family's own question, in the words and language they wrote it in.
    expect(own).to_have_count(1)
    expect(own.locator("label")).to_have_text(WORDS[language]["own"])
    assert own.get_attribute("lang") == language
    expect(own.locator("[data-part=answer]")).to_have_attribute(
        "data-label", WORDS[other]["answer"]
    )
    # Untick one here: it is unticked back in the first language too.
    page.locator(f'label[for="checklist-{TICKED[0]}"]').click()
    page.get_by_test_id("language-switch").click()
    page.wait_for_url(live_server.url + QUESTIONS[language])
    expect(page.locator(f"#checklist-{TICKED[0]}")).not_to_be_checked()
    expect(page.locator(f"#checklist-{TICKED[1]}")).to_be_checked()
    assert own.get_attribute("lang") is None  # the page's own language
    kept = page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('neuroinfo:'))"
    )
    assert kept == [STORAGE]
    problems.assert_none()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_lists_kept_per_language_before_are_merged_into_one(
    page, live_server, content, problems, language
):
    url = live_server.url + QUESTIONS[language]
    page.goto(url)
    earlier = {
        "en": {"ticked": ["q-fever-rule"], "own": [{"key": "own-a", "text": "Mine?"}]},
        "fr": {"ticked": ["q-late-effects", "q-fever-rule"]},
    }
    for code, saved in earlier.items():
        page.evaluate(
            "([k, v]) => localStorage.setItem(k, v)",
            [f"{STORAGE}:{code}", json.dumps(saved)],
        )
    page.reload()
    for key in ("q-fever-rule", "q-late-effects"):
        expect(page.locator(f"#checklist-{key}")).to_be_checked()
    own = page.locator("main ol.questions li.questions__item--own")
    expect(own.locator("label")).to_have_text("Mine?")
    assert own.get_attribute("lang") == (None if language == "en" else "en")
    kept = page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage)"
        ".filter((k) => k.startsWith('neuroinfo:'))"
        ".map((k) => [k, JSON.parse(localStorage.getItem(k))]))"
    )
    assert list(kept) == [STORAGE]
    assert sorted(kept[STORAGE]["ticked"]) == ["q-fever-rule", "q-late-effects"]
    assert kept[STORAGE]["own"] == [{"key": "own-a", "text": "Mine?", "lang": "en"}]
    problems.assert_none()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_printed_guide_on_screen_and_on_paper(
    page, live_server, content, problems, language, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + PRINT[language])
    back = page.get_by_test_id("back-to-guide")
    expect(back).to_be_visible()
    expect(back).to_be_in_viewport()
    expect(back).to_have_text(WORDS[language]["back"])
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )

    page.emulate_media(media="print")
    expect(back).to_be_hidden()
    # Each link in the pages of the guide is followed by its address.
    shown = page.evaluate(
        """() => [...document.querySelectorAll(".print-page:not(.sources) a[href^='http']")]
            .map((a) => [a.getAttribute("href"), getComputedStyle(a, "::after").content])"""
    )
    assert len(shown) >= 20
    missing = [(href, after) for href, after in shown if href not in after]
    assert missing == []
    assert any(href.startswith(live_server.url) for href, _after in shown)
    # Page numbers in the bottom margin of every sheet.
    margins = page.evaluate(
        """() => [...document.styleSheets]
            .flatMap((sheet) => [...sheet.cssRules])
            .flatMap((rule) => rule instanceof CSSMediaRule ? [...rule.cssRules] : [rule])
            .filter((rule) => rule instanceof CSSPageRule)
            .flatMap((rule) => [...rule.cssRules])
            .map((margin) => [margin.name, margin.style.content])"""
    )
    assert ["bottom-right", 'counter(page) " / " counter(pages)'] in margins
    problems.assert_none()


def _numbered(pages: list[str]) -> bool:
    """Whether each page of a PDF carries its number out of the total."""
    total = len(pages)
    return all(
        f"{n}/{total}" in squeezed(text) for n, text in enumerate(pages, start=1)
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_printout_prints_to_pdf(browser, page, live_server, content, language):
    words, texts = WORDS[language], question_texts(language)
    site = f"{live_server.url}/{language}/"

    # The ticked questions, from "Print my questions".
    page.add_init_script(STUB_PRINT)
    page.goto(live_server.url + QUESTIONS[language])
    for key in TICKED:
        page.locator(f'label[for="checklist-{key}"]').click()
    page.get_by_role("button", name=words["print"]).click()
    pages = pdf_pages(page.pdf())
    assert len(pages) >= 1 and _numbered(pages)
    said = squeezed(" ".join(pages))
    for key in TICKED:
        assert squeezed(texts[key]) in said
    assert squeezed(texts[NOT_TICKED]) not in said
    assert said.count(squeezed(words["answer"])) == len(TICKED)
    for part in ("name", "date", "team", "site"):
        assert squeezed(words[part]) in said, part
    assert site in said

    # Every question, with JavaScript off.
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(live_server.url + QUESTIONS[language])
        pages = pdf_pages(plain.pdf())
    finally:
        context.close()
    assert len(pages) >= 2 and _numbered(pages)
    said = squeezed(" ".join(pages))
    assert all(squeezed(text) in said for text in texts.values())
    assert said.count(squeezed(words["answer"])) == len(texts)

    # The whole guide: every page of it on its own sheets, its links' addresses.
    page.goto(live_server.url + PRINT[language])
    sections = page.locator("section.print-page").count()
    pages = pdf_pages(page.pdf())
    assert len(pages) >= sections >= 17 and _numbered(pages)
    said = squeezed(" ".join(pages))
    age = {"en": "/en/risk-factors/age/", "fr": "/fr/facteurs-pris-en-compte/age/"}
    assert f"({live_server.url}{age[language]})" in said
    assert squeezed(words["back"]) not in said
