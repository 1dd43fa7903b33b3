"""JSON-LD under the strict CSP in a real browser: the data block is read as data,
never run, so it needs no exception; the policy still blocks an inline script."""

import json

import pytest

from neuroinfo.links import item_url
from neuroinfo.models import Treatment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INLINE = "<script>window.__inlineRan = true;</script>"


def _json_ld(page) -> dict:
    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    return json.loads(blocks.text_content())


@pytest.mark.parametrize("code", ["en", "fr"])
def test_the_data_block_causes_no_violation(page, live_server, content, problems, code):
    surgery = Treatment.objects.get(key="surgery")
    url = live_server.url + item_url(surgery, code)
    response = page.goto(url)
    assert response.status == 200
    assert "script-src 'self'" in response.header_value("content-security-policy")
    data = _json_ld(page)
    assert data["@type"] == "MedicalWebPage"
    assert data["inLanguage"] == code
    assert data["url"] == url
    problems.assert_none()  # no CSP violation from the data block, no console error


@pytest.mark.parametrize("code", ["en", "fr"])
def test_the_policy_still_blocks_an_inline_script(
    page, live_server, content, problems, code
):
    """The page as served, with an inline script slipped in beside the JSON-LD: the
    browser refuses to run it, and it is the only violation on the page."""
    surgery = Treatment.objects.get(key="surgery")
    url = live_server.url + item_url(surgery, code)

    def inject(route) -> None:
        served = route.fetch()
        body = served.text().replace("</head>", f"{INLINE}</head>", 1)
        route.fulfill(response=served, body=body)

    page.route(url, inject)
    response = page.goto(url)
    assert response.status == 200
    assert INLINE in page.content()
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert page.evaluate("window.__inlineRan === undefined")
    for _attempt in range(40):  # violations reach the test asynchronously
        blocked = [v for v in problems.csp_violations if v["blocked"] == "inline"]
        if blocked:
            break
        page.wait_for_timeout(50)
    assert len(blocked) == 1, problems.csp_violations
    assert blocked[0]["directive"].startswith("script-src")
    assert problems.csp_violations == blocked  # the JSON-LD block caused none
    # Chromium logs the refusal itself as a console error: that one is expected.
    problems.console_errors = [
        e for e in problems.console_errors if "Content Security Policy" not in e
    ]
    problems.csp_violations = []
    problems.assert_none()
