"""Boundaries meet: criteria that mirror each other across categories (partial
response's "over 30% smaller" and stable disease's "30% or less") share their threshold
and split it exactly, every complete report's answer agrees with each criterion's met /
not met, and the admin warns, naming the other criterion and its value, when a save
breaks a pair."""

import html as htmllib
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from neuroinfo.explainer.engine import CATEGORY, explain, published_categories
from neuroinfo.implications import conflicts
from neuroinfo.mirrors import mirrors, mismatch_warnings
from neuroinfo.models import ResponseCategory, ResponseCriterion
from tests.helpers import NBSP, admin_save, visible_text
from tests.test_explainer_engine import KNOWN
from tests.test_threshold_placeholders import (
    BODY_LINE,
    KEY_POINT,
    PERCENT,
    PLACEHOLDER,
    PRINT,
    RESPONSE_PAGE,
    SEARCH,
    _change_url,
    _partial,
    _section,
    _structured_summary,
    _words,
    _write_placeholders,
)

pytestmark = pytest.mark.django_db

FRENCH = "fr-CA,fr;q=0.9"


def test_the_shipped_mirrored_pairs_meet_exactly():
    pairs = {
        tuple(sorted((criterion.key, other.key)))
        for criterion in ResponseCriterion.objects.all()
        for other in mirrors(criterion)
    }
    assert pairs == {
        ("pr-all-tumours", "sd-all-tumours"),
        ("pr-bone-metastases", "sd-mibg-pet"),
        ("pd-tumour-growth", "sd-small-growth"),
    }
    for criterion in ResponseCriterion.objects.all():
        assert mismatch_warnings(criterion) == [], criterion.key


def test_every_complete_report_agrees_with_each_criterion():
    """The answer's own criteria are met (every one that applies for "all", at least
    one for "any" and for the catch-all), and each category before it has not got what
    it needs: no value where the answer and a criterion disagree."""
    categories = published_categories()

    @settings(
        max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(KNOWN)
    def check(report):
        if conflicts(report):
            return
        result = explain(report, categories)
        assert result.outcome == CATEGORY
        for found in result.results:
            applying = [v.met for v in found.verdicts if v.applicable is not False]
            if found.category == result.category:
                if found.category.match == ResponseCategory.Match.ALL:
                    assert applying and all(applying)
                else:
                    assert True in applying, found.category.key
                return
            if found.category.match == ResponseCategory.Match.ALL:
                assert False in applying
            else:
                assert True not in applying

    check()


def _url(key: str) -> str:
    model = ResponseCriterion if key.startswith(("pr-", "sd-", "pd-", "cr-")) else None
    pk = model.objects.get(key=key).pk
    return f"/admin/neuroinfo/responsecriterion/{pk}/change/"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "“pr-all-tumours” mirrors “sd-all-tumours” (Stable disease), which says "
            "“at most 30%”. Change “sd-all-tumours” to “at most 25%” too, so that "
            "every value meets exactly one of the two.",
        ),
        (
            FRENCH,
            f"« pr-all-tumours » est le miroir de « sd-all-tumours » (Maladie stable), "
            f"qui dit « au plus 30{NBSP}% ». Changez aussi « sd-all-tumours » pour "
            f"« au plus 25{NBSP}% »",
        ),
    ],
)
def test_changing_one_of_a_pair_warns_and_names_the_other(
    admin_client, language, expected
):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = admin_save(admin_client, _url("pr-all-tumours"), threshold="25")
    assert response.status_code == 302
    assert ResponseCriterion.objects.get(key="pr-all-tumours").threshold == 25
    listing = admin_client.get(response.url)
    page = visible_text(listing)
    assert expected.replace(NBSP, " ") in page, page[:2000]
    # The warning offers the other criterion's form, to change it too.
    other = ResponseCriterion.objects.get(key="sd-all-tumours").pk
    html = listing.content.decode()
    messages = html[html.index('class="messagelist"') :]
    messages = messages[: messages.index("</ul>")]
    assert f'href="/admin/neuroinfo/responsecriterion/{other}/change/"' in messages
    # Changing the other one too: the pair meets again, and nothing is said.
    response = admin_save(admin_client, _url("sd-all-tumours"), threshold="25")
    assert response.status_code == 302
    page = visible_text(admin_client.get(response.url))
    assert "mirrors" not in page and "miroir" not in page


