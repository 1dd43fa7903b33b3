"""The strict Content-Security-Policy in a real browser: every public page in both
languages and the editors' admin (language tabs, inlines, date widgets) work under it,
with no violation and no error in the console."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import expect

from neuroinfo.models import Section
from tests.browser.helpers import public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-battery-staple-42"


def assert_strict_policy(response) -> None:
    """The response carries the site's policy, with no inline or eval escape hatch."""
    policy = response.header_value("content-security-policy")
    assert policy, f"No Content-Security-Policy header on {response.url}"
    assert "unsafe-inline" not in policy, response.url
    assert "unsafe-eval" not in policy, response.url
    assert "script-src 'self'" in policy, policy
    assert "style-src 'self'" in policy, policy


def test_every_public_page_works_under_the_policy(page, live_server, content, problems):
    pages = public_pages()
    assert {p.language for p in pages} == {code for code, _name in settings.LANGUAGES}
    assert len(pages) >= 2 * 17  # test_pages.PAGES lists 17 pages per language

    for public in pages:
        response = page.goto(live_server.url + public.url)
        assert response.status == 200, public.url
        assert_strict_policy(response)
        assert page.locator("html").get_attribute("lang") == public.language
        switch = page.get_by_test_id("language-switch")
        expect(switch).to_have_count(1)
        assert switch.get_attribute("href") == public.other_url
        assert switch.get_attribute("hreflang") != public.language
        expect(page.get_by_test_id("breadcrumbs")).to_have_count(
            0 if public.is_home else 1
        )
        expect(page.get_by_test_id("care-team-reminder")).to_be_visible()
        review = page.get_by_test_id("last-reviewed").or_(
            page.get_by_test_id("not-reviewed")
        )
        expect(review).to_be_visible()  # a date, or plainly no review yet
        expect(page.get_by_test_id("who-to-call")).to_be_visible()
        expect(page.get_by_test_id("publisher")).to_be_visible()
        expect(page.get_by_test_id("prev-next")).to_be_visible()

    # The 404 page in each language. Chromium logs the 404 of the page itself as a
    # console error; only that one is expected.
    for code, _name in settings.LANGUAGES:
        url = f"{live_server.url}/{code}/no-such-page/"
        problems.expect_console_error("Failed to load resource", url)
        response = page.goto(url)
        assert response.status == 404
        assert_strict_policy(response)
        assert page.locator("html").get_attribute("lang") == code
        # Back to the guide's start, or into one of its main sections.
        sections = Section.objects.filter(quiet=False).count()
        expect(page.get_by_test_id("not-found-sections").locator("a")).to_have_count(
            sections
        )
        expect(page.locator("main a")).to_have_count(1 + sections)

    # The language switch leads to the same page in the other language.
    for public in (pages[1], pages[-1]):
        page.goto(live_server.url + public.url)
        page.get_by_test_id("language-switch").click()
        expect(page).to_have_url(live_server.url + public.other_url)
        assert page.locator("html").get_attribute("lang") != public.language
        expect(page.get_by_test_id("language-switch")).to_have_attribute(
            "href", public.url
        )

    problems.assert_none()


