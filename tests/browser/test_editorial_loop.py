"""The whole editorial loop in Chromium, as the three roles live it.

An Editor changes an English body (held); a Medical reviewer reads the diff and
publishes; French is then out of date; a Translator updates the French (held); the
reviewer sends it back with a comment; the Translator reads the comment, fixes and
resubmits; the reviewer publishes; French is complete again. The right people are
emailed at each step, and families see only published text throughout.
"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.helpers import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EN_ADDED = "Ask the care team which drugs your child will get."
FR_FIRST = "Demandez quels medicaments votre enfant recevra."
FR_FIXED = "Demandez à l'équipe de soins quels médicaments votre enfant recevra."
COMMENT = "Please add the accents and name the care team."


def _public_text(page, url: str) -> str:
    page.context.clear_cookies()
    page.goto(url)
    return page.locator("main").inner_text()


def _emails() -> list[tuple[list[str], str]]:
    """Recipients and body of each email sent so far, then forget them."""
    sent = [(sorted(m.to), m.body) for m in mail.outbox]
    mail.outbox.clear()
    return sent


def _open_waiting_change(page, live_server, title: str) -> None:
    """As the reviewer: the front page's to-do leads to the change's diff."""
    sign_in(page, live_server, "reviewer")
    waiting = page.get_by_test_id("to-do-waiting")
    expect(waiting).to_have_text("Waiting for your review (1)")
    waiting.click()
    page.locator("#result_list a", has_text=title).click()


def _fill_french_body(page, text: str) -> None:
    page.locator('a[href="#tab_id_body_fr"]').click()
    page.locator("#id_body_fr").fill(text)
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text(
        "waiting for a medical reviewer"
    )


@pytest.mark.usefixtures("roles")
def test_edit_review_translate_send_back_resubmit_publish(
    page, live_server, content, problems
):
    from neuroinfo.models import PendingChange, Treatment
    from neuroinfo.status import translation_status

    staff_user("editor", "Editor")
    staff_user("reviewer", "Medical reviewer")
    staff_user("translator", "Translator")
    item = Treatment.objects.get(key="chemotherapy")
    title = item.title_en
    form = f"{live_server.url}/admin/neuroinfo/treatment/{item.pk}/change/"
    public_en = f"{live_server.url}/en/treatments/{item.slug_en}/"
    public_fr = f"{live_server.url}/fr/traitements/{item.slug_fr}/"
    french_before = item.body_fr
    assert translation_status(item, "fr") == "complete"
    mail.outbox.clear()

    # 1. The Editor adds a sentence to the English body: it waits for review.
    sign_in(page, live_server, "editor")
    page.goto(form)
    body = page.locator("#id_body_en")
    body.fill(body.input_value() + "\n\n" + EN_ADDED)
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text(
        "waiting for a medical reviewer"
    )
    assert [to for to, _body in _emails()] == [["reviewer@example.org"]]
    assert EN_ADDED not in _public_text(page, public_en)

    # 2. The reviewer reads the diff (only the English body changed) and publishes.
    _open_waiting_change(page, live_server, title)
    diffs = page.get_by_test_id("field-diffs")
    expect(diffs.locator("tr[data-field]")).to_have_count(1)
    expect(
        diffs.locator('tr[data-field="body_en"] td.field-diffs__new ins')
    ).to_contain_text(EN_ADDED)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("is published")
    assert [to for to, _body in _emails()] == [["editor@example.org"]]
    assert EN_ADDED in _public_text(page, public_en)
    item.refresh_from_db()
    assert item.body_fr == french_before  # the English edit left French untouched
    assert translation_status(item, "fr") == "out_of_date"

    # 3. The Translator is told French needs updating, and updates it: held.
    sign_in(page, live_server, "translator")
    expect(page.get_by_test_id("to-do-translate-fr")).not_to_have_attribute(
        "data-count", "0"
    )
    page.goto(form)
    _fill_french_body(page, french_before + "\n\n" + FR_FIRST)
    assert [to for to, _body in _emails()] == [["reviewer@example.org"]]
    assert FR_FIRST not in _public_text(page, public_fr)

    # 4. The reviewer sees the French diff and sends it back with a comment.
    _open_waiting_change(page, live_server, title)
    expect(
        page.locator('tr[data-field="body_fr"] td.field-diffs__new ins')
    ).to_contain_text(FR_FIRST)
    page.get_by_label("Comment for the author").fill(COMMENT)
    page.get_by_role("button", name="Send back").click()
    expect(page.locator(".messagelist")).to_contain_text("sent back")
    sent = _emails()
    assert [to for to, _body in sent] == [["translator@example.org"]]
    assert COMMENT in sent[0][1]
    change = PendingChange.objects.get(state="sent_back")
    assert change.comment == COMMENT

    # 5. The Translator sees the comment, fixes the French and resubmits.
    sign_in(page, live_server, "translator")
    sent_back = page.get_by_test_id("to-do-sent-back")
    expect(sent_back).to_have_text("Sent back to you (1)")
    page.goto(form)
    expect(page.locator(".messagelist")).to_contain_text(COMMENT)
    expect(page.locator("#id_body_fr")).to_have_value(french_before + "\n\n" + FR_FIRST)
    _fill_french_body(page, french_before + "\n\n" + FR_FIXED)
    assert [to for to, _body in _emails()] == [["reviewer@example.org"]]
    assert FR_FIXED not in _public_text(page, public_fr)

    # 6. The reviewer publishes the fixed French: French is complete again.
    _open_waiting_change(page, live_server, title)
    expect(
        page.locator('tr[data-field="body_fr"] td.field-diffs__new')
    ).to_contain_text(FR_FIXED)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("is published")
    assert [to for to, _body in _emails()] == [["translator@example.org"]]
    text = _public_text(page, public_fr)
    assert FR_FIXED in text
    assert FR_FIRST not in text
    item.refresh_from_db()
    assert translation_status(item, "fr") == "complete"
    assert item.body_en.endswith(EN_ADDED)  # the English publication still stands
    problems.assert_none()
