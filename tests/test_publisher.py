"""Who stands behind the guide, and whether a medical reviewer has reviewed each page:
the publishing organisation and "who to call" from settings on every page, and the
review status said plainly, in both languages."""

import datetime
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext

from neuroinfo import organisation
from neuroinfo.models import GuidePage, RiskFactor, Treatment
from neuroinfo.settings import site_path, web_address
from tests.dom import parse, words
from tests.helpers import visible_text

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
DEFAULT_NAME = {
    "en": "Neuroblastoma family guide (demonstration)",
    "fr": "Guide sur le neuroblastome pour les familles (démonstration)",
}
DEFAULT_CALL = {
    "en": "Questions about your child's care? Call your child's care team. "
    "In an emergency, call 911.",
    "fr": "Vous avez des questions sur les soins de votre enfant? Appelez son équipe "
    "de soins. En cas d'urgence, composez le 911.",
}
ADAPTED = {
    "en": "The text is adapted from the Canadian Cancer Society and the US National "
    "Cancer Institute.",
    "fr": "Le texte est adapté de la Société canadienne du cancer et du National "
    "Cancer Institute des États-Unis.",
}
NOT_REVIEWED = {
    "en": "Not yet reviewed by a medical reviewer.",
    "fr": "Cette page n'a pas encore été révisée par une réviseure ou un réviseur "
    "médical.",
}
# Every kind of page a family can land on, the error pages and the printed guide too.
PAGES = {
    "en": [
        "/en/",
        "/en/treatments/surgery/",
        "/en/risk-factors/age/",
        "/en/response-to-treatment/",
        "/en/response-to-treatment/explainer/",
        "/en/glossary/",
        "/en/search/?q=surgery",
        "/en/no-such-page/",
        "/en/guide/print/",
    ],
    "fr": [
        "/fr/",
        "/fr/traitements/chirurgie/",
        "/fr/facteurs-pris-en-compte/age/",
        "/fr/reponse-au-traitement/",
        "/fr/reponse-au-traitement/explication/",
        "/fr/glossaire/",
        "/fr/recherche/?q=chirurgie",
        "/fr/aucune-page/",
        "/fr/guide/imprimer/",
    ],
}
EXAMPLE = {
    "name": {"en": "Children's Hospital of Example", "fr": "Hôpital d'Exemple"},
    "call": {"en": "Call the clinic at 555-0100.", "fr": ""},
    "address": {"en": "100 Example Street, Toronto ON", "fr": ""},
    "url": {
        "en": "https://hospital.example.org/",
        "fr": "https://hospital.example.org/fr/",
    },
    "logo": "favicon.svg",
}


def _json_ld(page: str) -> dict:
    return json.loads(parse(page).find("script", type="application/ld+json").raw_text)


def _printed_pages(page: str) -> dict:
    """Each page of the printed guide, by its anchor."""
    sections = parse(page).find_all("section", class_="print-page")
    return {section.find("h2").get("id"): section for section in sections}


