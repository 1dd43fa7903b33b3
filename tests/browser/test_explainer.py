"""The response explainer in a real browser: filled in by keyboard alone and read, with
JavaScript on and off, in both languages; its problems list leads to each field; every
state of the page (empty, an answer, "cannot tell yet", problems) passes axe."""

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import describe_axe, run_axe

pytestmark = pytest.mark.browser

EXPLAINER = {
    "en": "/en/response-to-treatment/explainer/",
    "fr": "/fr/reponse-au-traitement/explication/",
}
CANNOT_TELL = {
    "en": "Cannot tell yet: some findings are missing",
    "fr": "Impossible de le dire pour l'instant\u00a0: il manque des résultats",
}
MATCH = {
    "en": "The findings you entered match: ",
    "fr": "Les résultats que vous avez entrés correspondent à\u00a0: ",
}


def tab_to(page, name: str) -> None:
    """Press Tab until the control named ``name`` has focus (a radio group is one stop)."""
    for _press in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == name:
            return
    raise AssertionError(f"Tab never reached {name}")


def fill_by_keyboard(page, percent: str, primary: str) -> None:
    """Answer as a keyboard user: arrows choose in a radio group (each starts at "Not
    known", the last choice), typing fills a number; Enter sends."""
    tab_to(page, "new_spots")
    page.keyboard.press("ArrowUp")  # Not known -> No
    tab_to(page, "size_change")
    page.keyboard.press("ArrowDown")  # Not known -> Smaller (wraps to the first)
    tab_to(page, "size_percent")
    page.keyboard.type(percent)
    tab_to(page, "primary_mm")
    page.keyboard.type(primary)
    tab_to(page, "nodes_mm")
    page.keyboard.type("8")
    tab_to(page, "scan_clear")
    page.keyboard.press("ArrowDown")  # Not known -> Yes (wraps to the first)
    tab_to(page, "marrow_clear")
    page.keyboard.press("ArrowDown")  # Not known -> Yes
    tab_to(page, "marrow_new_cells")
    page.keyboard.press("ArrowUp")  # Not known -> No
    send(page)


def send(page) -> None:
    """Tab to the form's button and press Enter; wait for the answer's page."""
    for _press in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")


def answer_heading(page) -> str:
    """The answer's heading as read, its lines joined (the category has a line of its
    own), non-breaking spaces kept."""
    page.wait_for_selector("#explainer-answer-title")
    text = page.locator("#explainer-answer-title").inner_text()
    return re.sub(r"[ \t]*\n\s*", " ", text).strip()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "percent", "primary", "category"),
    [
        ("en", "90", "9.5", "Complete response"),
        ("fr", "90", "9,5", "Réponse complète"),  # the French decimal comma
    ],
)
def test_filled_by_keyboard_with_javascript_on(
    page, live_server, content, problems, language, percent, primary, category
):
    page.goto(live_server.url + EXPLAINER[language])
    fill_by_keyboard(page, percent, primary)
    assert answer_heading(page) == MATCH[language] + category
    assert page.locator(".verdict--met").count() >= 4
    # The answers are kept in the form, ready to change.
    assert page.locator("#primary_mm").input_value() == primary
    assert page.locator("#scan_clear_0").is_checked()
    problems.assert_none()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "primary", "category"),
    [("en", "12", "Partial response"), ("fr", "12,5", "Réponse partielle")],
)
def test_filled_by_keyboard_with_javascript_off(
    browser, live_server, content, language, primary, category
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + EXPLAINER[language])
        # 40 % smaller and a primary tumour of 12 mm (not a complete response), with
        # the scan score not known: a partial response cannot be told yet.
        fill_by_keyboard(page, "40", primary)
        assert answer_heading(page) == CANNOT_TELL[language]
        # The answers came back in the form: add the score and change the scan.
        tab_to(page, "score_change")
        page.keyboard.press("ArrowDown")  # Not known -> Lower
        tab_to(page, "score_percent")
        page.keyboard.type("60")
        tab_to(page, "scan_clear")
        page.keyboard.press("ArrowDown")  # Yes -> No
        send(page)
        assert "score_percent=60" in page.url
        assert answer_heading(page) == MATCH[language] + category
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_problems_list_takes_focus_and_leads_to_each_field(
    page, live_server, content, problems, language
):
    query = urlencode({"primary_mm": "-1", "new_spots": "yes", "scan_clear": "yes"})
    page.goto(f"{live_server.url}{EXPLAINER[language]}?{query}")
    assert page.evaluate("document.activeElement.dataset.testid") == "explainer-errors"
    assert page.locator("#explainer-answer-title").count() == 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hash") == "#primary_mm"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "primary_mm"
    # The question stays in view above its field.
    expect(page.locator("label[for=primary_mm]")).to_be_in_viewport(ratio=1)
    page.keyboard.type("8")  # focus is in the field: the reader can correct it
    problems.assert_none()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False])
def test_every_state_of_the_explainer_passes_axe(
    browser, live_server, content, javascript
):
    states = {
        "form": {},
        "answer": {"new_spots": "yes"},
        "cannot tell": {"new_spots": "no"},
        "problems": {
            "size_percent": "abc",
            "size_before": "-3",
            "size_after": "2",
            "marrow_clear": "yes",
            "marrow_new_cells": "yes",
        },
    }
    context = browser.new_context()
    if not javascript:
        context.route("**/*.js", lambda route: route.abort())
    found = []
    try:
        page = context.new_page()
        for url in EXPLAINER.values():
            for state, query in states.items():
                address = f"{url}?{urlencode(query)}" if query else url
                response = page.goto(live_server.url + address)
                assert response.status == 200, address
                violations = run_axe(page)
                if violations:
                    found.append(f"[{state}] " + describe_axe(address, violations))
    finally:
        context.close()
    assert found == [], "axe found WCAG violations:\n" + "\n".join(found)