def sign_in(page, live_server, django_user_model) -> None:
    """Sign in through the real login form (axes sees the request like any other)."""
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    response = page.goto(f"{live_server.url}/admin/")
    assert response.url.startswith(f"{live_server.url}/admin/login/")
    assert_strict_policy(response)
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill(PASSWORD)
    page.locator('#login-form [type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator("#user-tools")).to_contain_text("editor")


def open_admin(page, live_server, path: str):
    response = page.goto(live_server.url + path)
    assert response.status == 200, path
    assert_strict_policy(response)
    return response


def test_admin_works_under_the_policy(
    page, live_server, content, problems, django_user_model
):
    from neuroinfo.links import item_url
    from neuroinfo.models import GlossaryTerm, GuidePage, ResponseCategory, Treatment

    sign_in(page, live_server, django_user_model)

    # The index, then every model's list (content models and auth's).
    for model in admin.site._registry:
        changelist = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        )
        expect(
            page.locator(f'#content-main a[href="{changelist}"]').first
        ).to_be_visible()
    for model in admin.site._registry:
        open_admin(
            page,
            live_server,
            reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
            ),
        )
        expect(page.locator("#changelist")).to_be_visible()

    # A treatment: language tabs drawn by jQuery UI, edit the French title, save.
    surgery = Treatment.objects.get(key="surgery")
    open_admin(page, live_server, f"/admin/neuroinfo/treatment/{surgery.pk}/change/")
    expect(page.locator(".ui-tabs").first).to_be_visible()
    title_en, title_fr = page.locator("#id_title_en"), page.locator("#id_title_fr")
    expect(title_en).to_be_visible()
    expect(title_fr).to_be_hidden()
    page.locator('a[href="#tab_id_title_fr"]').click()
    expect(title_fr).to_be_visible()
    expect(title_en).to_be_hidden()
    new_title = "Chirurgie du neuroblastome"
    assert surgery.title_fr != new_title
    title_fr.fill(new_title)
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "was changed successfully"
    )
    surgery.refresh_from_db()
    assert surgery.title_fr == new_title
    page.goto(live_server.url + item_url(surgery, "fr"))
    expect(page.locator("h1")).to_have_text(new_title)
    page.goto(f"{live_server.url}/admin/")

    # A response category and its criteria, edited inline (tabs in the table).
    category = ResponseCategory.objects.get(key="partial-response")
    open_admin(
        page, live_server, f"/admin/neuroinfo/responsecategory/{category.pk}/change/"
    )
    expect(page.locator("#criteria-group .ui-tabs").first).to_be_visible()
    page.locator('a[href="#tab_id_criteria-0-statement_fr"]').click()
    expect(page.locator("#id_criteria-0-statement_fr")).to_be_visible()
    expect(page.locator("#id_criteria-0-statement_en")).to_be_hidden()
    rows = page.locator("#criteria-group tr.form-row")
    before = rows.count()
    page.locator("#criteria-group .add-row a").click()
    expect(rows).to_have_count(before + 1)

    # A guide page and its questions, edited inline.
    questions = GuidePage.objects.get(key="questions-to-ask")
    open_admin(page, live_server, f"/admin/neuroinfo/guidepage/{questions.pk}/change/")
    expect(page.locator("#questions-group .ui-tabs").first).to_be_visible()
    page.locator('a[href="#tab_id_questions-0-text_fr"]').click()
    expect(page.locator("#id_questions-0-text_fr")).to_be_visible()
    expect(page.locator("#id_questions-0-text_en")).to_be_hidden()
    rows = page.locator("#questions-group tr.form-row")
    before = rows.count()
    page.locator("#questions-group .add-row a").click()
    expect(rows).to_have_count(before + 1)

    # A new glossary term: tabs and the date widget's calendar and "Today".
    assert GlossaryTerm.objects.exists()
    open_admin(page, live_server, "/admin/neuroinfo/glossaryterm/add/")
    expect(page.locator(".ui-tabs").first).to_be_visible()
    expect(page.locator("#id_title_en")).to_be_visible()
    page.locator('a[href="#tab_id_body_fr"]').click()
    expect(page.locator("#id_body_fr")).to_be_visible()
    date = page.locator("#id_last_reviewed")
    shortcuts = page.locator("#id_last_reviewed + .datetimeshortcuts")
    expect(date).to_have_value("")
    shortcuts.locator(".date-icon").click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    page.locator(".calendarbox .calendar-cancel a").first.click()
    shortcuts.locator("a", has_text="Today").click()
    expect(date).not_to_have_value("")

    problems.assert_none()


def test_the_violation_watch_is_real(page, live_server, problems):
    """Inline script and style on a page served under the policy are caught."""
    url = f"{live_server.url}/en/no-such-page/"
    problems.expect_console_error("Failed to load resource", url)
    response = page.goto(url)
    assert_strict_policy(response)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true;";
          document.body.append(script);
          const style = document.createElement("style");
          style.textContent = "body { color: red; }";
          document.head.append(style);
        }"""
    )
    # Violation events are dispatched asynchronously: give them up to 2 s.
    for _ in range(100):
        directives = {v["directive"] for v in problems.csp_violations}
        if {"script-src-elem", "style-src-elem"} <= directives:
            break
        page.wait_for_timeout(20)
    assert page.evaluate("() => window.inlineRan") is None
    assert {"script-src-elem", "style-src-elem"} <= directives, problems.csp_violations
    assert any("Content Security Policy" in e for e in problems.console_errors)
