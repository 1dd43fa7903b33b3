"""Editing in a real browser (Chromium posts CRLF line endings and every empty field):
an English edit changes no French value and marks French "out of date"."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Editing-pass-phrase-42"
FRENCH = ("title_fr", "slug_fr", "summary_fr", "body_fr", "body_html_fr",
          "key_points_fr", "meta_description_fr", "reviewed_by_role_fr")  # fmt: skip


@pytest.fixture
def reviewer(transactional_db, django_user_model) -> str:
    """A medical reviewer (their saves go live); the flush removed the roles."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "neuroinfo.migrations.0003_roles_and_published_content"
    )
    migration.create_roles(apps, None)
    user = django_user_model.objects.create_user("reviewer", "r@example.org", PASSWORD)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Medical reviewer"))
    return user.username


def sign_in(page, live_server, name: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.locator("#id_username").fill(name)
    page.locator("#id_password").fill(PASSWORD)
    page.locator('#login-form [type="submit"]').click()
    expect(page.locator("#user-tools")).to_contain_text(name)


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
