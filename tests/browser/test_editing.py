"""Editing in a real browser (Chromium posts CRLF line endings and every empty field):
an English edit changes no French value and marks French "out of date"; a preview
shows the unsaved form in a new tab; a revision is compared and reverted."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.helpers import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRENCH = ("title_fr", "slug_fr", "summary_fr", "body_fr", "body_html_fr",
          "key_points_fr", "meta_description_fr", "reviewed_by_role_fr")  # fmt: skip


@pytest.fixture
def reviewer(roles) -> str:
    """A medical reviewer (their saves go live)."""
    return staff_user("reviewer", "Medical reviewer").username


def french_values(key: str) -> dict:
    from neuroinfo.models import Treatment

    return Treatment.objects.filter(key=key).values(*FRENCH).get()


def test_an_english_edit_changes_no_french_value_and_makes_french_out_of_date(
    page, live_server, content, reviewer, problems
):
    from neuroinfo.models import Treatment
    from neuroinfo.status import translation_status

    surgery = Treatment.objects.get(key="surgery")
    assert surgery.is_published and translation_status(surgery, "fr") == "complete"
    before = french_values("surgery")
    assert "\n" in before["body_fr"] and "\n" in before["key_points_fr"]
    sign_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/neuroinfo/treatment/{surgery.pk}/change/")

    # Only the English title.
    page.locator("#id_title_en").fill("Surgery to remove the tumour")
    page.locator('input[name="_continue"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    surgery.refresh_from_db()
    assert surgery.title_en == "Surgery to remove the tumour"
    assert french_values("surgery") == before
    assert translation_status(surgery, "fr") == "out_of_date"
    expect(page.locator(".field-translation_state")).to_contain_text("out of date")

    # Then only the English body.
    body = page.locator("#id_body_en")
    body.fill(body.input_value() + "\n\nAsk the team how long the stay will be.")
    page.locator('input[name="_continue"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    surgery.refresh_from_db()
    assert surgery.body_en.endswith("\n\nAsk the team how long the stay will be.")
    assert "\r" not in surgery.body_en
    assert french_values("surgery") == before
    assert translation_status(surgery, "fr") == "out_of_date"
    problems.assert_none()


def test_a_preview_shows_the_unsaved_form_in_a_new_tab_and_saves_nothing(
    page, live_server, content, reviewer, problems
):
    from reversion.models import Version

    from neuroinfo.models import Treatment

    surgery = Treatment.objects.get(key="surgery")
    stored = Treatment.objects.filter(pk=surgery.pk).values().get()
    versions = Version.objects.count()
    sign_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/neuroinfo/treatment/{surgery.pk}/change/")
    page.locator("#id_title_en").fill("Surgery to remove the tumour")
    page.locator('a[href="#tab_id_title_fr"]').click()
    page.locator("#id_title_fr").fill("Chirurgie pour enlever la tumeur")

    with page.expect_popup() as popup:
        page.get_by_role("button", name="Preview in French").click()
    preview = popup.value
    expect(preview.locator("html")).to_have_attribute("lang", "fr")
    expect(preview.locator("h1")).to_have_text("Chirurgie pour enlever la tumeur")
    expect(preview.get_by_test_id("preview-unsaved")).to_contain_text(
        "Aperçu – non enregistré."
    )
    preview.close()
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Preview in English").click()
    preview = popup.value
    expect(preview.locator("h1")).to_have_text("Surgery to remove the tumour")
    expect(preview.get_by_test_id("preview-unsaved")).to_contain_text(
        "Preview – not saved."
    )
    preview.close()

    # Nothing was saved; the form still holds what was typed, ready to save.
    assert Treatment.objects.filter(pk=surgery.pk).values().get() == stored
    assert Version.objects.count() == versions
    expect(page.locator("#id_title_en")).to_have_value("Surgery to remove the tumour")
    problems.assert_none()


def test_a_revision_is_compared_with_the_one_before_and_reverted(
    page, live_server, content, reviewer, problems
):
    import reversion
    from reversion.models import Version

    from neuroinfo.models import Treatment

    surgery = Treatment.objects.get(key="surgery")
    with reversion.create_revision():  # what load_content records (the flush lost it)
        surgery.save()
        reversion.set_comment("load_content")
    change_url = f"{live_server.url}/admin/neuroinfo/treatment/{surgery.pk}/change/"
    sign_in(page, live_server, reviewer)
    page.goto(change_url)
    page.locator("#id_title_en").fill("An operation")
    page.locator('input[name="_continue"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{change_url.removesuffix('change/')}history/")
    page.get_by_test_id("compare-link").last.click()
    title = page.locator('tr[data-field="title_en"]')
    expect(title.locator("del")).to_have_text("Surgery")
    expect(title.locator("ins")).to_have_text("An operation")
    expect(page.get_by_test_id("revision-meta")).to_contain_text(reviewer)

    page.get_by_role("link", name="Revert this change").click()
    expect(page.locator("#id_title_en")).to_have_value("Surgery")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    surgery.refresh_from_db()
    assert surgery.title_en == "Surgery"
    latest = Version.objects.get_for_object(surgery)[0]
    assert latest.revision.get_comment().startswith("Reverted to previous version")
    problems.assert_none()
