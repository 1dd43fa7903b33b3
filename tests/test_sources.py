"""Every fact credited: each page's sources, with title, publisher, address and date,
on the page, in its structured data and in the printed guide, in both languages."""

import datetime
import json

import pytest

from neuroinfo.models import GuidePage, ResponseCategory, Source, Treatment
from tests.dom import parse, words
from tests.helpers import visible_text

pytestmark = pytest.mark.django_db

CCS = {
    "title": "Treatments for neuroblastoma",
    "publisher": "Canadian Cancer Society",
    "url": "https://cancer.ca/en/cancer-information/cancer-types/neuroblastoma/treatment",
}
NCI = {
    "title": "Neuroblastoma Treatment (PDQ®)–Patient Version",
    "publisher": "National Cancer Institute",
    "url": "https://www.cancer.gov/types/neuroblastoma/patient/neuroblastoma-treatment-pdq",
}
SURGERY = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}
RESPONSE = {"en": "/en/response-to-treatment/", "fr": "/fr/reponse-au-traitement/"}
PRINT = {"en": "/en/guide/print/", "fr": "/fr/guide/imprimer/"}
ACCESSED = {"en": "Accessed November 30, 2026.", "fr": "Consulté le 30 novembre 2026."}
LANGUAGES = ["en", "fr"]


def _cite(item, source: dict, order: int = 0, **changes) -> Source:
    fields = {"accessed": datetime.date(2026, 11, 30), **source, **changes}
    return Source.objects.create(item=item, order=order, **fields)


def _listed(page: str) -> list[str]:
    """The text of each entry under "Sources", whitespace collapsed."""
    section = parse(page).find(data_testid="sources")
    return [li.text for li in section.find_all("li")]


def _json_ld(page: str) -> dict:
    return json.loads(parse(page).find("script", type="application/ld+json").raw_text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_lists_title_publisher_address_and_date(client, language):
    surgery = Treatment.objects.get(key="surgery")
    surgery.sources.all().delete()
    # Its sub-section (second-look surgery) has sources of its own, shown after.
    Treatment.objects.get(key="second-look-surgery").sources.all().delete()
    _cite(surgery, CCS)
    _cite(surgery, NCI, order=1, accessed=None)
    page = client.get(SURGERY[language]).content.decode()
    assert parse(page).find("h2", id="sources-heading").text == "Sources"
    assert _listed(page) == [
        words(
            f"Treatments for neuroblastoma. Canadian Cancer Society. "
            f"{ACCESSED[language]} {CCS['url']}"
        ),
        f"{NCI['title']}. National Cancer Institute. {NCI['url']}",
    ]
    # The address is the link's own text, so it shows on screen and on paper.
    sources = parse(page).find(data_testid="sources")
    link = sources.find("a", href=CCS["url"])
    assert link.text == CCS["url"] and link.get("rel") == "external"
    assert sources.has("time", datetime="2026-11-30")


@pytest.mark.parametrize("language", LANGUAGES)
def test_sources_of_the_items_inside_a_page_are_listed_once(
    client, language, django_capture_on_commit_callbacks
):
    """Sub-sections and response categories have their own sources: the page that
    shows them credits those too, after its own, each source once."""
    page_item = GuidePage.objects.get(key="response-to-treatment")
    for item in (page_item, *ResponseCategory.objects.all()):
        item.sources.all().delete()
    _cite(page_item, CCS)
    complete, partial = ResponseCategory.objects.order_by("order")[:2]
    _cite(complete, NCI)
    _cite(partial, CCS)  # already listed by the page
    _cite(partial, NCI, title="Same address, another title")
    page = client.get(RESPONSE[language]).content.decode()
    listed = _listed(page)
    assert [entry.split(".")[0] for entry in listed] == [CCS["title"], NCI["title"]]
    citations = _json_ld(page)["citation"]
    assert [c["url"] for c in citations] == [CCS["url"], NCI["url"]]

    surgery = Treatment.objects.get(key="surgery")
    second_look = Treatment.objects.get(key="second-look-surgery")
    with django_capture_on_commit_callbacks(execute=True):  # as the change commits
        for item in (surgery, second_look):
            item.sources.all().delete()
        _cite(second_look, NCI)
    listed = _listed(client.get(SURGERY[language]).content.decode())
    assert [entry.split(".")[0] for entry in listed] == [NCI["title"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_structured_data_names_the_sources(client, language):
    surgery = Treatment.objects.get(key="surgery")
    surgery.sources.all().delete()
    # Its sub-section (second-look surgery) has sources of its own, shown after.
    Treatment.objects.get(key="second-look-surgery").sources.all().delete()
    _cite(surgery, CCS)
    _cite(surgery, {"title": "A leaflet", "publisher": "", "url": ""}, order=1)
    data = _json_ld(client.get(SURGERY[language]).content.decode())
    # Named and linked; publisher and date are in the visible list, not repeated here.
    assert data["citation"] == [
        {"@type": "WebPage", "name": CCS["title"], "url": CCS["url"]},
        {"@type": "CreativeWork", "name": "A leaflet"},
    ]


def test_a_page_without_sources_shows_no_empty_list(client):
    surgery = Treatment.objects.get(key="surgery")
    surgery.sources.all().delete()
    Treatment.objects.get(key="second-look-surgery").sources.all().delete()
    page = client.get(SURGERY["en"]).content.decode()
    assert not parse(page).has(data_testid="sources")
    assert "citation" not in _json_ld(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_guide_numbers_every_source_once(client, language):
    Source.objects.all().delete()
    surgery = Treatment.objects.get(key="surgery")
    chemotherapy = Treatment.objects.get(key="chemotherapy")
    _cite(surgery, CCS)
    _cite(Treatment.objects.get(key="second-look-surgery"), NCI)
    _cite(chemotherapy, NCI)
    _cite(ResponseCategory.objects.get(key="complete-response"), CCS)
    page = client.get(PRINT[language]).content.decode()
    printed = {
        section.find("h2").get("id"): section
        for section in parse(page).find_all("section", class_="print-page")
    }
    label = {"en": "Sources:", "fr": "Sources\u00a0:"}[language]

    def numbers(anchor: str) -> list[str]:
        """The source numbers after "Sources:", each linked to its entry."""
        (line,) = [
            p
            for p in printed[anchor].find_all("p")
            if p.raw_text.strip().startswith(label)
        ]
        found = line.links()
        assert all(href == f"#source-{number}" for number, href in found)
        return [number for number, _href in found]

    assert numbers("treatment-surgery") == ["1", "2"]
    assert numbers("treatment-chemotherapy") == ["2"]
    assert numbers("page-response-to-treatment") == ["1"]
    assert words(label) not in printed["treatment-radiation-therapy"].text
    listed = _listed(page)
    assert listed == [
        f"Treatments for neuroblastoma. Canadian Cancer Society. {ACCESSED[language]} "
        f"{CCS['url']}",
        f"{NCI['title']}. National Cancer Institute. {ACCESSED[language]} {NCI['url']}",
    ]
    assert printed["print-sources"].has(id="source-1")
    contents = parse(page).find("nav", class_="print-contents")
    assert contents.has("a", href="#print-sources")  # in the guide's contents
    assert "Sources" in visible_text(client.get(PRINT[language]))
