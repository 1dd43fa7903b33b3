"""No number in the words can drift from the data: a category's summary, key points
and body write a criterion's threshold as ``{threshold:key}``, and every place that
shows or indexes the text (the page, its structured data, search, the printable guide,
reading scores) writes the row's number as its language does. An unknown key is
refused by the admin and by the content files; one that reaches the database anyway
never shows raw, nor breaks a page."""

import html as htmllib
import json
import logging
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import DataError, connection, transaction
from django.utils import translation

from neuroinfo.contentfiles.loader import LoadFailed, load_tree
from neuroinfo.models import GuidePage, ResponseCategory, ResponseCriterion
from neuroinfo.rerender import rerender_all
from tests.helpers import NBSP, admin_save, visible_text

pytestmark = pytest.mark.django_db

FRENCH = "fr-CA,fr;q=0.9"
RESPONSE_PAGE = {"en": "/en/response-to-treatment/", "fr": "/fr/reponse-au-traitement/"}
SEARCH = {"en": "/en/search/", "fr": "/fr/recherche/"}
PRINT = {"en": "/en/guide/print/", "fr": "/fr/guide/imprimer/"}
PERCENT = {"en": "{}%", "fr": "{}" + NBSP + "%"}
# Words each language's key point and body add around the placeholder.
KEY_POINT = {
    "en": "Every tumour is more than {threshold:pr-all-tumours} smaller",
    "fr": "Chaque tumeur a diminué de plus de {threshold:pr-all-tumours}",
}
BODY_LINE = {
    "en": "A tumour must shrink by over {threshold:pr-all-tumours} of its size.",
    "fr": "Une tumeur doit diminuer de plus de {threshold:pr-all-tumours} de sa taille.",
}
PLACEHOLDER = re.compile(r"\{threshold")


def _change_url(obj) -> str:
    name = obj._meta.model_name
    return f"/admin/neuroinfo/{name}/{obj.pk}/change/"


def _partial() -> ResponseCategory:
    return ResponseCategory.objects.get(key="partial-response")


def _section(html: str, anchor: str) -> str:
    """One category's section of the response page."""
    opening = '<section class="section response" aria-labelledby="'
    start = html.index(f'{opening}{anchor}"')
    end = html.find(opening, start + 1)
    return _words(html[start : end if end > 0 else len(html)])


def _words(html: str) -> str:
    """Text without tags (a glossary term's link splits a sentence), non-breaking
    spaces kept."""
    return re.sub(r"[ \n\t]+", " ", re.sub(r"<[^>]+>", "", html))


def _write_placeholders(admin_client) -> None:
    """An editor writes the threshold by key in the key points and body, both
    languages (the admin accepts a known key)."""
    category = _partial()
    response = admin_save(
        admin_client,
        _change_url(category),
        key_points_en=KEY_POINT["en"],
        key_points_fr=KEY_POINT["fr"],
        body_en=f"{category.body_en}\n\n{BODY_LINE['en']}",
        body_fr=f"{category.body_fr}\n\n{BODY_LINE['fr']}",
    )
    assert response.status_code == 302, visible_text(response)[:3000]


