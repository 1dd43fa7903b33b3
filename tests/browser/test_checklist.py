"""The questions checklist and the printable guide in a real browser, in English and
French, under the strict CSP: ticks and a family's own questions survive a reload,
stay in the browser (no request carries them), print on their own, and work by
keyboard; the printable guide prints with its link addresses and today's date."""

import datetime
import json
from urllib.parse import quote, quote_plus

import pytest
from django.utils import formats, translation
from playwright.sync_api import expect

from tests.browser.helpers import describe_axe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"en": "/en/questions-to-ask/", "fr": "/fr/questions-a-poser/"}
PRINT = {"en": "/en/guide/print/", "fr": "/fr/guide/imprimer/"}
OWN = {
    "en": "Can we meet the nurse zqxjk before each visit?",
    "fr": "Pouvons-nous voir l'infirmière zqxjk avant chaque visite?",
}
TOKEN = "zqxjk"  # in the family's own question only: nothing else on the site has it
TICKED = ["q-which-treatments", "q-side-effects"]
KEYBOARD = "q-how-long"
WORDS = {
    "en": {
        "add": "Add",
        "print": "Print my questions",
        "clear": "Clear my list",
        "remove": "Remove",
        "added": "Your question was added to your list.",
        "empty": "Write a question before you add it.",
        "removed": "The question was removed from your list.",
        "cleared": "Your list was cleared.",
        "nothing": "Tick at least one question, or add your own, before you print.",
        "unsaved": "This browser cannot keep your list.",
        "print_guide": "Print this guide",
    },
    "fr": {
        "add": "Ajouter",
        "print": "Imprimer mes questions",
        "clear": "Effacer ma liste",
        "remove": "Retirer",
        "added": "Votre question a été ajoutée à votre liste.",
        "empty": "Écrivez une question avant de l'ajouter.",
        "removed": "La question a été retirée de votre liste.",
        "cleared": "Votre liste a été effacée.",
        "nothing": "Cochez au moins une question, ou ajoutez la vôtre, avant d'imprimer.",
        "unsaved": "Ce navigateur ne peut pas garder votre liste.",
        "print_guide": "Imprimer ce guide",
    },
}
# window.print opens a dialog Playwright cannot drive: count the calls instead.
STUB_PRINT = "window.__printed = 0; window.print = () => { window.__printed += 1; };"
NO_STORAGE = """Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});"""


def box(page, key: str):
    return page.locator(f"#checklist-{key}")


def own_item(page):
    return page.locator("main ol.questions li.questions__item--own")


def stored(page):
    """The list this browser keeps: one for every language."""
    raw = page.evaluate("(k) => localStorage.getItem(k)", "neuroinfo:questions")
    return json.loads(raw) if raw else None


def add_own(page, words: dict, text: str) -> None:
    page.locator("#checklist-new").fill(text)
    page.get_by_role("button", name=words["add"], exact=True).click()


