"""Finding your way, in Chromium at 360 and 1,280 px, in English and French: the
breadcrumb names the section (the whole trail on a wide screen, only a back-link to
the section on a phone), the section's pages are listed with the one being read
marked, previous and next stay within the section, and nothing scrolls sideways on
a 320 px phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import describe_axe, run_axe

pytestmark = pytest.mark.browser

CHEMOTHERAPY = {
    "en": "/en/treatments/chemotherapy/",
    "fr": "/fr/traitements/chimiotherapie/",
}
SURGERY = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}
RADIATION = {
    "en": "/en/treatments/radiation-therapy/",
    "fr": "/fr/traitements/radiotherapie/",
}
TREATMENTS = {"en": "Treatments", "fr": "Traitements"}
TITLES = {"en": "Chemotherapy", "fr": "Chimiothérapie"}
# The treatments section: 8 treatments and clinical trials.
SIBLINGS = 9
WIDE, PHONE = 1280, 360  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [PHONE, WIDE])
def test_where_am_i_and_what_is_next_to_me(
    page, live_server, content, problems, lang, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + CHEMOTHERAPY[lang])
    section = f"/{lang}/#section-treatments"

    full, back = (
        page.get_by_test_id("breadcrumbs"),
        page.get_by_test_id("breadcrumb-back"),
    )
    if width == WIDE:
        expect(full).to_be_visible()
        expect(back).to_be_hidden()
        crumb = full.get_by_role("link", name=TREATMENTS[lang], exact=True)
        expect(crumb).to_have_attribute("href", section)
        expect(full.locator('[aria-current="page"]')).to_have_text(TITLES[lang])
    else:
        expect(full).to_be_hidden()
        expect(back).to_be_visible()
        link = back.get_by_role("link")
        expect(link).to_have_text(f"‹ {TREATMENTS[lang]}")
        expect(link).to_have_accessible_name(TREATMENTS[lang])
        expect(link).to_have_attribute("href", section)

    siblings = page.get_by_role("navigation", name=TREATMENTS[lang], exact=True)
    expect(siblings.get_by_role("heading", level=2)).to_have_text(TREATMENTS[lang])
    expect(siblings.get_by_role("listitem")).to_have_count(SIBLINGS)
    current = siblings.locator('[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_be_visible()
    expect(current).to_have_text(TITLES[lang])
    expect(current).to_have_attribute("href", CHEMOTHERAPY[lang])

    pager = page.get_by_test_id("prev-next")
    expect(pager.locator('a[rel="prev"]')).to_have_attribute("href", SURGERY[lang])
    expect(pager.locator('a[rel="next"]')).to_have_attribute("href", RADIATION[lang])
    assert run_axe(page) == [], describe_axe(page.url, run_axe(page))

    # Surgery opens the section: no previous page from another section.
    pager.locator('a[rel="prev"]').click()
    expect(page).to_have_url(live_server.url + SURGERY[lang])
    expect(page.get_by_test_id("prev-next").locator('a[rel="prev"]')).to_have_count(0)
    problems.assert_none()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_back_link_leads_to_the_section_on_the_start_page(
    page, live_server, content, lang
):
    page.set_viewport_size({"width": PHONE, "height": 700})
    page.emulate_media(reduced_motion="reduce")  # jump at once, no smooth scrolling
    page.goto(live_server.url + SURGERY[lang])
    page.get_by_test_id("breadcrumb-back").get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/{lang}/#section-treatments")
    heading = page.locator("#section-treatments")
    expect(heading).to_have_text(TREATMENTS[lang])
    expect(heading).to_be_in_viewport()


# Pages with the widest section lists and trails, and the start page's groups.
NARROW = {
    "en": ["/en/", "/en/treatments/high-risk-treatment/", "/en/side-effects/"],
    "fr": ["/fr/", "/fr/traitements/chimiotherapie-a-haute-dose-et-greffe-de-cellules-souches/",
           "/fr/effets-secondaires/"],
}  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_nothing_scrolls_sideways_on_a_320_px_phone(page, live_server, content, lang):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in NARROW[lang]:
        page.goto(live_server.url + path)
        sizes = page.evaluate(
            """() => [document.documentElement.scrollWidth,
                      document.documentElement.clientWidth]"""
        )
        assert sizes[0] <= sizes[1], (path, sizes)
        for name in ("breadcrumb-back", "section-nav"):
            found = page.locator(f'[data-testid="{name}"]')
            if found.count():
                box = found.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (path, name)
