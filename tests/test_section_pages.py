"""Sections as a family meets them, in English and French: the breadcrumb names the
section (and shrinks to a back-link to it on phones), each page lists the pages of its
section with its own marked, previous and next stay in the section, the start page
groups its links by section, the 404 page offers the sections, and every treatment
leads to the questions to ask."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from neuroinfo.links import ref_of
from neuroinfo.models import Section
from neuroinfo.outline.held import outline_for
from tests.dom import parse

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
HOME = {"en": "/en/", "fr": "/fr/"}
TREATMENTS = {"en": "Treatments", "fr": "Traitements"}
# The shipped guide, section by section, in reading order.
ORDER = {
    "treatment-plan": ["risk-factor:age", "risk-factor:stage", "risk-factor:risk-group",
                       "risk-factor:overall-health", "page:risk-groups-and-stages"],
    "treatments": ["treatment:surgery", "treatment:chemotherapy",
                   "treatment:radiation-therapy", "treatment:stem-cell-rescue",
                   "treatment:retinoids-and-immunotherapy", "treatment:targeted-therapy",
                   "treatment:watchful-waiting", "treatment:high-risk-treatment",
                   "page:clinical-trials"],
    "understanding-results": ["page:response-to-treatment"],
    "during-and-after-treatment": ["page:side-effects", "page:follow-up-care",
                                   "page:late-effects"],
    "tools": ["page:questions-to-ask", "page:glossary"],
    "about-this-guide": ["page:about", "page:privacy"],
}  # fmt: skip


def url(language: str, ref: str) -> str:
    return outline_for(language).urls[ref][language]


def title(language: str, ref: str) -> str:
    with translation.override(language):
        return outline_for(language).items[ref].title


def page(client, language: str, ref: str):
    response = client.get(url(language, ref))
    assert response.status_code == 200
    return parse(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_guide_is_read_section_by_section(language):
    outline = outline_for(language)
    refs = [ref_of(item) for item in outline.sequence]
    assert refs == ["page:introduction", *(r for refs in ORDER.values() for r in refs)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_breadcrumb_names_the_section_and_shrinks_to_a_back_link(client, language):
    surgery = page(client, language, "treatment:surgery")
    section = f"{HOME[language]}#section-treatments"
    trail = surgery.testid("breadcrumbs")
    assert "breadcrumb-full" in trail.classes
    assert trail.find("ol").links() == [
        (title(language, "page:introduction"), HOME[language]),
        (TREATMENTS[language], section),
    ]
    assert trail.find("li", aria_current="page").text == title(
        language, "treatment:surgery"
    )
    back = surgery.testid("breadcrumb-back")
    assert "breadcrumb-back" in back.classes
    assert back.links() == [(f"‹ {TREATMENTS[language]}", section)]
    assert back.find("span", aria_hidden="true").text == "‹"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "ref", ["treatment:surgery", "page:clinical-trials", "risk-factor:age",
            "page:glossary", "page:privacy"],
)  # fmt: skip
def test_each_page_lists_its_section_with_itself_marked(client, language, ref):
    key = next(key for key, refs in ORDER.items() if ref in refs)
    shown = page(client, language, ref)
    nav = shown.one("nav", class_="section-nav")
    heading = shown.by_id(nav["aria-labelledby"])
    assert heading.tag == "h2" and heading in list(nav.iter())
    assert heading.text == Section.objects.get(key=key).title_en if language == "en" \
        else Section.objects.get(key=key).title_fr  # fmt: skip
    assert nav.links() == [(title(language, r), url(language, r)) for r in ORDER[key]]
    current = nav.find_all(aria_current="page")
    assert [(c.tag, c.get("href")) for c in current] == [("a", url(language, ref))]
    # The page sits in its layout: the section's list, then the page itself.
    layout = shown.one("div", class_="page-layout")
    main = layout.one("div", class_="page-main")
    assert nav < main and main.has("main", id="main")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_start_page_has_no_section_list(client, language):
    home = parse(client.get(HOME[language]))
    assert not home.has(class_="section-nav")
    assert not home.has(data_testid="breadcrumbs")


def _pager(client, language: str, ref: str) -> dict:
    nav = page(client, language, ref).one_or_none(data_testid="prev-next")
    links = nav.find_all("a") if nav else []
    return {a["rel"]: (a.get("href"), a.text) for a in links}


@pytest.mark.parametrize("language", LANGUAGES)
def test_previous_and_next_stay_in_the_section(client, language):
    for refs in ORDER.values():
        for n, ref in enumerate(refs):
            found = _pager(client, language, ref)
            before = refs[n - 1] if n else None
            assert found.get("prev", (None,))[0] == (
                url(language, before) if before else None
            ), ref
            if n + 1 < len(refs):
                assert found["next"][0] == url(language, refs[n + 1]), ref


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Next section Understanding results"),
     ("fr", "Section suivante Comprendre les résultats")],
)  # fmt: skip
def test_a_sections_last_page_leads_to_the_next_section(client, language, label):
    found = _pager(client, language, "page:clinical-trials")
    assert found["next"] == (url(language, "page:response-to-treatment"), label)
    assert found["prev"][0] == url(language, "treatment:high-risk-treatment")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_guide_does_not_read_on_into_the_pages_about_it(client, language):
    """The last tools page has no next: About this guide is not reading on."""
    assert "next" not in _pager(client, language, "page:glossary")
    assert "next" not in _pager(client, language, "page:privacy")
    assert "prev" not in _pager(client, language, "treatment:surgery")
    start = _pager(client, language, "page:introduction")
    assert start == {"next": (url(language, "risk-factor:age"), start["next"][1])}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_start_page_groups_its_links_by_section(client, language):
    home = parse(client.get(HOME[language]))
    groups = home.find_all("section", data_testid="home-section")
    assert [g.find("h2")["id"] for g in groups] == [
        f"section-{key}" for key in ORDER if key != "about-this-guide"
    ]
    for group, refs in zip(groups, ORDER.values(), strict=False):
        heading = group.find("h2")
        assert group["aria-labelledby"] == heading["id"]
        assert [
            c.find("a").get("href") for c in group.find_all("li", class_="card")
        ] == [url(language, ref) for ref in refs]
    quiet = home.one("section", data_testid="home-quiet")
    assert "home-quiet" in quiet.classes
    assert quiet.find("h2")["id"] == "section-about-this-guide"
    assert not quiet.has(class_="card")
    assert quiet.find("ul", class_="link-list").links() == [
        (title(language, ref), url(language, ref)) for ref in ORDER["about-this-guide"]
    ]
    assert groups[-1] < quiet  # the quieter group comes last


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [("/en/no/such/page/", "en", "Or open a section of the guide"),
     ("/fr/aucune/page/ici/", "fr", "Ou ouvrez une section du guide")],
)  # fmt: skip
def test_the_404_page_offers_the_main_sections(client, path, language, heading):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 404
    # No outline: one query for the sections, and nothing written (a refused
    # request changes nothing, not even the cache's copy of the content generation).
    sql = [query["sql"] for query in queries]
    assert len([s for s in sql if '"neuroinfo_section"' in s]) == 1
    assert len(sql) <= 3
    assert not [s for s in sql if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    shown = parse(response)
    listed = shown.testid("not-found-sections")
    assert shown.by_id("not-found-sections-title").text == heading
    sections = Section.objects.filter(quiet=False).order_by("order")
    assert listed.links() == [
        (getattr(s, f"title_{language}"), f"{HOME[language]}#section-{s.key}")
        for s in sections
    ]
    assert len(sections) == 5


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_treatment_leads_to_the_questions_to_ask(client, language):
    questions = (title(language, "page:questions-to-ask"),
                 url(language, "page:questions-to-ask"))  # fmt: skip
    for ref in ORDER["treatments"]:
        if ref.startswith("treatment:"):
            link = page(client, language, ref).testid("questions-link")
            assert link.links() == [questions], ref


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("ref", ["page:introduction", "treatment:surgery",
                                 "page:privacy"])  # fmt: skip
def test_pages_with_sections_cost_no_query_once_the_outline_is_held(
    client, settings, django_assert_num_queries, language, ref
):
    settings.PAGE_CACHE_ENABLED = False
    assert client.get(url(language, "page:glossary")).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url(language, ref)).status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_reordered_sections_reorder_the_pages(
    client, settings, django_capture_on_commit_callbacks, language
):
    settings.PAGE_CACHE_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        tools = Section.objects.get(key="tools")
        tools.order = 0
        tools.save()
    home = parse(client.get(HOME[language]))
    ids = [g.find("h2")["id"] for g in home.find_all(data_testid="home-section")]
    assert ids[0] == "section-tools"
    start = _pager(client, language, "page:introduction")
    assert start["next"][0] == url(language, "page:questions-to-ask")
    # The last tools page now reads on into the factors.
    assert _pager(client, language, "page:glossary")["next"][0] == url(
        language, "risk-factor:age"
    )


def test_an_untranslated_section_title_says_it_is_english(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        tools = Section.objects.get(key="tools")
        tools.title_fr = ""
        tools.save()
    nav = page(client, "fr", "page:glossary").one("nav", class_="section-nav")
    heading = nav.find("h2")
    assert (heading.text, heading.get("lang")) == ("Tools", "en")
