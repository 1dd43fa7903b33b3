"""Related items and a treatment's parent picked by name in Chromium, with the admin's
autocomplete (select2) under the strict Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.helpers import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _search(page, container, text: str):
    """Open a select2 box, type, and return the list of results once they arrive."""
    container.click()
    field = page.locator(".select2-container--open .select2-search__field")
    field.fill(text)
    results = page.locator(".select2-container--open .select2-results__option")
    expect(results.first).not_to_have_class("loading-results")
    return results


def test_related_items_and_parent_are_picked_by_name(
    page, live_server, content, problems, django_user_model
):
    from neuroinfo.models import Treatment

    django_user_model.objects.create_superuser("chief", "c@example.org", STAFF_PASSWORD)
    chemo = Treatment.objects.get(key="chemotherapy")
    before = chemo.related_refs
    sign_in(page, live_server, "chief")
    page.goto(f"{live_server.url}/admin/neuroinfo/treatment/{chemo.pk}/change/")

    # The parent offers top-level treatments, never the one being edited.
    parent = page.locator("#id_parent + .select2")
    results = _search(page, parent, "the")
    expect(results.filter(has_text=re.compile("^Radiation therapy$"))).to_have_count(1)
    expect(results.filter(has_text=re.compile("^Chemotherapy$"))).to_have_count(0)
    page.keyboard.press("Escape")

    # Related items: the stored ones are shown by title; one more is added by name.
    related = page.locator("#id_related + .select2")
    expect(related.locator(".select2-selection__choice")).to_contain_text(
        [f"({ref})" for ref in before]
    )
    results = _search(page, related, "biops")
    choice = results.filter(has_text="(glossary:biopsy)")
    expect(choice).to_have_count(1)
    choice.click()
    expect(related.locator(".select2-selection__choice").last).to_contain_text("Biopsy")
    page.locator('input[name="_continue"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    chemo.refresh_from_db()
    assert chemo.related_refs == [*before, "glossary:biopsy"]
    assert chemo.parent_id is None
    problems.assert_none()
