"""WCAG 2.2 A and AA checks by axe-core on every public page, in both languages."""

import pytest

from tests.browser.helpers import describe_axe, public_pages, run_axe

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_every_public_page_passes_axe(page, live_server, content):
    pages = public_pages()
    assert len(pages) >= 2 * 17
    urls = [p.url for p in pages] + ["/en/no-such-page/", "/fr/no-such-page/"]
    found = []
    for url in urls:
        page.goto(live_server.url + url)
        violations = run_axe(page)
        if violations:
            found.append(describe_axe(url, violations))
    assert found == [], "axe found WCAG violations:\n" + "\n".join(found)


def test_axe_finds_what_it_should(page):
    """The check is real: a page with known faults is flagged for each of them."""
    page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
    found = {v["id"] for v in run_axe(page)}
    assert {"image-alt", "html-has-lang", "link-name"} <= found, found
