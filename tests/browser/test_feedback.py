""" "Was this page helpful?" in a real browser, in both languages: with JavaScript the
answer is given without leaving the page; without it, the same two steps work as
ordinary pages. No CSP violation, no console error, and axe finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import BrowserProblems, describe_axe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}
FEEDBACK = {"en": "/en/feedback/", "fr": "/fr/commentaires/"}
WORDS = {
    "en": {
        "yes": "Yes",
        "no": "No",
        "more": "Thank you. Tell us more (optional)",
        "comment": "Comment (optional)",
        "send": "Send",
        "thanks": "Thank you for your answer",
        "back": "Go back to the page you were reading",
        "choose": "Choose Yes or No.",
        "limit": "Please wait a few minutes",
        "expired": "Your form expired",
    },
    "fr": {
        "yes": "Oui",
        "no": "Non",
        "more": "Merci. Dites-nous-en plus (facultatif)",
        "comment": "Commentaire (facultatif)",
        "send": "Envoyer",
        "thanks": "Merci de votre réponse",
        "back": "Retourner à la page que vous lisiez",
        "choose": "Choisissez Oui ou Non.",
        "limit": "Veuillez patienter quelques minutes",
        "expired": "Votre formulaire a expiré",
    },
}


def assert_axe_clean(page, label: str) -> None:
    violations = run_axe(page)
    assert violations == [], describe_axe(f"{label} {page.url}", violations)


def answers() -> list[tuple]:
    from neuroinfo.models import Feedback

    return list(
        Feedback.objects.order_by("pk").values_list(
            "page", "ref", "language", "helpful", "comment"
        )
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_with_javascript_the_answer_is_given_in_place(
    page, live_server, content, problems, language
):
    words, url = WORDS[language], live_server.url + PAGES[language]
    page.goto(url)
    widget = page.get_by_test_id("feedback")
    widget.get_by_role("button", name=words["yes"], exact=True).click()

    # The server's form, in place of the question; focus on its heading.
    form = widget.get_by_test_id("feedback-form")
    expect(form).to_be_visible()
    heading = widget.get_by_role("heading", name=words["more"])
    expect(heading).to_be_focused()
    expect(page.get_by_role("region", name=words["more"])).to_be_visible()
    expect(form.get_by_label(words["yes"], exact=True)).to_be_checked()
    expect(page).to_have_url(url)
    assert_axe_clean(page, "inline form")

    form.get_by_label(words["comment"]).fill("Clear, thank you.")
    form.get_by_role("button", name=words["send"]).click()
    thanks = widget.get_by_test_id("feedback-thanks")
    expect(thanks).to_be_visible()
    expect(widget.get_by_role("heading", name=words["thanks"])).to_be_focused()
    expect(thanks.get_by_role("link")).to_have_count(0)  # already on the page
    expect(page).to_have_url(url)
    assert_axe_clean(page, "inline thanks")

    assert answers() == [
        (PAGES[language], "treatment:surgery", language, True, "Clear, thank you.")
    ]
    problems.assert_none()


def test_with_javascript_mistakes_and_refusals_are_shown_by_the_server(
    page, live_server, content, problems, settings
):
    """A form error comes back in place; a refusal (token, limit) is the server's page."""
    settings.FEEDBACK_RATE_LIMIT = 1
    words, url = WORDS["fr"], live_server.url + PAGES["fr"]
    post_url = live_server.url + FEEDBACK["fr"]
    # Chromium logs each 400, 403 and 429 answer (fetched, then navigated to).
    problems.expect_console_error("Failed to load resource", post_url)

    page.goto(url)
    widget = page.get_by_test_id("feedback")
    widget.get_by_role("button", name=words["no"], exact=True).click()
    form = widget.get_by_test_id("feedback-form")
    expect(form).to_be_visible()
    # No choice (the browser's own check removed): the error, in place, focused.
    form.locator('input[name="helpful"]').evaluate_all(
        "radios => radios.forEach((r) => { r.checked = false; r.required = false; })"
    )
    form.get_by_label(words["comment"]).fill("Trop long?")
    form.get_by_role("button", name=words["send"]).click()
    error = widget.get_by_text(words["choose"])
    expect(error).to_be_focused()
    expect(form.get_by_label(words["comment"])).to_have_value("Trop long?")
    assert_axe_clean(page, "inline form with an error")

    # The token's cookie lost: the friendly 403 page, as a page.
    page.context.clear_cookies()
    widget.get_by_label(words["no"], exact=True).check()
    widget.get_by_role("button", name=words["send"]).click()
    expect(page.locator("h1")).to_have_text(words["expired"])
    assert_axe_clean(page, "403")
    page.get_by_role("link", name="Réessayer").click()
    expect(page.locator("h1")).to_have_text(words["more"])
    expect(page.get_by_label(words["no"], exact=True)).to_be_checked()

    # One answer allowed, then the limit's page.
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator("h1")).to_have_text(words["thanks"])
    page.get_by_role("link", name=words["back"]).click()
    page.get_by_test_id("feedback").get_by_role(
        "button", name=words["yes"], exact=True
    ).click()
    page.get_by_test_id("feedback-form").get_by_role(
        "button", name=words["send"]
    ).click()
    expect(page.locator("h1")).to_have_text(words["limit"])
    assert_axe_clean(page, "429")
    assert answers() == [(PAGES["fr"], "treatment:surgery", "fr", False, "")]
    problems.assert_none()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_without_javascript_the_two_steps_work(
    browser, browser_context_args, live_server, content, language
):
    words, url = WORDS[language], live_server.url + PAGES[language]
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    found = BrowserProblems()
    context.on("console", found.on_console)
    page = context.new_page()
    try:
        page.goto(url)
        page.get_by_test_id("feedback").get_by_role(
            "button", name=words["no"], exact=True
        ).click()
        # Step two is a page of its own, with the choice made and the token.
        expect(page).to_have_url(re.compile(re.escape(FEEDBACK[language]) + r"\?"))
        expect(page.locator("h1")).to_have_text(words["more"])
        expect(page.get_by_label(words["no"], exact=True)).to_be_checked()
        page.get_by_label(words["comment"]).fill("Plus d'exemples, s'il vous plaît.")
        page.get_by_role("button", name=words["send"]).click()
        expect(page.locator("h1")).to_have_text(words["thanks"])
        page.get_by_role("link", name=words["back"]).click()
        expect(page).to_have_url(url)
    finally:
        context.close()
    assert answers() == [
        (
            PAGES[language],
            "treatment:surgery",
            language,
            False,
            "Plus d'exemples, s'il vous plaît.",
        )
    ]
    found.assert_none()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_feedback_pages_pass_axe(page, live_server, content, problems, language):
    words = WORDS[language]
    page.goto(
        f"{live_server.url}{FEEDBACK[language]}?page={PAGES[language]}&helpful=yes"
    )
    expect(page.locator("h1")).to_have_text(words["more"])
    assert_axe_clean(page, "form")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator("h1")).to_have_text(words["thanks"])
    assert_axe_clean(page, "thanks")
    problems.assert_none()
