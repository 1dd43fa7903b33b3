"""The sign-in lockout page in a real browser: the admin's sign-in look, in the
reader's language, under the strict policy, accessible."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.helpers import describe_axe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADING = {"en": "Sign-in paused", "fr": "Connexion suspendue"}
WAIT = {"en": "Try again in 1 hour.", "fr": "Réessayez dans 1 heure."}


@pytest.mark.parametrize(
    "language",
    [
        pytest.param(code, marks=pytest.mark.browser_context_args(locale=f"{code}-CA"))
        for code in ("en", "fr")
    ],
)
def test_the_lockout_page_looks_like_sign_in_and_speaks_the_readers_language(
    page, live_server, problems, language
):
    get_user_model().objects.create_superuser(
        "editor", "e@example.org", "A-long-pass-1"
    )
    login = f"{live_server.url}/admin/login/?next=/admin/"
    problems.expect_console_error("Failed to load resource", login)
    page.goto(login)
    for _ in range(5):
        page.locator("#id_username").fill("editor")
        page.locator("#id_password").fill("wrong password")
        with page.expect_response(login) as answer:
            page.locator('#login-form [type="submit"]').click()
    assert answer.value.status == 429
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("body.login")).to_have_count(1)
    expect(page.locator("#content-main h2")).to_have_text(HEADING[language])
    expect(page.locator("#content-main")).to_contain_text(WAIT[language])
    # Styled by the admin's sign-in stylesheet: the narrow centred box.
    width = page.locator("#container").evaluate("e => e.getBoundingClientRect().width")
    assert 250 < width < 600, width
    assert describe_axe(page.url, run_axe(page)) == ""
    problems.assert_none()
