"""The outline of the guide (built once per content generation) and the page frame
every page takes from it."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from neuroinfo import pagekeys
from neuroinfo.frame import page_frame
from neuroinfo.models import GlossaryTerm, GuidePage, RiskFactor, Section, Treatment
from neuroinfo.outline.held import outline_for
from tests.helpers import region, visible_text

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
# One page of each kind, by language: a guide page, a treatment, the response page
# (its categories and criteria) and the glossary (its terms).
PAGES = {
    "en": [
        "/en/follow-up-care/",
        "/en/treatments/surgery/",
        "/en/response-to-treatment/",
        "/en/glossary/",
    ],
    "fr": [
        "/fr/suivi/",
        "/fr/traitements/chirurgie/",
        "/fr/reponse-au-traitement/",
        "/fr/glossaire/",
    ],
}


def _committed(callbacks, change) -> None:
    """Make a content change and run what its commit runs (the new generation)."""
    with callbacks(execute=True):
        change()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("n", range(4))
def test_a_page_costs_no_query_once_the_outline_is_built(
    client, settings, django_assert_num_queries, language, n
):
    """The item, its frame, definitions, sources, questions, categories: all from
    the outline, read once per content generation."""
    settings.PAGE_CACHE_ENABLED = False
    warm = PAGES[language][(n + 1) % 4]
    assert client.get(warm).status_code == 200  # builds this language's outline
    with django_assert_num_queries(0):
        response = client.get(PAGES[language][n])
    assert response.status_code == 200
    assert region(response.content.decode(), "breadcrumbs")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_outline_is_built_once_per_generation(language, django_assert_num_queries):
    first = outline_for(language)
    with django_assert_num_queries(0):
        assert outline_for(language) is first
    assert outline_for("fr" if language == "en" else "en") is not first


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_publish_changes_the_outline_and_the_pages(
    client, settings, django_capture_on_commit_callbacks, language
):
    settings.PAGE_CACHE_ENABLED = False
    before = outline_for(language)
    surgery_page = PAGES[language][1]
    assert "Reworded" not in visible_text(client.get(surgery_page))
    chemo = Treatment.objects.get(key="chemotherapy")
    setattr(chemo, f"title_{language}", "Reworded chemotherapy")

    _committed(django_capture_on_commit_callbacks, chemo.save)
    after = outline_for(language)
    assert after is not before
    assert after.items["treatment:chemotherapy"].title == "Reworded chemotherapy"
    page = client.get(surgery_page).content.decode()
    assert "Reworded chemotherapy" in region(page, "related")

    draft = RiskFactor.objects.get(key="age")
    draft.status = "draft"
    _committed(django_capture_on_commit_callbacks, draft.save)
    assert "risk-factor:age" not in outline_for(language).items
    assert client.get(after.urls["risk-factor:age"][language]).status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_outline_holds_the_reading_order_addresses_and_special_pages(language):
    with translation.override(language):
        outline = outline_for(language)
    refs = [f"{type(i).__name__}:{i.key}" for i in outline.sequence]
    assert refs[0] == f"GuidePage:{pagekeys.HOME}"
    kinds = [ref.partition(":")[0] for ref in refs]
    # the introduction, then each section's items, the sections in their order
    placed = [outline.group(item).section for item in outline.sequence[1:]]
    runs = [s for n, s in enumerate(placed) if n == 0 or placed[n - 1] != s]
    assert runs == list(Section.objects.order_by("order", "key"))
    assert (
        len([k for k in kinds if k == "Treatment"])
        == Treatment.objects.filter(parent__isnull=True, status="published").count()
    )
    surgery = outline.urls["treatment:surgery"]
    assert surgery == {
        "en": "/en/treatments/surgery/",
        "fr": "/fr/traitements/chirurgie/",
    }
    assert outline.urls["glossary:biopsy"][language].endswith(
        "#" + ("biopsy" if language == "en" else "biopsie")
    )
    home = {"en": "/en/", "fr": "/fr/"}[language]
    assert outline.home_url == home
    assert outline.about_url and outline.privacy_url
    assert outline.glossary_url == PAGES[language][3]
    assert outline.response_url == PAGES[language][2]
    assert (
        outline.explainer_url()
        == {
            "en": "/en/response-to-treatment/explainer/",
            "fr": "/fr/reponse-au-traitement/explication/",
        }[language]
    )
    assert (
        outline.search_url() == {"en": "/en/search/", "fr": "/fr/recherche/"}[language]
    )
    assert (
        outline.print_url()
        == {"en": "/en/guide/print/", "fr": "/fr/guide/imprimer/"}[language]
    )
    # Before and after within the section: surgery opens the treatments.
    surgery = outline.items["treatment:surgery"]
    before, after = outline.around(surgery)
    treatments = outline.group(surgery).items
    assert treatments.index(surgery) == 0
    assert (before, after) == (None, treatments[1])


def test_a_draft_outline_is_built_for_each_preview_and_never_kept():
    GlossaryTerm.objects.filter(key="biopsy").update(status="draft")
    public = outline_for("en")
    drafts = outline_for("en", drafts=True)
    assert drafts is not outline_for("en", drafts=True)
    assert "glossary:biopsy" in drafts.items
    assert "glossary:biopsy" not in public.items
    assert outline_for("en") is public


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_frame_of_a_guide_page(language):
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    with translation.override(language):
        outline = outline_for(language)
        item = GuidePage.objects.get(key="follow-up-care")
        frame = page_frame(request, item=item)
        home_title = outline.home.title
    path = PAGES[language][0]
    assert frame["canonical_url"] == f"http://testserver{path}"
    assert [(a["code"], a["url"], a["current"]) for a in frame["alternates"]] == [
        ("en", PAGES["en"][0], language == "en"),
        ("fr", PAGES["fr"][0], language == "fr"),
    ]
    home = {"en": "/en/", "fr": "/fr/"}[language]
    after = {"en": "During and after treatment", "fr": "Pendant et après le traitement"}
    assert frame["breadcrumbs"] == [
        (home_title, home),
        (after[language], f"{home}#section-during-and-after-treatment"),
    ]
    assert frame["about_url"] == outline.about_url
    assert frame["privacy_url"] == outline.privacy_url
    assert (frame["previous"], frame["next"]) == outline.around(item)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_frame_of_a_page_that_shows_no_item(language):
    """As search and the explainer call it: their own address, a trail, no canonical
    address for an answered form; the start of the guide always leads the trail."""
    GuidePage.objects.filter(key=pagekeys.HOME).update(status="draft")
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    with translation.override(language):
        frame = page_frame(
            request,
            url_in=lambda code: f"/{code}/somewhere/",
            canonical=False,
            trail=[("Response", "/r/")],
            start=True,
        )
        start = "Start of the guide" if language == "en" else "Début du guide"
    assert frame["canonical_url"] == ""
    assert frame["breadcrumbs"] == [
        (start, {"en": "/en/", "fr": "/fr/"}[language]),
        ("Response", "/r/"),
    ]
    assert "previous" not in frame and "next" not in frame
    assert [a["absolute_url"] for a in frame["alternates"]] == [
        "http://testserver/en/somewhere/",
        "http://testserver/fr/somewhere/",
    ]
