"""Sitemap, robots.txt, JSON-LD, descriptions and Open Graph: what search engines and
link previews read, checked in both languages against the pages themselves."""

import datetime
import html
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from neuroinfo import guide
from neuroinfo.contentfiles.loader import LoadFailed, load_tree
from neuroinfo.explainer.address import explainer_url
from neuroinfo.links import item_url
from neuroinfo.models import GlossaryTerm, GuidePage, ResponseCategory, Treatment
from tests.contenttree import edit
from tests.dom import parse
from tests.helpers import NBSP, admin_save, empty_cache

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
BASE = "http://testserver"
SITE = {"en": "Treatments for neuroblastoma", "fr": "Traitements du neuroblastome"}
CONDITION = {"en": "Neuroblastoma", "fr": "Neuroblastome"}
OG_LOCALE = {"en": "en_CA", "fr": "fr_CA"}


def _sitemap(client) -> dict[str, dict]:
    """Each sitemap entry by its loc: its lastmod and its alternates by hreflang."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own test response)
    entries: dict[str, dict] = {}
    locs = []
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        locs.append(loc)
        entries[loc] = {
            "lastmod": url.findtext("sm:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", NS)
                if link.get("rel") == "alternate"
            },
        }
    assert len(locs) == len(set(locs)), "an address is listed twice"
    return entries


def _expected_pages() -> list[dict[str, str]]:
    """Every published page, and the explainer's form, by language (absolute URLs)."""
    pages = []
    for item in guide.sequence():
        pages.append({code: BASE + item_url(item, code) for code in LANGUAGES})
        if item.key == "response-to-treatment":
            pages.append({code: BASE + explainer_url(item, code) for code in LANGUAGES})
    return pages


def _json_ld(response) -> dict:
    blocks = parse(response).find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return json.loads(blocks[0].raw_text)


def _meta(response, attribute: str, name: str) -> list[str]:
    """The content of every meta tag with this name (or property)."""
    return [
        meta.get("content").replace(NBSP, " ")
        for meta in parse(response).find_all("meta", **{attribute: name})
    ]


def _ids(response) -> set[str]:
    return {element.get("id") for element in parse(response).find_all(id=True)}


def _content_pages() -> list[tuple[str, str]]:
    """(language, path) of every published content page."""
    return [
        (code, item_url(item, code)) for item in guide.sequence() for code in LANGUAGES
    ]


class TestSitemap:
    def test_every_published_page_is_listed_once_in_each_language(self, client):
        entries = _sitemap(client)
        expected = {url for page in _expected_pages() for url in page.values()}
        assert set(entries) == expected
        assert f"{BASE}/en/treatments/surgery/" in entries
        assert f"{BASE}/fr/traitements/chirurgie/" in entries

    def test_search_print_anchors_and_previews_are_not_listed(self, client):
        for loc in _sitemap(client):
            path = urlsplit(loc).path
            assert "#" not in loc
            assert not re.search(r"/(search|recherche|preview)/", path), loc
            assert "/print/" not in path and "/imprimer/" not in path, loc

    def test_every_address_answers_200(self, client):
        for loc in _sitemap(client):
            response = client.get(urlsplit(loc).path)
            assert response.status_code == 200, loc

    def test_alternates_point_at_the_twin_and_x_default_at_english(self, client):
        entries = _sitemap(client)
        for page in _expected_pages():
            for code in LANGUAGES:
                alternates = entries[page[code]]["alternates"]
                assert alternates == {
                    "en": page["en"],
                    "fr": page["fr"],
                    "x-default": page["en"],
                }
        surgery = entries[f"{BASE}/en/treatments/surgery/"]["alternates"]
        assert surgery["fr"] == f"{BASE}/fr/traitements/chirurgie/"
        twin = entries[f"{BASE}/fr/traitements/chirurgie/"]["alternates"]
        assert twin["en"] == f"{BASE}/en/treatments/surgery/"

    def test_lastmod_is_the_items_update_date(self, client):
        entries = _sitemap(client)
        surgery = Treatment.objects.get(key="surgery")
        for code in LANGUAGES:
            lastmod = entries[BASE + item_url(surgery, code)]["lastmod"]
            assert datetime.date.fromisoformat(lastmod) == surgery.updated_at.date()
        for entry in entries.values():
            datetime.date.fromisoformat(entry["lastmod"])

    def test_a_draft_is_absent(self, client, django_capture_on_commit_callbacks):
        surgery = Treatment.objects.get(key="surgery")
        urls = {BASE + item_url(surgery, code) for code in LANGUAGES}
        assert urls <= set(_sitemap(client))  # and now in the page cache
        with django_capture_on_commit_callbacks(execute=True):
            surgery.status = "draft"  # unpublished: every cached page goes stale
            surgery.save()
        entries = _sitemap(client)
        assert not urls & set(entries)
        for entry in entries.values():
            assert not urls & set(entry["alternates"].values())

    def test_uses_the_requests_host_and_is_public_xml(self, client, settings):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "guide.example.org"]
        response = client.get("/sitemap.xml", HTTP_HOST="guide.example.org")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/xml")
        assert "public" in response["Cache-Control"]
        root = ET.fromstring(response.content)  # noqa: S314 (our own test response)
        locs = [u.findtext("sm:loc", namespaces=NS) for u in root.findall("sm:url", NS)]
        assert locs and all(loc.startswith("http://guide.example.org/") for loc in locs)


