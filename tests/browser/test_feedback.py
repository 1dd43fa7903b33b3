""" "Was this page helpful?" in a real browser, in both languages: the click on Yes or
No is stored the moment it is made, with JavaScript (the optional comment step takes
the question's place) and without it (the comment step is a page of its own); a second
click changes the answer. No CSP violation, no console error, and axe finds nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import BrowserProblems, describe_axe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}
ANSWER = {"en": "/en/feedback/answer/", "fr": "/fr/commentaires/reponse/"}
FEEDBACK = {"en": "/en/feedback/", "fr": "/fr/commentaires/"}
WORDS = {
    "en": {
        "yes": "Yes",
        "no": "No",
        "question": "Was this page helpful?",
        "saved": "Thank you, your answer is saved",
        "your_no": "Your answer: No.",
        "your_yes": "Your answer: Yes.",
        "optional_no": "Optional: tell us what was missing or hard to understand.",
        "optional_yes": "Optional: tell us what helped you.",
        "send": "Send",
        "thanks": "Thank you for your comment",
        "back": "Go back to the page you were reading",
        "empty": "Write your comment before you select Send.",
        "limit": "Please wait a few minutes",
    },
    "fr": {
        "yes": "Oui",
        "no": "Non",
        "question": "Cette page vous a-t-elle été utile?",
        "saved": "Merci, votre réponse est enregistrée",
        "your_no": "Votre réponse\u00a0: Non.",
        "your_yes": "Votre réponse\u00a0: Oui.",
        "optional_no": "Facultatif\u00a0: dites-nous ce qui manquait ou ce qui était "
        "difficile à comprendre.",
        "optional_yes": "Facultatif\u00a0: dites-nous ce qui vous a aidé.",
        "send": "Envoyer",
        "thanks": "Merci de votre commentaire",
        "back": "Retourner à la page que vous lisiez",
        "empty": "Écrivez votre commentaire avant de sélectionner Envoyer.",
        "limit": "Veuillez patienter quelques minutes",
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


def surgery_tally() -> tuple[int, int, int]:
    """Yes, No and comments for Surgery on the admin's tallies (both languages)."""
    from neuroinfo.tallies import tallies

    found = [t for t in tallies() if t.value == "treatment:surgery"]
    return (found[0].yes, found[0].no, found[0].comments) if found else (0, 0, 0)


def assert_the_cookie_is_narrow(context, language: str) -> None:
    cookies = context.cookies()
    assert [c["name"] for c in cookies] == ["feedback"]
    assert cookies[0]["path"] == ANSWER[language]
    assert cookies[0]["httpOnly"] is True
    assert cookies[0]["sameSite"] == "Strict"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_with_javascript_no_counts_at_the_click_and_the_comment_is_optional(
    page, context, live_server, content, problems, language
):
    words, url = WORDS[language], live_server.url + PAGES[language]
    page.goto(url)
    assert context.cookies() == []  # reading sets none
    widget = page.get_by_test_id("feedback")
    widget.get_by_role("button", name=words["no"], exact=True).click()

    # The server's comment step, in place of the question; focus on its heading.
    form = widget.get_by_test_id("feedback-form")
    expect(form).to_be_visible()
    heading = widget.get_by_role("heading", name=words["saved"])
    expect(heading).to_be_focused()
    expect(page.get_by_role("region", name=words["saved"])).to_be_visible()
    expect(form.get_by_test_id("feedback-answer")).to_have_text(words["your_no"])
    expect(form.get_by_label(words["optional_no"])).to_be_visible()
    expect(page).to_have_url(url)
    # Already stored and tallied, with no comment.
    assert answers() == [(PAGES[language], "treatment:surgery", language, False, "")]
    assert surgery_tally() == (0, 1, 0)
    assert_the_cookie_is_narrow(context, language)
    assert_axe_clean(page, "inline comment step")

    form.get_by_label(words["optional_no"]).fill("More about the scar, please.")
    form.get_by_role("button", name=words["send"]).click()
    thanks = widget.get_by_test_id("feedback-thanks")
    expect(thanks).to_be_visible()
    expect(widget.get_by_role("heading", name=words["thanks"])).to_be_focused()
    expect(thanks.get_by_role("link")).to_have_count(0)  # already on the page
    expect(page).to_have_url(url)
    assert_axe_clean(page, "inline thanks")
    assert answers() == [
        (
            PAGES[language],
            "treatment:surgery",
            language,
            False,
            "More about the scar, please.",
        )
    ]

    # Back later, the same browser changes its mind: still one answer.
    page.reload()
    page.get_by_test_id("feedback").get_by_role(
        "button", name=words["yes"], exact=True
    ).click()
    expect(page.get_by_test_id("feedback-answer")).to_have_text(words["your_yes"])
    expect(page.get_by_label(words["optional_yes"])).to_be_visible()
    assert surgery_tally() == (1, 0, 1)
    problems.assert_none()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_without_javascript_no_counts_at_the_click_and_the_comment_is_optional(
    browser, browser_context_args, live_server, content, language
):
    words, url = WORDS[language], live_server.url + PAGES[language]
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    found = BrowserProblems()  # CSP violations are reported on the console too
    # Chromium logs the 400 that answers the empty comment.
    found.expect_console_error(
        "Failed to load resource", live_server.url + FEEDBACK[language]
    )
    context.on("console", found.on_console)
    page = context.new_page()
    try:
        first = page.goto(url)
        assert "script-src" in first.headers["content-security-policy"]
        assert context.cookies() == []
        page.get_by_test_id("feedback").get_by_role(
            "button", name=words["no"], exact=True
        ).click()
        # The comment step is a page of its own; the answer is already stored.
        expect(page).to_have_url(live_server.url + ANSWER[language])
        expect(page.locator("h1")).to_have_text(words["saved"])
        expect(page.get_by_test_id("feedback-answer")).to_have_text(words["your_no"])
        expect(page.get_by_label(words["optional_no"])).to_be_visible()
        assert answers() == [
            (PAGES[language], "treatment:surgery", language, False, "")
        ]
        assert surgery_tally() == (0, 1, 0)
        assert_the_cookie_is_narrow(context, language)

        # Leaving without a comment, then answering again: the answer changes.
        page.get_by_role("link", name=words["back"]).click()
        expect(page).to_have_url(url)
        page.get_by_test_id("feedback").get_by_role(
            "button", name=words["yes"], exact=True
        ).click()
        expect(page.get_by_test_id("feedback-answer")).to_have_text(words["your_yes"])
        assert surgery_tally() == (1, 0, 0)

        # An empty comment is explained; a written one is added to the answer.
        page.get_by_role("button", name=words["send"]).click()
        expect(page.get_by_text(words["empty"])).to_be_visible()
        page.get_by_label(words["optional_yes"]).fill("Les schémas.")
        page.get_by_role("button", name=words["send"]).click()
        expect(page.locator("h1")).to_have_text(words["thanks"])
        page.get_by_role("link", name=words["back"]).click()
        expect(page).to_have_url(url)
    finally:
        context.close()
    assert answers() == [
        (PAGES[language], "treatment:surgery", language, True, "Les schémas.")
    ]
    assert surgery_tally() == (1, 0, 1)
    found.assert_none()