def carries(request, secrets: list[str]) -> list[str]:
    """Which secrets a request carries, in its URL, headers or body, however encoded."""
    forms = {form for s in secrets for form in (s, quote(s), quote_plus(s))}
    parts = [request.url, json.dumps(request.all_headers()), request.post_data or ""]
    where = "\n".join(parts).casefold()
    return [s for s in forms if s.casefold() in where]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_checklist_stays_in_the_browser(
    page, context, live_server, content, problems, language
):
    words = WORDS[language]
    requests = []
    context.on("request", lambda request: requests.append(request))
    page.add_init_script(STUB_PRINT)
    url = live_server.url + PAGES[language]
    page.goto(url)
    expect(page.locator("main ol.questions input[type=checkbox]")).to_have_count(14)
    status = page.get_by_test_id("checklist-status")
    assert status.get_attribute("aria-live") == "polite"

    # Tick two (by their labels), refuse an empty question, add one.
    for key in TICKED:
        page.locator(f'label[for="checklist-{key}"]').click()
        expect(box(page, key)).to_be_checked()
    page.get_by_role("button", name=words["add"], exact=True).click()
    expect(page.locator(".checklist__error")).to_be_visible()
    expect(page.locator(".checklist__error")).to_have_text(words["empty"])
    expect(status).to_have_text(words["empty"])
    expect(own_item(page)).to_have_count(0)
    add_own(page, words, f"  {OWN[language]}  ")
    expect(status).to_have_text(words["added"])
    expect(page.locator(".checklist__error")).to_be_hidden()
    expect(own_item(page)).to_have_count(1)
    expect(own_item(page).locator("label")).to_have_text(OWN[language])
    expect(own_item(page).get_by_role("checkbox")).to_be_checked()
    assert page.evaluate("document.activeElement.id") == "checklist-new"

    # axe, with the checklist built and a question added.
    violations = run_axe(page)
    assert violations == [], describe_axe(url, violations)

    # A reload brings everything back.
    page.reload()
    for key in TICKED:
        expect(box(page, key)).to_be_checked()
    expect(box(page, KEYBOARD)).not_to_be_checked()
    expect(own_item(page)).to_have_count(1)
    expect(own_item(page).locator("label")).to_have_text(OWN[language])
    expect(own_item(page).get_by_role("checkbox")).to_be_checked()
    kept = stored(page)
    assert set(TICKED) <= set(kept["ticked"])
    assert [q["text"] for q in kept["own"]] == [OWN[language]]

    # "Print my questions" prints the ticked and added questions, nothing else.
    page.get_by_role("button", name=words["print"]).click()
    assert page.evaluate("window.__printed") == 1
    assert page.evaluate(
        "document.documentElement.classList.contains('checklist-printing')"
    )
    page.emulate_media(media="print")
    for key in TICKED:
        expect(page.locator(f'li[data-key="{key}"]')).to_be_visible()
    expect(own_item(page)).to_be_visible()
    expect(page.locator(f'li[data-key="{KEYBOARD}"]')).to_be_hidden()
    expect(page.locator("main ol.questions li:visible")).to_have_count(3)
    expect(page.locator("main h1")).to_be_visible()
    for hidden in (
        ".checklist__add",
        ".checklist__actions",
        ".site-header",
        ".site-footer",
    ):
        expect(page.locator(hidden)).to_be_hidden()
    expect(box(page, TICKED[0])).to_be_hidden()  # the list, not the controls
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert not page.evaluate(
        "document.documentElement.classList.contains('checklist-printing')"
    )
    expect(page.locator("main ol.questions li:visible")).to_have_count(
        15
    )  # a full print
    page.emulate_media(media="screen")

    # Keyboard only: Tab to a checkbox, see where focus is, Space ticks it.
    page.locator("main h1").click()
    for _press in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == f"checklist-{KEYBOARD}":
            break
    else:
        pytest.fail("Tab never reached the checkbox")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Space")
    expect(box(page, KEYBOARD)).to_be_checked()
    assert KEYBOARD in stored(page)["ticked"]

    # Remove the added question; it stays removed.
    own_item(page).get_by_role("button", name=words["remove"]).click()
    expect(own_item(page)).to_have_count(0)
    expect(status).to_have_text(words["removed"])
    page.reload()
    expect(own_item(page)).to_have_count(0)
    expect(box(page, KEYBOARD)).to_be_checked()

    # Clear the list: nothing ticked, nothing kept, and nothing to print.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=words["clear"]).click()
    expect(status).to_have_text(words["cleared"])
    expect(page.locator("main ol.questions input:checked")).to_have_count(0)
    assert stored(page) is None
    page.get_by_role("button", name=words["print"]).click()
    expect(status).to_have_text(words["nothing"])
    assert page.evaluate("window.__printed") == 0

    problems.assert_none()
    # Nothing of the list ever left the browser.
    assert requests, "the request listener saw nothing"
    secrets = [TOKEN, OWN[language], *TICKED, KEYBOARD]
    leaks = {r.url: found for r in requests if (found := carries(r, secrets))}
    assert leaks == {}
    assert all(r.url.startswith(live_server.url) for r in requests)
    assert all(TOKEN not in json.dumps(c) for c in context.cookies())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_without_storage_the_checklist_works_for_the_visit_and_says_so(
    page, live_server, content, problems, language
):
    words = WORDS[language]
    page.add_init_script(NO_STORAGE)
    page.goto(live_server.url + PAGES[language])
    notice = page.locator(".checklist .notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(words["unsaved"])
    page.locator(f'label[for="checklist-{TICKED[0]}"]').click()
    expect(box(page, TICKED[0])).to_be_checked()
    add_own(page, words, OWN[language])
    expect(own_item(page)).to_have_count(1)
    page.reload()
    expect(box(page, TICKED[0])).not_to_be_checked()
    expect(own_item(page)).to_have_count(0)
    problems.assert_none()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_printable_guide_prints(page, live_server, content, problems, language):
    page.add_init_script(STUB_PRINT)
    url = live_server.url + PRINT[language]
    page.goto(url)
    button = page.get_by_role("button", name=WORDS[language]["print_guide"])
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.__printed") == 1

    # Printing stamps the browser's date, written as the server writes it.
    page.evaluate(
        """() => {
          const time = document.querySelector("[data-printed-on]");
          time.setAttribute("datetime", "2000-01-01");
          time.textContent = "";
          window.dispatchEvent(new Event("beforeprint"));
        }"""
    )
    printed = page.get_by_test_id("printed-on")
    day = datetime.date.fromisoformat(printed.get_attribute("datetime"))
    assert day != datetime.date(2000, 1, 1)
    with translation.override(language):
        expect(printed).to_have_text(formats.date_format(day, "DATE_FORMAT"))

    violations = run_axe(page)
    assert violations == [], describe_axe(url, violations)

    page.emulate_media(media="print")
    expect(button).to_be_hidden()
    expect(page.get_by_test_id("site-address")).to_be_visible()
    after = page.evaluate(
        """() => [...document.querySelectorAll(".print-page:not(.sources) a[href^='http']")]
            .map((a) => getComputedStyle(a, "::after").content)"""
    )
    assert after and all("http://" in a for a in after), after[:3]
    # The sources list at the end shows each address as the link's own text.
    cited = page.evaluate(
        """() => [...document.querySelectorAll(".sources a[href^='http']")]
            .map((a) => [a.href, a.textContent, getComputedStyle(a, "::after").content])"""
    )
    assert cited and all(
        text == href and after == "none" for href, text, after in cited
    )
    address = page.evaluate(
        """() => getComputedStyle(
            document.querySelector("[data-testid=site-address]"), "::after").content"""
    )
    assert address in ("none", "normal")
    breaks = page.evaluate(
        """() => [...document.querySelectorAll(".print-page")]
            .map((s) => getComputedStyle(s).breakBefore)"""
    )
    assert len(breaks) >= 17 and set(breaks) == {"page"}
    problems.assert_none()
