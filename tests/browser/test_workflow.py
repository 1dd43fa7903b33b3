"""The editorial workflow in a real browser: a translator's change, previewed, then
published by a medical reviewer, reaches the public French page."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.helpers import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_translation_is_previewed_then_published_by_a_reviewer(
    page, live_server, content, roles, problems
):
    from neuroinfo.models import Treatment

    staff_user("translator", "Translator")
    staff_user("reviewer", "Medical reviewer")
    surgery = Treatment.objects.get(key="surgery")
    change_url = f"{live_server.url}/admin/neuroinfo/treatment/{surgery.pk}/change/"
    public_fr = f"{live_server.url}/fr/traitements/chirurgie/"
    new_title = "Chirurgie du neuroblastome"

    # The translator changes the French title in the French tab.
    sign_in(page, live_server, "translator")
    page.goto(change_url)
    expect(page.locator("#id_title_en")).to_have_count(0)  # English is read-only
    page.locator('a[href="#tab_id_title_fr"]').click()
    title_fr = page.locator("#id_title_fr")
    expect(title_fr).to_be_visible()
    title_fr.fill(new_title)
    page.locator('input[name="_continue"]').click()
    expect(page.locator(".messagelist")).to_contain_text(
        "waiting for a medical reviewer"
    )

    # Families still see the published title; the preview shows the new one.
    page.context.clear_cookies()
    page.goto(public_fr)
    expect(page.locator("h1")).to_have_text("Chirurgie")
    sign_in(page, live_server, "translator")
    page.goto(change_url)
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Preview (French)").click()
    preview = popup.value
    expect(preview.locator("h1")).to_have_text(new_title)
    expect(preview.get_by_test_id("preview-banner")).to_be_visible()
    expect(preview.locator("html")).to_have_attribute("lang", "fr")
    preview.close()

    # The medical reviewer publishes it from the list.
    sign_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/admin/neuroinfo/treatment/")
    page.locator(f'input[name="_selected_action"][value="{surgery.pk}"]').check()
    page.locator('select[name="action"]').select_option("publish_selected")
    page.locator('button[name="index"]').first.click()
    expect(page.locator(".messagelist")).to_contain_text("published")

    # The public French page shows the new title.
    page.context.clear_cookies()
    page.goto(public_fr)
    expect(page.locator("h1")).to_have_text(new_title)
    problems.assert_none()
