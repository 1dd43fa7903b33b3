"""What the browser tests share: watching for CSP violations, running axe, the pages."""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Reports every CSP violation to the test, from every page and frame of the context.
# Runs before any script of the page; the binding is Playwright's, not the page's,
# so the page's policy does not block it.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation({
    page: document.location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    disposition: event.disposition,
  });
}, true);
"""


@dataclass
class BrowserProblems:
    """What went wrong in the browser while a test ran."""

    csp_violations: list[dict] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    # Console errors a test expects, e.g. Chromium's "Failed to load resource: ...
    # 404" for a 404 page the test asked for: (text prefix, URL) pairs.
    expected: list[tuple[str, str]] = field(default_factory=list)

    def expect_console_error(self, text_prefix: str, url: str) -> None:
        self.expected.append((text_prefix, url))

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if any(message.text.startswith(t) and url == u for t, u in self.expected):
            return
        self.console_errors.append(f"{url}: {message.text}")

    def assert_none(self) -> None:
        assert self.csp_violations == [], "CSP violations:\n" + "\n".join(
            map(str, self.csp_violations)
        )
        assert self.console_errors == [], "Console errors:\n" + "\n".join(
            self.console_errors
        )
        assert self.page_errors == [], "Uncaught errors:\n" + "\n".join(
            self.page_errors
        )


def run_axe(page) -> list[dict]:
    """Run axe-core on the page for WCAG 2.2 A and AA; return its violations.

    The script is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not apply to.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
          });
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.map((n) => n.target.join(" ")),
          }));
        }""",
        WCAG_TAGS,
    )


def describe_axe(url: str, violations: list[dict]) -> str:
    """One line per violation: page, rule, impact, and the elements at fault."""
    return "\n".join(
        f"{url}: {v['id']} ({v['impact']}) {v['help']} -> {v['targets']}"
        for v in violations
    )


@dataclass
class PublicPage:
    url: str  # path, e.g. /fr/traitements/chirurgie/
    language: str
    other_url: str  # the same item in the other language
    is_home: bool
    reviewed: bool  # a medical review is recorded (last_reviewed)


def public_pages() -> list[PublicPage]:
    """Every public page of the guide in both languages, from the database."""
    from neuroinfo.guide import sequence
    from neuroinfo.links import item_url
    from neuroinfo.models import GuidePage

    codes = [code for code, _name in settings.LANGUAGES]
    pages = []
    for language in codes:
        (other,) = (code for code in codes if code != language)
        pages += [
            PublicPage(
                url=item_url(item, language),
                language=language,
                other_url=item_url(item, other),
                is_home=isinstance(item, GuidePage) and item.key == item.HOME_KEY,
                reviewed=item.last_reviewed is not None,
            )
            for item in sequence()
        ]
    return pages


# A search that finds nothing in either language (no word of the guide stems to it).
NO_RESULTS_QUERY = "xylophone zzqx"
# What a report says, for the explainer's answer page (partial response).
EXPLAINER_ANSWERS = {
    "new_spots": "no",
    "size_change": "smaller",
    "size_percent": "40",
    "score_change": "lower",
    "score_percent": "60",
    "scan_clear": "no",
    "marrow_new_cells": "no",
}
# A page no route answers, in each language: the 404 page.
MISSING_PATH = "no-such-page/"


@dataclass
class PublicUrl:
    """One address a family can open, with what it shows and the status it answers."""

    url: str  # path and query, e.g. /fr/recherche/?q=chimioth%C3%A9rapie
    language: str
    label: str  # what the page is, for failure messages: "page", "search", "404"...
    status: int = 200


def all_public_urls() -> list[PublicUrl]:
    """Every address a family can reach, in both languages: each page of the guide,
    a search with results and one without, the printable guide, the feedback pages
    (the question on a page of its own, the thanks after a comment; the comment step
    answers a POST: tests/browser/test_feedback.py checks it), the response explainer
    (its form and an answer) and the 404 page.

    The accessibility, keyboard and reflow tests walk this list, so a page added to the
    guide (or a feature with its own address, listed here) is checked by all three.
    """
    from neuroinfo.explainer.address import explainer_url
    from neuroinfo.models import GuidePage, Treatment

    # The title of a published treatment always has results: it is on its own page.
    found = Treatment.objects.published().get(key="chemotherapy")
    response_page = GuidePage.objects.published().get(key="response-to-treatment")
    pages = public_pages()
    urls = [PublicUrl(p.url, p.language, "page") for p in pages]
    for language, _name in settings.LANGUAGES:
        home = next(p.url for p in pages if p.language == language and p.is_home)
        with translation.override(language):
            search = reverse("neuroinfo:search")
            feedback = reverse("neuroinfo:feedback")
            explainer = explainer_url(response_page, language)
            query = getattr(found, f"title_{language}")
            urls += [
                PublicUrl(f"{search}?{urlencode({'q': query})}", language, "search"),
                PublicUrl(
                    f"{search}?{urlencode({'q': NO_RESULTS_QUERY})}",
                    language,
                    "search, no results",
                ),
                PublicUrl(reverse("neuroinfo:print"), language, "printable guide"),
                PublicUrl(
                    f"{feedback}?{urlencode({'page': home, 'helpful': 'no'})}",
                    language,
                    "feedback question",
                ),
                PublicUrl(
                    f"{feedback}?{urlencode({'page': home, 'sent': 1})}",
                    language,
                    "feedback thanks",
                ),
                PublicUrl(f"/{language}/{MISSING_PATH}", language, "404", 404),
                PublicUrl(explainer, language, "explainer"),
                PublicUrl(
                    f"{explainer}?{urlencode(EXPLAINER_ANSWERS)}",
                    language,
                    "explainer, an answer",
                ),
            ]
    return urls


def sign_in(page, live_server, name: str) -> None:
    """Sign in to the admin as a person does, in a fresh session (tests.helpers'
    STAFF_PASSWORD)."""
    from playwright.sync_api import expect

    from tests.helpers import STAFF_PASSWORD

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.locator("#id_username").fill(name)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator('#login-form [type="submit"]').click()
    expect(page.locator("#user-tools")).to_contain_text(name)
