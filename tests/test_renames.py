"""Renaming never breaks a link: an old address answers 301 to the new one, in each
language, forever; the sitemap lists only the new one; translators cannot rename."""

import pytest

from neuroinfo.contentfiles.loader import load_tree
from neuroinfo.models import GuidePage, OldSlug, RiskFactor, Treatment
from tests.contenttree import edit
from tests.helpers import admin_save, staff_user, visible_text
from tests.test_seo import _sitemap

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
# (model, key, {language: (current address, a new slug, the new address)})
PAGES = [
    (
        Treatment,
        "surgery",
        {
            "en": (
                "/en/treatments/surgery/",
                "operations",
                "/en/treatments/operations/",
            ),
            "fr": (
                "/fr/traitements/chirurgie/",
                "operations",
                "/fr/traitements/operations/",
            ),
        },
    ),
    (
        RiskFactor,
        "age",
        {
            "en": (
                "/en/risk-factors/age/",
                "childs-age",
                "/en/risk-factors/childs-age/",
            ),
            "fr": (
                "/fr/facteurs-pris-en-compte/age/",
                "age-de-l-enfant",
                "/fr/facteurs-pris-en-compte/age-de-l-enfant/",
            ),
        },
    ),
    (
        GuidePage,
        "follow-up-care",
        {
            "en": ("/en/follow-up-care/", "after-treatment", "/en/after-treatment/"),
            "fr": ("/fr/suivi/", "apres-le-traitement", "/fr/apres-le-traitement/"),
        },
    ),
]
CASES = [
    pytest.param(model, key, lang, *urls[lang], id=f"{model.__name__}-{lang}")
    for model, key, urls in PAGES
    for lang in ("en", "fr")
]


def _change_url(item) -> str:
    return f"/admin/neuroinfo/{item._meta.model_name}/{item.pk}/change/"


@pytest.fixture
def rename(admin_client, django_capture_on_commit_callbacks):
    """Change an item's slug in the admin, committed as outside a test (so cached
    pages become stale at once)."""

    def save(item, language: str, slug: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_save(
                admin_client, _change_url(item), **{f"slug_{language}": slug}
            )
        assert response.status_code == 302, visible_text(response)[:2000]

    return save


def _moved(client, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new
    assert client.get(new).status_code == 200


@pytest.mark.parametrize(("model", "key", "lang", "old", "slug", "new"), CASES)
def test_a_renamed_page_answers_at_its_old_address_with_a_301(
    rename, client, model, key, lang, old, slug, new
):
    item = model.objects.get(key=key)
    other = "fr" if lang == "en" else "en"
    other_url = PAGES[[p[0] for p in PAGES].index(model)][2][other][0]
    assert client.get(old).status_code == 200
    rename(item, lang, slug)
    _moved(client, old, new)
    assert client.get(other_url).status_code == 200  # the other language is untouched
    assert OldSlug.objects.filter(object_id=item.pk, language=lang).count() == 1


@pytest.mark.parametrize(("model", "key", "lang", "old", "slug", "new"), CASES)
def test_the_sitemap_lists_only_the_new_address(
    rename, client, model, key, lang, old, slug, new
):
    rename(model.objects.get(key=key), lang, slug)
    entries = _sitemap(client)
    assert BASE + new in entries
    assert BASE + old not in entries
    alternates = {
        href for entry in entries.values() for href in entry["alternates"].values()
    }
    assert BASE + old not in alternates


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_old_address_leads_straight_to_the_current_one(rename, client, lang):
    surgery = Treatment.objects.get(key="surgery")
    first = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}[lang]
    prefix = first.rsplit("/", 2)[0]
    rename(surgery, lang, "operations")
    rename(surgery, lang, "surgical-care")
    for old in (first, f"{prefix}/operations/"):
        _moved(client, old, f"{prefix}/surgical-care/")  # one hop, no chain


def test_an_old_address_taken_by_another_page_shows_that_page(rename, client):
    surgery = Treatment.objects.get(key="surgery")
    chemo = Treatment.objects.get(key="chemotherapy")
    rename(surgery, "en", "operations")
    _moved(client, "/en/treatments/surgery/", "/en/treatments/operations/")
    rename(chemo, "en", "surgery")
    response = client.get("/en/treatments/surgery/")
    assert response.status_code == 200
    assert "Chemotherapy" in visible_text(response)
    _moved(client, "/en/treatments/chemotherapy/", "/en/treatments/surgery/")


def test_renaming_back_makes_the_address_current_again(rename, client):
    surgery = Treatment.objects.get(key="surgery")
    rename(surgery, "en", "operations")
    rename(surgery, "en", "surgery")
    assert client.get("/en/treatments/surgery/").status_code == 200
    _moved(client, "/en/treatments/operations/", "/en/treatments/surgery/")


def test_an_untranslated_french_address_follows_the_english_rename(rename, client):
    age = RiskFactor.objects.get(key="age")
    RiskFactor.objects.filter(pk=age.pk).update(slug_fr=None)  # French falls back
    rename(RiskFactor.objects.get(pk=age.pk), "en", "childs-age")
    _moved(
        client,
        "/fr/facteurs-pris-en-compte/age/",
        "/fr/facteurs-pris-en-compte/childs-age/",
    )


def test_an_unpublished_page_is_not_reached_by_its_old_address(rename, client):
    surgery = Treatment.objects.get(key="surgery")
    rename(surgery, "en", "operations")
    Treatment.objects.filter(pk=surgery.pk).update(status="draft")
    assert client.get("/en/treatments/surgery/").status_code == 404
    assert client.get("/en/treatments/operations/").status_code == 404


def test_the_explainer_follows_its_renamed_page(rename, client):
    page = GuidePage.objects.get(key="response-to-treatment")
    rename(page, "fr", "reponse")
    response = client.get("/fr/reponse-au-traitement/explication/?new_spots=no")
    assert response.status_code == 301
    assert response["Location"].startswith("/fr/reponse/")
    _moved(client, "/fr/reponse-au-traitement/", "/fr/reponse/")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_rename_by_load_content_redirects_too(content_copy, client, lang):
    path = content_copy / lang / "treatments" / "surgery.md"
    old_slug = {"en": "surgery", "fr": "chirurgie"}[lang]
    edit(path, f"slug: {old_slug}\n", "slug: operations\n")
    load_tree(content_copy)
    prefix = {"en": "/en/treatments", "fr": "/fr/traitements"}[lang]
    _moved(client, f"{prefix}/{old_slug}/", f"{prefix}/operations/")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_translator_cannot_change_an_address(client, lang):
    client.force_login(staff_user("translator", "Translator"))
    item = Treatment.objects.get(key="chemotherapy")
    Treatment.objects.filter(pk=item.pk).update(status="draft")  # no review step
    html = client.get(_change_url(item)).content.decode()
    assert 'name="slug_en"' not in html and 'name="slug_fr"' not in html
    response = admin_save(
        client, _change_url(item), **{f"slug_{lang}": "renamed", "title_fr": "Chimio"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.slug_en, item.slug_fr) == ("chemotherapy", "chimiotherapie")
    assert item.title_fr == "Chimio"  # the rest of the save went through
    assert not OldSlug.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "the old address keeps working"),
        ("fr", "l’ancienne adresse continue de fonctionner"),
    ],
)
def test_the_slug_field_says_the_old_address_keeps_working(
    admin_client, language, words
):
    item = Treatment.objects.get(key="surgery")
    response = admin_client.get(_change_url(item), HTTP_ACCEPT_LANGUAGE=language)
    assert words in visible_text(response)
