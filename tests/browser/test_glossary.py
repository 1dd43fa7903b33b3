"""Glossary terms in a real browser: a term shows its definition in place on click, tap
or keyboard, screen readers hear its state, Escape closes it; without JavaScript the
term is a link to the glossary entry. In English and French, under the strict CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import describe_axe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RETINOIDS = {
    "en": {
        "path": "/en/treatments/retinoids-and-immunotherapy/",
        "word": "Retinoids",
        "definition": "A prescription medicine: only a doctor can order it.",
        "more": "See in glossary",
        "glossary": "/en/glossary/#retinoid",
        "entry": "Retinoid",
    },
    "fr": {
        "path": "/fr/traitements/retinoides-et-immunotherapie/",
        "word": "rétinoïdes",
        "definition": "seul un médecin peut le prescrire.",
        "more": "Voir dans le glossaire",
        "glossary": "/fr/glossaire/#retinoide",
        "entry": "Rétinoïde",
    },
}


def term_button(page, key: str = "retinoid"):
    return page.locator(f'main button.term[data-term="{key}"]').first


def definition_of(page, button):
    return page.locator(f"#{button.get_attribute('aria-controls')}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_clicking_a_term_shows_its_definition_in_place(
    page, live_server, content, problems, language
):
    expected = RETINOIDS[language]
    page.goto(live_server.url + expected["path"])
    button = term_button(page)
    expect(button).to_have_text(expected["word"])
    expect(button).to_have_attribute("type", "button")
    expect(button).to_have_attribute("aria-expanded", "false")
    definition = definition_of(page, button)
    expect(definition).to_be_hidden()
    # No link left for the term in the text: it is a button now (the definitions
    # may still link to it).
    assert (
        page.evaluate(
            """() => [...document.querySelectorAll("main a.term")].filter(
          (a) => !a.closest(".term-definitions, .term-definition")).length"""
        )
        == 0
    )

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(definition).to_be_visible()
    expect(definition).to_contain_text(expected["definition"])
    more = definition.get_by_role("link", name=expected["more"])
    expect(more).to_have_attribute("href", expected["glossary"])
    # The definition comes right after its term, for screen readers too.
    assert button.evaluate(
        "b => b.nextElementSibling === document.getElementById("
        "b.getAttribute('aria-controls'))"
    )
    assert definition.evaluate(
        "d => d.closest('p') !== null"
    )  # inline, in its paragraph
    expect(
        page.get_by_role("button", name=expected["word"], expanded=True)
    ).to_have_count(1)

    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(definition).to_be_hidden()
    problems.assert_none()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_keyboard_opens_and_closes_a_term(
    page, live_server, content, problems, language
):
    expected = RETINOIDS[language]
    page.goto(live_server.url + expected["path"])
    button = term_button(page)
    definition = definition_of(page, button)
    for _ in range(60):  # Tab from the top of the page to the term
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the term")
    expect(button).to_be_focused()

    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(definition).to_be_visible()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(definition).to_be_hidden()

    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(definition).to_be_visible()
    # The next Tab goes into the definition: its links come before the rest of the page.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "id => document.getElementById(id).contains(document.activeElement)",
        button.get_attribute("aria-controls"),
    )
    page.keyboard.press("Escape")
    expect(definition).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()

    # Escape also closes a definition opened by pointer while focus is elsewhere.
    button.click()
    page.locator("h1").click()
    page.keyboard.press("Escape")
    expect(definition).to_be_hidden()
    problems.assert_none()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_without_javascript_a_term_is_a_link_to_its_glossary_entry(
    browser, live_server, content, language
):
    expected = RETINOIDS[language]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + expected["path"])
        expect(page.locator("main button.term")).to_have_count(0)
        link = page.locator('main a.term[data-term="retinoid"]').first
        expect(link).to_have_text(expected["word"])
        expect(link).to_have_attribute("href", expected["glossary"])
        expect(page.get_by_test_id("term-definitions")).to_be_hidden()
        link.click()
        expect(page).to_have_url(live_server.url + expected["glossary"])
        anchor = expected["glossary"].split("#")[1]
        entry = page.locator(f"dt#{anchor}")
        expect(entry).to_have_text(expected["entry"])
        expect(entry).to_be_in_viewport()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/en/treatments/retinoids-and-immunotherapy/", "retinoid"),
        ("/fr/traitements/retinoides-et-immunotherapie/", "retinoid"),
        ("/en/response-to-treatment/", "mibg-scan"),
        ("/fr/reponse-au-traitement/", "mibg-scan"),
    ],
)
def test_an_open_definition_passes_axe_and_fits_a_small_screen(
    page, live_server, content, problems, path, key
):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + path)
    buttons = page.locator("main button.term")
    assert buttons.count() >= 3
    button = term_button(page, key)
    violations = run_axe(page)  # every term closed
    assert violations == [], describe_axe(path, violations)
    button.click()
    definition = definition_of(page, button)
    expect(definition).to_be_visible()
    violations = run_axe(page)
    assert violations == [], describe_axe(path, violations)
    wider = page.evaluate(
        """() => [...document.querySelectorAll("main *")]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((e) => `${e.tagName}.${e.className}`)"""
    )
    assert wider == [], f"wider than 320 px: {wider}"
    box = definition.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    problems.assert_none()


def test_a_french_definition_in_english_says_so(page, live_server, content, problems):
    from neuroinfo.models import GlossaryTerm

    GlossaryTerm.objects.filter(key="retinoid").update(body_fr="", body_html_fr="")
    page.goto(live_server.url + RETINOIDS["fr"]["path"])
    button = term_button(page)
    button.click()
    definition = definition_of(page, button)
    expect(definition.get_by_test_id("translation-notice")).to_have_count(0)
    notice = definition.locator(".notice")
    expect(notice).to_contain_text("pas encore traduite")
    english = definition.locator('[lang="en"]')
    expect(english).to_contain_text(RETINOIDS["en"]["definition"])
    violations = run_axe(page)
    assert violations == [], describe_axe(RETINOIDS["fr"]["path"], violations)
    problems.assert_none()


@pytest.mark.parametrize("path", ["/en/glossary/", "/fr/glossaire/"])
def test_the_glossary_index_leads_to_each_letter(
    page, live_server, content, problems, path
):
    page.goto(live_server.url + path)
    index = page.get_by_test_id("glossary-index")
    links = index.get_by_role("link")
    assert links.count() >= 8
    expect(index.get_by_role("link", name="A", exact=True)).to_have_count(0)  # no term
    letter = index.get_by_role("link", name="T", exact=True)
    letter.click()
    expect(page).to_have_url(re.compile(r"#letter-t$"))
    expect(page.locator("#letter-t")).to_be_in_viewport()
    expect(page.locator("main button.term")).to_have_count(0)
    violations = run_axe(page)
    assert violations == [], describe_axe(path, violations)
    problems.assert_none()
