"""The realistic reports of tests/test_explainer_reports.py, entered in the explainer's
form in a real browser and sent, with JavaScript on and off, in both languages: each
gets its answer, and what the page inferred or left out is on the page."""

import pytest

from tests.test_explainer_reports import CANNOT_TELL, REPORTS

pytestmark = pytest.mark.browser

EXPLAINER = {
    "en": "/en/response-to-treatment/explainer/",
    "fr": "/fr/reponse-au-traitement/explication/",
}


def fill_and_send(page, query: dict) -> None:
    """Choose each answer and type each number as a reader would, then send."""
    for name, value in query.items():
        radio = page.locator(f'input[type=radio][name="{name}"][value="{value}"]')
        if radio.count():
            radio.check()
        else:
            page.fill(f"#{name}", value)
    with page.expect_navigation():
        page.locator(".explainer-form__submit").click()


def check_answers(page, base: str) -> list[str]:
    wrong = []
    for language, path in EXPLAINER.items():
        for report in REPORTS:
            page.goto(base + path)
            fill_and_send(page, report.query)
            answer = page.locator("[data-testid=explainer-answer]")
            if report.answer == CANNOT_TELL:
                got = answer.get_attribute("data-outcome")
            else:
                got = answer.get_attribute("data-category")
            if got != report.answer:
                wrong.append(f"{language} {report.name}: {got}")
            inferred = page.locator("[data-testid=explainer-inferred] li").count()
            if inferred != len(report.inferred):
                wrong.append(f"{language} {report.name}: {inferred} inferred")
            left_out = page.locator(".verdict--not-applicable").count()
            if left_out != len(report.not_applicable):
                wrong.append(f"{language} {report.name}: {left_out} not applicable")
    return wrong


@pytest.mark.django_db(transaction=True)
def test_every_report_with_javascript_on(page, live_server, content, problems):
    assert check_answers(page, live_server.url) == []
    problems.assert_none()


@pytest.mark.django_db(transaction=True)
def test_every_report_with_javascript_off(browser, live_server, content):
    context = browser.new_context(java_script_enabled=False)
    try:
        assert check_answers(context.new_page(), live_server.url) == []
    finally:
        context.close()