def test_a_change_in_the_category_form_warns_too(admin_client):
    category = ResponseCategory.objects.get(key="stable-disease")
    url = f"/admin/neuroinfo/responsecategory/{category.pk}/change/"
    rows = list(category.criteria.order_by("order", "key"))
    index = [row.key for row in rows].index("sd-mibg-pet")
    response = admin_save(admin_client, url, **{f"criteria-{index}-comparison": "lte"})
    assert response.status_code == 302, visible_text(response)[:3000]
    assert ResponseCriterion.objects.get(key="sd-mibg-pet").comparison == "lte"
    page = visible_text(admin_client.get(response.url))
    assert "“sd-mibg-pet” mirrors “pr-bone-metastases” (Partial response)" in page
    assert Decimal(50) == ResponseCriterion.objects.get(key="sd-mibg-pet").threshold


@pytest.mark.parametrize(
    ("language", "partial", "stable"),
    [
        (
            "en",
            "The summary, key points or text of “Partial response” still write 30%: "
            "update them to match the new threshold.",
            "of “Stable disease” still write 30%",
        ),
        (
            FRENCH,
            "Le résumé, les points clés ou le texte de « Réponse partielle » indiquent "
            "encore 30 % : mettez-les à jour selon le nouveau seuil.",
            "de « Maladie stable » indiquent encore 30 %",
        ),
    ],
)
def test_a_new_threshold_names_the_texts_that_still_write_the_old_one(
    admin_client, language, partial, stable
):
    """The shipped texts write {threshold:key}; an editor who writes the number itself
    is told when it no longer matches."""
    ResponseCategory.objects.filter(key="partial-response").update(
        summary_en="Every tumour has shrunk by more than 30%."
    )
    ResponseCategory.objects.filter(key="stable-disease").update(
        body_fr="Les tumeurs ont diminué d'au plus 30\u00a0%."
    )
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = admin_save(admin_client, _url("pr-all-tumours"), threshold="25")
    assert response.status_code == 302
    page = visible_text(admin_client.get(response.url))
    assert partial in page and stable in page, page[:3000]
    assert "Complete response" not in page.split("Select criterion")[0]
    # A change that leaves the number alone says nothing about the texts.
    response = admin_save(admin_client, _url("cr-bone-marrow"), order="4")
    page = visible_text(admin_client.get(response.url))
    assert "still write" not in page and "indiquent encore" not in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_new_threshold_changes_the_number_in_every_text_that_names_it(
    admin_client, client, language, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # rendered on commit
        _write_placeholders(admin_client)
    criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_save(admin_client, _change_url(criterion), threshold="40")
    assert response.status_code == 302
    forty, thirty = PERCENT[language].format(40), PERCENT[language].format(30)
    slug = getattr(_partial(), f"slug_{language}")

    # The public page: the key points and body, and the summary in its structured data.
    html = htmllib.unescape(client.get(RESPONSE_PAGE[language]).content.decode())
    assert not PLACEHOLDER.search(html)
    section = _section(html, slug)
    key_point = KEY_POINT[language].replace("{threshold:pr-all-tumours}", forty)
    body_line = BODY_LINE[language].replace("{threshold:pr-all-tumours}", forty)
    assert key_point in section, section
    assert body_line in section, section
    # (plain text: its spaces are plain ones)
    summary = _structured_summary(html, slug).replace(" ", NBSP)
    assert forty in summary and thirty not in summary.split("MIBG")[0], summary

    # Search: the category's snippet writes the new number.
    query = {"en": "partial response shrunk", "fr": "réponse partielle diminué"}
    found = client.get(SEARCH[language], {"q": query[language]}).content.decode()
    assert not PLACEHOLDER.search(found)
    snippets = re.findall(r'<p class="search-result__snippet">(.*?)</p>', found, re.S)
    plain = [re.sub(r"<[^>]+>", "", snippet) for snippet in snippets]
    assert any(forty in snippet for snippet in plain), plain

    # The printable guide: the category's key points and body.
    printed = htmllib.unescape(client.get(PRINT[language]).content.decode())
    assert not PLACEHOLDER.search(printed)
    assert key_point in _words(printed) and body_line in _words(printed)
