"""No phantom edits: a form saved as a browser posts it changes only what was typed.

Browsers post CRLF line endings and Django reads empty fields of nullable columns as
None; the admin brings both to the form the content loader keeps (neuroinfo.normalise),
so French is never rewritten or stamped by an English edit, and the loader still sees
an untouched item as its own.
"""

import pytest
from django.conf import settings

from neuroinfo import normalise
from neuroinfo.contentfiles.loader import load_tree
from neuroinfo.models import GuidePage, ResponseCategory, ResponseCriterion, Treatment
from neuroinfo.models.editorial import changed_languages, item_rows
from neuroinfo.status import translation_status
from tests.helpers import admin_save

pytestmark = pytest.mark.django_db


def _url(item) -> str:
    return f"/admin/neuroinfo/{item._meta.model_name}/{item.pk}/change/"


def _columns(row, code: str) -> dict:
    """Every column of one language, exactly as the database holds it."""
    fresh = type(row).objects.get(pk=row.pk)
    return {
        f.attname: getattr(fresh, f.attname)
        for f in type(row)._meta.concrete_fields
        if f.attname.endswith(f"_{code}")
    }


def _french(item) -> list[dict]:
    return [_columns(row, "fr") for row in [item, *item_rows(item)]]


class TestNormalise:
    def test_text_is_kept_with_lf_endings_and_no_surrounding_spaces(self):
        assert normalise.text("  One\r\nTwo  \r\n") == "One\nTwo"
        assert normalise.text(None) == ""

    def test_list_text_is_one_trimmed_entry_per_line(self):
        assert normalise.field_text("key_points", " A \r\n\r\n B\r\n") == "A\nB"
        assert normalise.field_text("body", "A\r\n\r\nB") == "A\n\nB"

    def test_an_empty_translated_slug_stays_null_and_other_text_empty(self):
        assert normalise.stored(Treatment, "slug_fr", "") is None
        assert normalise.stored(Treatment, "slug_fr", None) is None
        assert normalise.stored(Treatment, "meta_description_fr", None) == ""
        assert normalise.stored(Treatment, "body_fr", "A\r\nB\r\n") == "A\nB"

    def test_changed_languages_compares_normalised_text(self):
        surgery = Treatment.objects.get(key="surgery")
        surgery.body_fr = surgery.body_fr.replace("\n", "\r\n") + "\r\n"
        surgery.meta_description_fr = None
        assert changed_languages(surgery) == set()
        surgery.title_en = "Operations"
        assert changed_languages(surgery) == {"en"}


@pytest.mark.parametrize(
    ("model", "key"),
    [
        (Treatment, "surgery"),
        (GuidePage, "questions-to-ask"),  # its questions are rows of the form
        (ResponseCategory, "partial-response"),  # and its criteria
    ],
)
def test_a_browser_save_without_changes_changes_nothing(admin_client, model, key):
    item = model.objects.get(key=key)
    french, stamps = _french(item), item.translation_updated
    response = admin_save(admin_client, _url(item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert _french(item) == french
    assert item.translation_updated == stamps
    assert translation_status(item, "fr") == "complete"


def test_changing_only_the_english_title_leaves_french_as_it_was_but_out_of_date(
    admin_client,
):
    surgery = Treatment.objects.get(key="surgery")
    assert translation_status(surgery, "fr") == "complete"
    french, stamps = _french(surgery), surgery.translation_updated
    response = admin_save(admin_client, _url(surgery), title_en="Surgery to remove it")
    assert response.status_code == 302
    surgery.refresh_from_db()
    assert surgery.title_en == "Surgery to remove it"
    assert _french(surgery) == french  # byte for byte: body, key points, role...
    assert surgery.translation_updated["fr"] == stamps["fr"]
    assert surgery.translation_updated["en"] > stamps["en"]
    assert translation_status(surgery, "fr") == "out_of_date"


def test_changing_only_french_never_claims_english_is_out_of_date(admin_client):
    surgery = Treatment.objects.get(key="surgery")
    english, stamps = _columns(surgery, "en"), surgery.translation_updated
    admin_save(admin_client, _url(surgery), title_fr="La chirurgie")
    surgery.refresh_from_db()
    assert _columns(surgery, "en") == english
    assert surgery.translation_updated["en"] == stamps["en"]
    assert translation_status(surgery, "en") == "complete"
    assert translation_status(surgery, "fr") == "complete"


def test_changing_an_english_criterion_makes_its_category_french_out_of_date(
    admin_client,
):
    category = ResponseCategory.objects.get(key="partial-response")
    first = category.criteria.first()  # the inline's first row
    statement = first.statement_en + " (measured on scans)"
    french = _french(category)
    url = _url(category)
    response = admin_save(admin_client, url, **{"criteria-0-statement_en": statement})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.statement_en == statement
    assert _french(category) == french
    category.refresh_from_db()
    assert translation_status(category, "fr") == "out_of_date"


class TestTheLoaderAgrees:
    def test_an_admin_save_without_changes_is_not_an_edit_to_the_loader(
        self, admin_client, content_copy
    ):
        surgery = Treatment.objects.get(key="surgery")
        admin_save(admin_client, _url(surgery))
        report = load_tree(settings.CONTENT_DIR)
        assert "treatment:surgery" in report.unchanged
        assert report.kept == []
        # A new version of the file still updates it: nobody changed it in the admin.
        path = content_copy / "en/treatments/surgery.md"
        path.write_text(path.read_text().replace("title: Surgery\n", "title: Ops\n"))
        report = load_tree(content_copy)
        assert report.updated == ["treatment:surgery"] and report.kept == []
        assert Treatment.objects.get(key="surgery").title_en == "Ops"

    def test_an_admin_edit_is_kept_by_the_loader(self, admin_client, content_copy):
        surgery = Treatment.objects.get(key="surgery")
        admin_save(admin_client, _url(surgery), title_en="Surgery to remove it")
        path = content_copy / "en/treatments/surgery.md"
        path.write_text(path.read_text().replace("title: Surgery\n", "title: Ops\n"))
        report = load_tree(content_copy)
        assert report.kept == ["treatment:surgery"]
        assert Treatment.objects.get(key="surgery").title_en == "Surgery to remove it"


def test_a_criterion_saved_on_its_own_without_changes_stamps_nothing(admin_client):
    criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
    category = criterion.category
    french, stamps = _columns(criterion, "fr"), category.translation_updated
    response = admin_save(admin_client, _url(criterion))
    assert response.status_code == 302
    assert _columns(criterion, "fr") == french
    category.refresh_from_db()
    assert category.translation_updated == stamps


def test_untranslated_slugs_stay_null_so_several_items_can_lack_one(admin_client):
    drafts = [
        Treatment.objects.create(
            key=key, title_en=key.title(), slug_en=key, slug_fr=None, order=60
        )
        for key in ("first-draft", "second-draft")
    ]
    for item in drafts:
        response = admin_save(admin_client, _url(item), summary_en="To be written.")
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.slug_fr is None and item.summary_en == "To be written."
