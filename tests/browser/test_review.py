"""Reviewing a held change in a real browser: an editor's change to a published
treatment waits; a medical reviewer follows the front page to it, reads the diff and
publishes it; families then see it. Under the strict CSP, checked by axe."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.helpers import describe_axe, run_axe, sign_in
from tests.helpers import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TITLE = "Surgery to remove the tumour"


@pytest.mark.usefixtures("roles")
def test_a_reviewer_follows_the_front_page_to_the_diff_and_publishes(
    page, live_server, content, problems
):
    from neuroinfo.models import PendingChange, Treatment

    staff_user("editor", "Editor")
    staff_user("reviewer", "Medical reviewer")
    surgery = Treatment.objects.get(key="surgery")
    public = f"{live_server.url}/en/treatments/surgery/"
    mail.outbox.clear()

    # The editor changes the English title of a published treatment: it is held.
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/neuroinfo/treatment/{surgery.pk}/change/")
    page.locator("#id_title_en").fill(NEW_TITLE)
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text(
        "waiting for a medical reviewer"
    )
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    page.context.clear_cookies()
    page.goto(public)
    expect(page.locator("h1")).to_have_text("Surgery")

    # The reviewer's front page leads to the change, shown as a diff.
    sign_in(page, live_server, "reviewer")
    waiting = page.get_by_test_id("to-do-waiting")
    expect(waiting).to_have_text("Waiting for your review (1)")
    violations = run_axe(page)
    assert violations == [], describe_axe(page.url, violations)
    waiting.click()
    page.locator("#result_list a", has_text="Surgery").click()
    row = page.locator('[data-testid="field-diffs"] tr[data-field="title_en"]')
    expect(row.locator("th")).to_have_text("Title (EN)")
    expect(row.locator("td.field-diffs__old")).to_have_text("Surgery")
    expect(row.locator("td.field-diffs__new ins")).to_have_text(" to remove the tumour")
    expect(page.get_by_test_id("review-author")).to_have_text("editor")
    violations = run_axe(page)
    assert violations == [], describe_axe(page.url, violations)

    # Publishing it from the page: back to the list, with a message.
    page.get_by_label("Comment for the author").fill("Clearer title.")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "is published: families see the change now"
    )
    change = PendingChange.objects.get()
    assert (change.state, change.comment) == ("published", "Clearer title.")
    assert [m.to for m in mail.outbox][1:] == [["editor@example.org"]]

    # Families see the new title.
    page.context.clear_cookies()
    page.goto(public)
    expect(page.locator("h1")).to_have_text(NEW_TITLE)
    problems.assert_none()