class TestRobots:
    def test_lines(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "public" in response["Cache-Control"]
        lines = response.content.decode().splitlines()
        assert lines[:2] == ["User-agent: *", "Allow: /"]
        for path in [
            "/admin/",
            "/en/search/",
            "/fr/recherche/",
            "/en/preview/",
            "/fr/preview/",
            "/en/feedback/",
            "/fr/commentaires/",
        ]:
            assert f"Disallow: {path}" in lines
        assert f"Sitemap: {BASE}/sitemap.xml" in lines
        assert not any(line == "Disallow: /" for line in lines)


class TestStructuredData:
    def test_every_content_page_has_a_medical_web_page(self, client):
        for code, path in _content_pages():
            response = client.get(path)
            data = _json_ld(response)
            assert data["@context"] == "https://schema.org"
            assert data["@type"] == "MedicalWebPage"
            assert data["url"] == BASE + path
            assert data["inLanguage"] == code
            assert data["about"] == {
                "@type": "MedicalCondition",
                "name": CONDITION[code],
            }
            assert {a["audienceType"] for a in data["audience"]} == {
                "Patient",
                "Caregiver",
            }
            assert all(a["@type"] == "MedicalAudience" for a in data["audience"])
            assert data["isPartOf"]["@type"] == "WebSite"
            assert data["isPartOf"]["name"] == SITE[code]
            assert data["isPartOf"]["url"] == f"{BASE}/{code}/"
            title = parse(response).find("title").text
            assert title.startswith(data["name"])

    def test_properties_follow_the_item_in_each_language(self, client):
        surgery = Treatment.objects.get(key="surgery")
        surgery.last_reviewed = datetime.date(2026, 11, 27)
        surgery.save()
        for code in LANGUAGES:
            with translation.override(code):
                title, summary = surgery.title, surgery.summary
            data = _json_ld(client.get(item_url(surgery, code)))
            assert data["name"] == title
            assert data["description"] == summary
            assert data["lastReviewed"] == surgery.last_reviewed.isoformat()

    def test_breadcrumb_matches_the_visible_trail(self, client):
        for _code, path in _content_pages():
            response = client.get(path)
            data = _json_ld(response)
            trail = parse(response).find_all(data_testid="breadcrumbs")
            if not trail:
                assert "breadcrumb" not in data, path
                continue
            crumbs = trail[0].links()
            current = trail[0].find("li", aria_current="page").text
            steps = data["breadcrumb"]["itemListElement"]
            assert [(s["position"], s["name"], s["item"]) for s in steps] == [
                *((n, label, BASE + url) for n, (label, url) in enumerate(crumbs, 1)),
                (len(crumbs) + 1, current, BASE + path),
            ]

    def test_reviewer_and_review_date_when_recorded(self, client):
        surgery = Treatment.objects.get(key="surgery")
        Treatment.objects.filter(pk=surgery.pk).update(
            reviewed_by="Dr. Ada Tremblay",
            reviewed_by_role_en="Paediatric oncologist",
            reviewed_by_role_fr="Oncologue pédiatre",
            last_reviewed=datetime.date(2026, 3, 4),
        )
        role = {"en": "Paediatric oncologist", "fr": "Oncologue pédiatre"}
        for code in LANGUAGES:
            data = _json_ld(client.get(item_url(surgery, code)))
            assert data["lastReviewed"] == "2026-03-04"
            assert data["reviewedBy"] == {
                "@type": "Person",
                "name": "Dr. Ada Tremblay",
                "jobTitle": role[code],
            }
        Treatment.objects.filter(pk=surgery.pk).update(
            reviewed_by="", last_reviewed=None
        )
        empty_cache()  # update() skips the signals that expire cached pages
        data = _json_ld(client.get(item_url(surgery, "en")))
        assert "reviewedBy" not in data and "lastReviewed" not in data

    def test_response_page_describes_its_categories(self, client):
        page = GuidePage.objects.get(key="response-to-treatment")
        categories = list(ResponseCategory.objects.published())
        assert categories
        for code in LANGUAGES:
            response = client.get(item_url(page, code))
            data, ids = _json_ld(response), _ids(response)
            with translation.override(code):
                names = [c.title for c in categories]
            parts = data["hasPart"]
            assert [p["name"] for p in parts] == names
            for part, category in zip(parts, categories, strict=True):
                assert part["@type"] == "DefinedTerm"
                assert part["description"]
                # An anchor on this page, resolved against the page's address.
                anchor = item_url(category, code).partition("#")[2]
                assert part["url"] == f"#{anchor}"
                assert anchor in ids

    def test_glossary_page_is_a_defined_term_set(self, client):
        page = GuidePage.objects.get(key="glossary")
        for code in LANGUAGES:
            response = client.get(item_url(page, code))
            data, ids = _json_ld(response), _ids(response)
            term_set = data["mainEntity"]
            assert term_set["@type"] == "DefinedTermSet"
            with translation.override(code):
                published = guide.glossary_terms()
                expected = {
                    "#" + item_url(t, code).partition("#")[2]: t.title
                    for t in published
                }
            terms = term_set["hasDefinedTerm"]
            assert len(terms) == len(published) > 10
            assert {t["url"]: t["name"] for t in terms} == expected
            for term in terms:
                assert term["@type"] == "DefinedTerm"
                assert term["url"][1:] in ids
                # Named and linked: the entry on the page holds the definition.
                assert "description" not in term

    def test_a_draft_term_is_not_in_the_set(self, client):
        term = GlossaryTerm.objects.published().first()
        GlossaryTerm.objects.filter(pk=term.pk).update(status="draft")
        page = GuidePage.objects.get(key="glossary")
        data = _json_ld(client.get(item_url(page, "en")))
        urls = [t["url"] for t in data["mainEntity"]["hasDefinedTerm"]]
        assert "#" + item_url(term, "en").partition("#")[2] not in urls
        assert term.title not in [
            t["name"] for t in data["mainEntity"]["hasDefinedTerm"]
        ]

    def test_text_cannot_close_the_script(self, client):
        surgery = Treatment.objects.get(key="surgery")
        name = "Dr. A </script><script>alert(1)</script> & B"
        Treatment.objects.filter(pk=surgery.pk).update(
            reviewed_by=name, last_reviewed=datetime.date(2026, 11, 27)
        )
        page = parse(client.get(item_url(surgery, "en")))
        block = page.find("script", type="application/ld+json").raw_text
        assert "<" not in block and ">" not in block and "&" not in block
        assert "\\u003C/script\\u003E" in block
        assert json.loads(block)["reviewedBy"]["name"] == name


class TestDescriptions:
    def test_title_pattern(self, client):
        surgery = Treatment.objects.get(key="surgery")
        for code, expected in [
            ("en", "Surgery – Treatments for neuroblastoma"),
            ("fr", "Chirurgie – Traitements du neuroblastome"),
        ]:
            page = parse(client.get(item_url(surgery, code)))
            assert page.find("title").text == expected

    def test_every_content_page_describes_itself_from_its_summary(self, client):
        for item in guide.sequence():
            for code in LANGUAGES:
                with translation.override(code):
                    summary = item.summary
                response = client.get(item_url(item, code))
                assert _meta(response, "name", "description") == [summary], item.key
                assert _meta(response, "property", "og:description") == [summary]

    def test_the_editors_override_wins_in_its_language(self, client):
        surgery = Treatment.objects.get(key="surgery")
        Treatment.objects.filter(pk=surgery.pk).update(
            meta_description_fr="Chirurgie du neuroblastome : ce qu'il faut savoir."
        )
        fr = client.get(item_url(surgery, "fr"))
        text = "Chirurgie du neuroblastome : ce qu'il faut savoir."
        assert _meta(fr, "name", "description") == [text]
        assert _json_ld(fr)["description"] == text
        assert "neuroblastome\u00a0:" in html.unescape(fr.content.decode())
        en = client.get(item_url(surgery, "en"))
        assert _meta(en, "name", "description") == [surgery.summary_en]

    def test_the_admin_form_has_the_field_and_enforces_the_length(
        self, admin_client, client
    ):
        surgery = Treatment.objects.get(key="surgery")
        url = f"/admin/neuroinfo/treatment/{surgery.pk}/change/"
        form = parse(admin_client.get(url))
        for code in LANGUAGES:
            assert form.has(name=f"meta_description_{code}")
        assert (
            form.find(name="summary_en")
            < form.find(name="meta_description_en")
            < form.find(name="key_points_en")
        )
        response = admin_save(admin_client, url, meta_description_en="x" * 161)
        assert response.status_code == 200
        assert "at most 160 characters (it has 161)" in response.content.decode()
        assert not Treatment.objects.get(pk=surgery.pk).meta_description_en
        response = admin_save(admin_client, url, meta_description_en="Short and clear.")
        assert response.status_code == 302
        page = client.get(item_url(surgery, "en"))
        assert _meta(page, "name", "description") == ["Short and clear."]


class TestContentFiles:
    def test_override_loads_and_is_enforced(self, tmp_path):
        shutil.copytree(settings.CONTENT_DIR, tmp_path, dirs_exist_ok=True)
        path = tmp_path / "fr/treatments/surgery.md"
        edit(
            path,
            "\nsummary: ",
            "\nmeta_description: Une description courte.\nsummary: ",
        )
        load_tree(tmp_path)
        assert (
            Treatment.objects.get(key="surgery").meta_description_fr
            == "Une description courte."
        )
        edit(path, "Une description courte.", "x" * 161)
        with pytest.raises(LoadFailed) as failure:
            load_tree(tmp_path)
        assert "'meta_description' is 161 characters long" in str(failure.value.errors)

    def test_round_trip_stays_byte_identical(self, tmp_path):
        call_command("export_content", str(tmp_path), stdout=io.StringIO())
        for path in settings.CONTENT_DIR.rglob("*.md"):
            rel = path.relative_to(settings.CONTENT_DIR)
            exported = tmp_path / rel
            if exported.exists():
                assert exported.read_bytes() == path.read_bytes(), rel
        assert "meta_description" not in (
            tmp_path / "en/treatments/surgery.md"
        ).read_text(encoding="utf-8")


class TestOpenGraph:
    @pytest.mark.parametrize("code", LANGUAGES)
    def test_tags_on_a_treatment_and_home(self, client, code):
        surgery = Treatment.objects.get(key="surgery")
        home = GuidePage.objects.get(key=GuidePage.HOME_KEY)
        other = "fr" if code == "en" else "en"
        for item, kind in [(surgery, "article"), (home, "website")]:
            path = item_url(item, code)
            response = client.get(path)
            with translation.override(code):
                title = item.title
            assert _meta(response, "property", "og:title") == [title]
            assert _meta(response, "property", "og:type") == [kind]
            assert _meta(response, "property", "og:url") == [BASE + path]
            assert _meta(response, "property", "og:locale") == [OG_LOCALE[code]]
            assert _meta(response, "property", "og:locale:alternate") == [
                OG_LOCALE[other]
            ]
            assert _meta(response, "property", "og:site_name") == [SITE[code]]
            canonical = parse(response).find("link", rel="canonical").get("href")
            assert canonical == BASE + path
