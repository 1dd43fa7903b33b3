"""WCAG 2.2 A and AA checks by axe-core on every public page, in both languages: each
page of the guide, search results (with and without matches), the printable guide and
the 404 page; with JavaScript on (as most families see them) and off (as they must
still work)."""

import pytest
from django.conf import settings

from tests.browser.helpers import all_public_urls, describe_axe, run_axe

pytestmark = pytest.mark.browser


def axe_every_public_page(page, base_url: str) -> list[str]:
    """axe's findings on every public address, one line each; wrong statuses too."""
    urls = all_public_urls()
    assert {u.language for u in urls} == {code for code, _ in settings.LANGUAGES}
    assert len(urls) >= 2 * (
        17 + 6
    )  # 17 guide pages, 2 searches, print, 2 feedback, 404
    found = []
    for public in urls:
        response = page.goto(base_url + public.url)
        if response.status != public.status:
            found.append(f"{public.url}: answered {response.status}")
            continue
        violations = run_axe(page)
        if violations:
            found.append(f"[{public.label}] " + describe_axe(public.url, violations))
    return found


@pytest.mark.django_db(transaction=True)
def test_every_public_page_passes_axe(page, live_server, content):
    found = axe_every_public_page(page, live_server.url)
    assert found == [], "axe found WCAG violations:\n" + "\n".join(found)


@pytest.mark.django_db(transaction=True)
def test_every_public_page_passes_axe_without_javascript(browser, live_server, content):
    """The pages' own scripts off: the markup they start from must pass too.

    Their scripts are blocked rather than JavaScript switched off, which would stop
    axe as well; with no inline script allowed (CSP), that is the same page.
    """
    context = browser.new_context(locale="en-CA")
    context.route("**/*.js", lambda route: route.abort())
    try:
        found = axe_every_public_page(context.new_page(), live_server.url)
    finally:
        context.close()
    assert found == [], "axe found WCAG violations (JavaScript off):\n" + "\n".join(
        found
    )


def test_axe_finds_what_it_should(page):
    """The check is real: a page with known faults is flagged for each of them."""
    page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
    found = {v["id"] for v in run_axe(page)}
    assert {"image-alt", "html-has-lang", "link-name"} <= found, found