def test_with_javascript_mistakes_and_refusals_are_shown_in_place(
    page, live_server, content, problems, settings
):
    """A comment's mistake comes back in place; so does the limit's notice."""
    settings.FEEDBACK_RATE_LIMIT = 1
    words, url = WORDS["fr"], live_server.url + PAGES["fr"]
    # Chromium logs each 400 and 429 answer to a fetch.
    problems.expect_console_error(
        "Failed to load resource", live_server.url + FEEDBACK["fr"]
    )
    problems.expect_console_error(
        "Failed to load resource", live_server.url + ANSWER["fr"]
    )

    page.goto(url)
    widget = page.get_by_test_id("feedback")
    widget.get_by_role("button", name=words["no"], exact=True).click()
    form = widget.get_by_test_id("feedback-form")
    expect(form).to_be_visible()
    form.get_by_role("button", name=words["send"]).click()  # nothing written
    error = widget.get_by_text(words["empty"])
    expect(error).to_be_focused()
    expect(page).to_have_url(url)
    assert_axe_clean(page, "inline comment step with an error")

    # A second click within the limit's window: the notice, in place, nothing changed.
    page.reload()
    page.get_by_test_id("feedback").get_by_role(
        "button", name=words["yes"], exact=True
    ).click()
    expect(page.get_by_test_id("feedback-limit")).to_be_visible()
    expect(
        page.get_by_test_id("feedback").get_by_role("heading", name=words["limit"])
    ).to_be_focused()
    expect(page).to_have_url(url)
    assert_axe_clean(page, "inline 429")
    assert answers() == [(PAGES["fr"], "treatment:surgery", "fr", False, "")]
    problems.assert_none()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_feedback_pages_pass_axe(page, live_server, content, problems, language):
    """Each step as a page of its own: the question, the comment step, its error, the
    thanks."""
    words = WORDS[language]
    problems.expect_console_error(
        "Failed to load resource", live_server.url + FEEDBACK[language]
    )
    page.goto(f"{live_server.url}{FEEDBACK[language]}?page={PAGES[language]}")
    expect(page.locator("h1")).to_have_text(words["question"])
    assert_axe_clean(page, "question")
    page.get_by_role("button", name=words["no"], exact=True).click()
    expect(page.locator("h1")).to_have_text(words["saved"])
    assert_axe_clean(page, "comment step")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_text(words["empty"])).to_be_visible()
    assert_axe_clean(page, "comment step with an error")
    page.get_by_label(words["optional_no"]).fill("x")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator("h1")).to_have_text(words["thanks"])
    assert_axe_clean(page, "thanks")
    assert answers() == [(PAGES[language], "treatment:surgery", language, False, "x")]
    problems.assert_none()