def _text(page, testid: str) -> str:
    """The text a reader sees in the element with this data-testid."""
    return parse(page).find(data_testid=testid).text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_names_the_default_publisher_and_who_to_call(client, language):
    for path in PAGES[language]:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        page = response.content.decode()
        assert _text(page, "who-to-call") == words(DEFAULT_CALL[language]), path
        publisher = _text(page, "publisher")
        assert words(DEFAULT_NAME[language]) in publisher, path
        assert words(ADAPTED[language]) in publisher, path
        # No logo by default.
        assert not parse(page).find(data_testid="publisher").has("img")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_server_error_page_names_them_too(client, monkeypatch, language):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("neuroinfo.pages.builders.page_frame", explode)
    client.raise_request_exception = False
    response = client.get(PAGES[language][1])
    assert response.status_code == 500
    page = response.content.decode()
    assert _text(page, "who-to-call") == words(DEFAULT_CALL[language])
    assert words(DEFAULT_NAME[language]) in _text(page, "publisher")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_organisation_comes_from_settings(client, settings, language):
    settings.NEUROINFO_ORGANISATION = EXAMPLE
    path = PAGES[language][1]
    page = client.get(path).content.decode()
    publisher = parse(page).find(data_testid="publisher")
    name = EXAMPLE["name"][language]
    url = EXAMPLE["url"][language]
    assert words(name) in publisher.text
    # No French address: the English one.
    assert "100 Example Street, Toronto ON" in publisher.text
    assert (url, url) in publisher.links()  # the address, visible and linked
    logo = publisher.find("img", class_="publisher__logo")
    assert logo.get("src") == "/static/favicon.svg"
    assert logo.get("alt") == ""  # decorative: the name is written next to it
    assert _text(page, "who-to-call") == "Call the clinic at 555-0100."
    assert DEFAULT_NAME[language] not in page
    data = _json_ld(page)
    assert data["publisher"] == {
        "@type": "Organization",
        "name": name,
        "url": url,
        "logo": "http://testserver/static/favicon.svg",
        "address": "100 Example Street, Toronto ON",
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_default_publisher_in_structured_data_links_to_the_guide(client, language):
    data = _json_ld(client.get(PAGES[language][1]).content.decode())
    assert data["publisher"] == {
        "@type": "Organization",
        "name": DEFAULT_NAME[language],
        "url": f"http://testserver/{language}/",
    }


def test_the_printed_guide_names_the_organisation(client, settings):
    settings.NEUROINFO_ORGANISATION = EXAMPLE
    page = parse(client.get("/fr/guide/imprimer/"))
    cover = page.find(data_testid="print-cover")
    assert "Hôpital d'Exemple" in cover.find(data_testid="publisher").text
    assert cover.has("img", src="/static/favicon.svg")
    assert "Call the clinic at 555-0100." in cover.text


@pytest.mark.parametrize(
    "value",
    ["https://cdn.example.com/logo.png", "//cdn.example.com/logo.png", "data:x"],
)
def test_a_logo_from_another_host_is_refused(monkeypatch, value):
    monkeypatch.setenv("NEUROINFO_ORG_LOGO", value)
    with pytest.raises(ImproperlyConfigured, match="NEUROINFO_ORG_LOGO"):
        site_path("NEUROINFO_ORG_LOGO")


def test_a_logo_on_this_site_and_a_web_address_are_accepted(monkeypatch):
    monkeypatch.setenv("NEUROINFO_ORG_LOGO", "/media/logo.png")
    monkeypatch.setenv("NEUROINFO_ORG_URL", "hospital.example.org")
    assert site_path("NEUROINFO_ORG_LOGO") == "/media/logo.png"
    with pytest.raises(ImproperlyConfigured, match="NEUROINFO_ORG_URL"):
        web_address("NEUROINFO_ORG_URL")


def test_a_missing_static_logo_is_reported_and_breaks_no_page(settings):
    settings.NEUROINFO_ORGANISATION = {**EXAMPLE, "logo": "img/missing.svg"}
    errors = organisation.check_logo()
    assert [error.id for error in errors] == ["neuroinfo.E001"]
    settings.NEUROINFO_ORGANISATION = EXAMPLE
    assert organisation.check_logo() == []


class TestReviewStatus:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_page_without_a_recorded_review_says_so(self, client, language):
        Treatment.objects.filter(key="surgery").update(
            last_reviewed=None, reviewed_by="Dr. A. Martin"
        )
        page = client.get(PAGES[language][1]).content.decode()
        assert _text(page, "not-reviewed") == words(NOT_REVIEWED[language])
        assert not parse(page).has(data_testid="last-reviewed")
        assert not parse(page).has(data_testid="next-review")
        assert "Dr. A. Martin" not in page  # a name without a review implies nothing
        data = _json_ld(page)
        assert "lastReviewed" not in data and "reviewedBy" not in data

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_reviewed_page_gives_the_date_and_the_role(self, client, language):
        surgery = Treatment.objects.get(key="surgery")
        surgery.last_reviewed = datetime.date(2026, 11, 27)
        surgery.reviewed_by_role_en = "Paediatric oncologist"
        surgery.reviewed_by_role_fr = "Oncologue pédiatrique"
        surgery.save()
        response = client.get(PAGES[language][1])
        page = response.content.decode()
        assert not parse(page).has(data_testid="not-reviewed")
        role = {"en": "Paediatric oncologist", "fr": "Oncologue pédiatrique"}[language]
        assert role in _text(page, "last-reviewed")
        assert _json_ld(page)["lastReviewed"] == "2026-11-27"

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_explainer_gives_its_page_status(self, client, language):
        page = client.get(PAGES[language][4]).content.decode()
        assert _text(page, "not-reviewed") == words(NOT_REVIEWED[language])

    def test_error_and_search_pages_claim_no_status(self, client):
        for path in ("/en/no-such-page/", "/fr/recherche/?q=chirurgie"):
            page = client.get(path).content.decode()
            assert "reviewed" not in page.replace("who-to-call", ""), path

    @pytest.mark.parametrize(
        ("language", "said"),
        [("en", "This guide has not yet been reviewed by a medical reviewer."),
         ("fr", "Ce guide n'a pas encore été révisé par une réviseure ou un réviseur "
                "médical.")],
    )  # fmt: skip
    def test_the_printed_guide_says_none_was_reviewed(self, client, language, said):
        page = parse(client.get(PAGES[language][-1]))
        cover = page.find(data_testid="print-cover")
        assert cover.find(data_testid="not-reviewed").text == said
        assert not page.has(data_testid="last-reviewed")
        # Not under every page.
        for printed in page.find_all("section", class_="print-page"):
            assert not printed.has(class_="page-info__date")

    @pytest.mark.parametrize(
        ("language", "said"),
        [("en", "Some pages have not yet been reviewed by a medical reviewer; each of "
                "them says so."),
         ("fr", "Certaines pages n'ont pas encore été révisées par une réviseure ou un "
                "réviseur médical; chacune l'indique.")],
    )  # fmt: skip
    def test_the_printed_guide_says_which_pages_were_reviewed(
        self, client, language, said
    ):
        for model in (GuidePage, RiskFactor, Treatment):
            model.objects.update(last_reviewed=None)
        Treatment.objects.filter(key="surgery").update(
            last_reviewed=datetime.date(2026, 3, 2)
        )
        page = client.get(PAGES[language][-1]).content.decode()
        cover = parse(page).find(data_testid="print-cover")
        reviewed = cover.find(data_testid="last-reviewed")
        assert reviewed.find("time").get("datetime") == "2026-03-02"
        assert cover.find(data_testid="not-reviewed").text == said
        printed = _printed_pages(page)
        assert printed["treatment-surgery"].has("time", datetime="2026-03-02")
        chemotherapy = printed["treatment-chemotherapy"].text
        assert words(NOT_REVIEWED[language]) in chemotherapy


@pytest.mark.parametrize(
    ("language", "path", "phrases"),
    [("en", "/en/how-we-create-this-information/",
      ["Canadian Cancer Society", "National Cancer Institute", "{years} years",
       "911"]),
     ("fr", "/fr/comment-nous-creons-cette-information/",
      ["Société canadienne du cancer", "National Cancer Institute", "{years} ans",
       "911"])],
)  # fmt: skip
def test_the_policy_page_describes_what_the_pages_show(
    client, settings, language, path, phrases
):
    """It quotes the pages' own labels, so changing one means changing it too."""
    text = visible_text(client.get(path))
    with translation.override(language):
        labels = [
            gettext("Sources"),
            gettext("Last reviewed:").rstrip(" :\u00a0"),
            gettext("Next review due:").rstrip(" :\u00a0"),
            gettext("Not yet reviewed by a medical reviewer."),
        ]
    years = settings.REVIEW_INTERVAL_YEARS
    missing = [
        phrase
        for phrase in [*labels, *(w.format(years=years) for w in phrases)]
        if phrase not in text
    ]
    assert not missing, f"{path} does not say {missing}"