def _structured_summary(html: str, slug: str) -> str:
    data = json.loads(
        re.search(r'type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    parts = data["hasPart"] if "hasPart" in data else data["@graph"][0]["hasPart"]
    return next(part for part in parts if part["url"].endswith(f"#{slug}"))[
        "description"
    ]


def test_the_shipped_texts_write_every_threshold_by_key():
    """No response category's words (summary, key points, body, either language) write a
    number with a unit: each threshold is ``{threshold:key}``, filled from its row."""
    found = []
    for category in ResponseCategory.objects.all():
        for name in ("summary", "key_points", "body"):
            for code, _name in settings.LANGUAGES:
                text = getattr(category, f"{name}_{code}") or ""
                found += re.findall(r"\d+(?:[.,]\d+)?[ \u00a0]?(?:%|mm)\b|\d+ ?%", text)
    assert found == []
    assert "{threshold:pr-all-tumours}" in _partial().summary_en


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Partial response means every tumour has shrunk by more than 30%."),
        ("fr", f"chaque tumeur a diminué de plus de 30{NBSP}%,"),
    ],
)
def test_the_shipped_summaries_show_the_rows_numbers(
    client, language, expected, django_capture_on_commit_callbacks
):
    html = client.get(RESPONSE_PAGE[language]).content.decode()
    summary = _structured_summary(html, getattr(_partial(), f"slug_{language}"))
    assert expected.replace(NBSP, " ") in summary
    body = GuidePage.objects.get(key="response-to-treatment")
    assert PERCENT[language].format(50) in htmllib.unescape(
        getattr(body, f"body_html_{language}")
    )
    # They follow the rows: a value written straight to the database, bodies rendered
    # again (as every admin save and load does), is what the summary and body say.
    ResponseCriterion.objects.filter(key="pr-all-tumours").update(threshold=35)
    ResponseCriterion.objects.filter(key="pr-bone-metastases").update(threshold=45)
    with django_capture_on_commit_callbacks(execute=True):  # the cache is told
        rerender_all()
    html = client.get(RESPONSE_PAGE[language]).content.decode()
    summary = _structured_summary(html, getattr(_partial(), f"slug_{language}"))
    assert expected.replace("30", "35").replace(NBSP, " ") in summary
    body = GuidePage.objects.get(key="response-to-treatment")
    assert PERCENT[language].format(45) in htmllib.unescape(
        getattr(body, f"body_html_{language}")
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "No criterion with a threshold has the key given in {threshold:pr-nope}",
        ),
        (
            FRENCH,
            "Aucun critère avec un seuil n’a la clé indiquée dans {threshold:pr-nope}",
        ),
    ],
)
@pytest.mark.parametrize("field", ["summary_fr", "key_points_en", "body_en"])
def test_the_admin_refuses_an_unknown_key_at_its_field(
    admin_client, language, message, field
):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    category = _partial()
    before = getattr(category, field)
    response = admin_save(
        admin_client, _change_url(category), **{field: "Over {threshold:pr-nope}."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(
        rf'<div class="[^"]*field-{field}[^"]*">.*?<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>',
        html,
        re.S,
    )
    assert errors and message in page_text_of(errors[1]), html[:200]
    assert getattr(_partial(), field) == before
    # A criterion without a threshold is no better: it has no number to write.
    response = admin_save(
        admin_client,
        _change_url(category),
        **{field: "No {threshold:pr-no-new-metastases}."},
    )
    assert response.status_code == 200
    assert getattr(_partial(), field) == before


def page_text_of(fragment: str) -> str:
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def _line_with(path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("en/response/partial-response.md", "{threshold:pr-all-tumours}.", "{threshold:pr-all}."),
        ("fr/response/stable-disease.md", "{threshold:pd-tumour-growth} ou plus", "{threshold:pd-growth} ou plus"),
        ("fr/pages/response-to-treatment.md", "{threshold:pr-bone-metastases}", "{threshold:pr-bone}"),
        ("fr/risk-factors/stage.md", "- Le système le plus", "- Selon {threshold:cr-nope}, le système le plus"),
        ("en/glossary/target-lymph-nodes.md", "{threshold:cr-lymph-nodes}", "{threshold:cr-lymph}"),
    ],
)  # fmt: skip
def test_the_files_refuse_an_unknown_key_at_its_line(content_copy, path, old, new):
    file = content_copy / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1
    file.write_text(text.replace(old, new), encoding="utf-8")
    before = _partial().summary_en
    with pytest.raises(LoadFailed) as failure:
        load_tree(content_copy)
    where = f"{path}:{_line_with(file, new)}:"
    messages = [str(error) for error in failure.value.errors]
    key = "{" + new.split("{")[1].split("}")[0] + "}"
    assert any(m.startswith(where) and key in m for m in messages), messages
    assert _partial().summary_en == before


def test_a_criterion_described_in_the_files_is_known_before_it_is_stored(content_copy):
    """A key the files add in the same load is accepted (the database has no row yet)."""
    file = content_copy / "en/response/partial-response.md"
    text = file.read_text(encoding="utf-8")
    text = text.replace("key: pr-all-tumours", "key: pr-all-tumours-new", 1)
    text = text.replace("{threshold:pr-all-tumours}", "{threshold:pr-all-tumours-new}")
    file.write_text(text, encoding="utf-8")
    fr = content_copy / "fr/response/partial-response.md"
    fr_text = fr.read_text(encoding="utf-8").replace(
        "key: pr-all-tumours", "key: pr-all-tumours-new", 1
    )
    fr.write_text(fr_text.replace("{threshold:pr-all-tumours}", "{threshold:pr-all-tumours-new}"), encoding="utf-8")  # fmt: skip
    text = file.read_text(encoding="utf-8").replace("threshold: 30", "threshold: 35", 1)
    file.write_text(text, encoding="utf-8")
    load_tree(content_copy)
    with translation.override("en"):
        assert "by more than 35%." in _partial().summary_display
    with translation.override("fr"):
        assert f"de plus de 35{NBSP}%," in _partial().summary_display


def test_a_threshold_changed_in_the_files_renders_every_body_again(content_copy):
    for path, old, new in (
        ("en/response/progressive-disease.md", "threshold: 20", "threshold: 25"),
        ("en/response/stable-disease.md", "threshold: 20\n", "threshold: 25\n"),
    ):
        file = content_copy / path
        text = file.read_text(encoding="utf-8")
        assert text.count(old) == 1, path
        file.write_text(text.replace(old, new), encoding="utf-8")
    load_tree(content_copy)
    stable = ResponseCategory.objects.get(key="stable-disease")
    page = GuidePage.objects.get(key="response-to-treatment")
    for stored, language in (
        (stable.body_html_en, "en"),
        (stable.body_html_fr, "fr"),
        (page.body_html_en, "en"),
        (page.body_html_fr, "fr"),
    ):
        html = htmllib.unescape(stored)
        assert PERCENT[language].format(25) in html, html
        assert PERCENT[language].format(20) not in html, html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_bad_key_in_the_database_never_shows_raw_nor_breaks_a_page(
    client, language, caplog
):
    """Written straight to the database (no admin, no files): pages answer 200 and write
    words where the number would be, and the problem is logged."""
    category = _partial()
    ResponseCategory.objects.filter(pk=category.pk).update(
        summary_en="Over {threshold:pr-gone}.",
        summary_fr="Plus de {threshold:pr-gone}.",
        key_points_en="Over {threshold:pr-gone} smaller",
        key_points_fr="Plus de {threshold:pr-gone}",
    )
    ResponseCategory.objects.get(pk=category.pk).save()  # renders the bodies
    ResponseCategory.objects.filter(pk=category.pk).update(
        body_en="Over {threshold:pr-gone}.", body_fr="Plus de {threshold:pr-gone}."
    )
    rerender_all()
    words = {
        "en": "Over the value given in the criteria",
        "fr": "Plus de la valeur indiquée dans les critères",
    }[language]
    with caplog.at_level(logging.WARNING, logger="neuroinfo.thresholds"):
        for url, params in (
            (RESPONSE_PAGE[language], {}),
            (SEARCH[language], {"q": "criteria" if language == "en" else "critères"}),
            (PRINT[language], {}),
        ):
            response = client.get(url, params)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert not PLACEHOLDER.search(html), url
        assert words in visible_text(client.get(PRINT[language]))
    assert "pr-gone" in caplog.text


def test_reading_scores_read_the_number_not_the_placeholder():
    category = _partial()
    category.summary_en = "Every tumour shrank by more than {threshold:pr-all-tumours}."
    category.summary_fr = (
        "Chaque tumeur a diminué de plus de {threshold:pr-all-tumours}."
    )
    with_placeholder = category.score_reading()
    category.summary_en = "Every tumour shrank by more than 30%."
    category.summary_fr = f"Chaque tumeur a diminué de plus de 30{NBSP}%."
    assert category.score_reading() == with_placeholder


def test_an_unreadable_threshold_leaves_the_others_written(client):
    """A value the column cannot give back (stored by hand; SQLite keeps it, PostgreSQL
    refuses it): that number is written as words, the others still show, no 500."""
    rows = ResponseCriterion.objects.filter(key="pr-all-tumours")
    if connection.vendor != "sqlite":
        with pytest.raises(DataError), transaction.atomic():
            rows.update(threshold=Decimal("123456.789"))
        return
    rows.update(threshold=Decimal("123456.789"))
    rerender_all()  # as the next save or load would (summaries are filled on render)
    response = client.get(RESPONSE_PAGE["en"])
    assert response.status_code == 200
    summary = _structured_summary(response.content.decode(), "partial-response")
    assert "more than the value given in the criteria." in summary, summary
    assert "down by at least 50%." in summary, summary
