"""History you can read: each revision compared with the one before, both languages,
for the item and its rows, and reverted from there."""

import re

import pytest
from pytest_django.asserts import assertInHTML
from reversion.models import Version

from neuroinfo.models import GuidePage, ResponseCategory, Treatment
from tests.dom import parse
from tests.helpers import admin_save, region, staff_user, visible_text

pytestmark = pytest.mark.django_db


def _url(item, view: str = "change") -> str:
    return f"/admin/neuroinfo/{item._meta.model_name}/{item.pk}/{view}/"


def _compare_url(item, version) -> str:
    return f"{_url(item, 'history')}{version.pk}/compare/"


def _row(html: str, column: str) -> str:
    """One field's row of a diff table, by its column (title_en, text_fr...)."""
    match = re.search(rf'<tr data-field="{column}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {column}"
    return match.group(1)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _cells(html: str, column: str) -> tuple[str, str]:
    """The before and after cells of a field's row, as HTML."""
    old, new = re.findall(r"<td[^>]*>(.*?)</td>", _row(html, column), re.S)
    return old, new


@pytest.fixture
def two_saves(admin_client):
    """Surgery saved twice in the admin: titles in both languages, then the bodies."""
    surgery = Treatment.objects.get(key="surgery")
    admin_save(
        admin_client,
        _url(surgery),
        title_en="An operation",
        title_fr="Une opération",
    )
    admin_save(
        admin_client,
        _url(surgery),
        body_en=surgery.body_en + "\n\nAsk how long the stay will be.",
        body_fr=surgery.body_fr + "\n\nDemandez combien de temps durera le séjour.",
    )
    latest, first_save, loaded = Version.objects.get_for_object(surgery)[:3]
    return surgery, latest, first_save, loaded


def test_the_history_links_each_revision_to_what_it_changed(admin_client, two_saves):
    surgery, latest, first_save, loaded = two_saves
    html = admin_client.get(_url(surgery, "history")).content.decode()
    table = region(html, "history")
    assert _compare_url(surgery, latest) in table
    assert _compare_url(surgery, first_save) in table
    assert _compare_url(surgery, loaded) not in table  # nothing before it
    assert "Compare with previous" in visible_text(
        admin_client.get(_url(surgery, "history"))
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Compare with previous", "Saved", "Title (EN)", "Title (FR)"]),
        ("fr", ["Comparer avec la version précédente", "Enregistrée", "Titre (EN)"]),
    ],
)
def test_a_revision_shows_its_changes_in_both_languages(
    admin_client, admin_user, two_saves, language, words
):
    surgery, _latest, first_save, _loaded = two_saves
    response = admin_client.get(
        _compare_url(surgery, first_save), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _cells(html, "title_en") == ("<del>Surgery</del>", "<ins>An operation</ins>")
    assert _cells(html, "title_fr") == (
        "<del>Chirurgie</del>",
        "<ins>Une opération</ins>",
    )
    assert 'data-field="body_en"' not in html  # unchanged in this revision
    assert 'data-field="body_html_en"' not in html  # derived, never shown
    text = visible_text(response)
    for word in words:
        assert word in text
    meta = region(html, "revision-meta")
    assert admin_user.get_username() in meta
    assert first_save.revision.get_comment() in html


def test_the_second_save_shows_only_the_bodies(admin_client, two_saves):
    surgery, latest, _first_save, _loaded = two_saves
    html = admin_client.get(_compare_url(surgery, latest)).content.decode()
    old, new = _cells(html, "body_en")
    assert "<del>" not in old and "Ask how long" not in old
    assert new.endswith("<ins><br><br>Ask how long the stay will be.</ins>")
    old, new = _cells(html, "body_fr")
    assert new.endswith(
        "<ins><br><br>Demandez combien de temps durera le séjour.</ins>"
    )
    assert 'data-field="title_en"' not in html


def test_a_changed_row_is_shown_with_its_item(admin_client):
    page = GuidePage.objects.get(key="questions-to-ask")
    question = page.questions.first()
    admin_save(
        admin_client,
        _url(page),
        **{"questions-0-text_fr": "Qui appeler la nuit?"},
    )
    latest = Version.objects.get_for_object(page)[0]
    html = admin_client.get(_compare_url(page, latest)).content.decode()
    assert f"Question: {question.text_en} (changed)" in _text(html)
    old, new = _cells(html, "text_fr")
    assert _text(old) == question.text_fr and "<del>" in old
    assert _text(new) == "Qui appeler la nuit?" and "<ins>" in new
    assert 'data-field="text_en"' not in html


def test_changed_criteria_and_added_sources_are_shown_with_their_item(admin_client):
    category = ResponseCategory.objects.get(key="partial-response")
    criterion = category.criteria.first()
    sources = "neuroinfo-source-content_type-object_id"
    total = category.sources.count()
    admin_save(
        admin_client,
        _url(category),
        **{
            "criteria-0-statement_en": criterion.statement_en + " On scans.",
            f"{sources}-TOTAL_FORMS": str(total + 1),
            f"{sources}-{total}-order": "9",
            f"{sources}-{total}-title": "Response criteria explained",
            f"{sources}-{total}-url": "https://example.org/criteria",
        },
    )
    latest = Version.objects.get_for_object(category)[0]
    html = admin_client.get(_compare_url(category, latest)).content.decode()
    text = _text(html)
    assert f"Criterion: {criterion.key} (changed)" in text
    old, new = _cells(html, "statement_en")
    assert "<del>" not in old and new.endswith("<ins> On scans.</ins>")
    assert "Source: Response criteria explained (added)" in text
    assertInHTML(
        '<td class="field-diffs__new"><ins>https://example.org/criteria</ins></td>',
        html,
    )


def test_revert_from_the_compare_page_restores_the_old_values(
    admin_client, client, two_saves, django_capture_on_commit_callbacks
):
    surgery, _latest, first_save, loaded = two_saves
    html = admin_client.get(_compare_url(surgery, first_save)).content.decode()
    revert = f"{_url(surgery, 'history')}{loaded.pk}/"
    assert revert in [
        h for _t, h in parse(html).find(data_testid="revert-links").links()
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_save(admin_client, revert)
    assert response.status_code == 302
    surgery.refresh_from_db()
    assert (surgery.title_en, surgery.title_fr) == ("Surgery", "Chirurgie")
    page = parse(client.get("/fr/traitements/chirurgie/"))
    assert page.find("h1").text == "Chirurgie"  # families see the reverted title


def test_only_staff_who_can_view_the_item_see_its_history(client, two_saves):
    surgery, latest, _first_save, _loaded = two_saves
    client.force_login(staff_user("nobody"))
    assert client.get(_compare_url(surgery, latest)).status_code == 403
    client.force_login(staff_user("viewer", perms=("view_treatment",)))
    response = client.get(_compare_url(surgery, latest))
    assert response.status_code == 200
    assert not parse(response).has(data_testid="revert-links")
    # Reverting writes every field live: only people who publish are offered it.
    client.force_login(staff_user("translator", "Translator"))
    response = client.get(_compare_url(surgery, latest))
    assert not parse(response).has(data_testid="revert-links")
    client.force_login(staff_user("reviewer", "Medical reviewer"))
    response = client.get(_compare_url(surgery, latest))
    assert parse(response).has(data_testid="revert-links")
    client.logout()
    assert client.get(_compare_url(surgery, latest)).status_code == 302


def test_a_version_of_another_item_is_not_found(admin_client, two_saves):
    surgery, _latest, _first_save, _loaded = two_saves
    other = Version.objects.get_for_object(Treatment.objects.get(key="chemotherapy"))
    url = f"{_url(surgery, 'history')}{other[0].pk}/compare/"
    assert admin_client.get(url).status_code == 404
