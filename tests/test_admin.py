"""The editors' admin: every screen opens, forms explain their errors, no CDN."""

import pytest
from django.apps import apps
from django.contrib import admin

from neuroinfo.models import (
    Feedback,
    GlossaryTerm,
    PendingChange,
    ResponseCategory,
    ResponseCriterion,
    Treatment,
)
from tests.helpers import admin_save

pytestmark = pytest.mark.django_db

# The app's models that are not content an editor opens on its own screen, and why.
# Every other model of the app (taken from the app registry, not from the admin's) is
# content and must have its admin screens: a content model added later and not
# registered fails here.
NOT_CONTENT = {
    "Source": "edited inline on the item it supports",
    "PendingChange": "a held change: listed for review, not edited",
    "Feedback": "families' answers: read as tallies",
    "ContentGeneration": "the cache's token",
    "OldSlug": "an old address, kept for redirects",
    "Reference": "which item names which, kept by each render",
}
MODELS = [
    m
    for m in apps.get_app_config("neuroinfo").get_models()
    if m.__name__ not in NOT_CONTENT
]


def test_every_content_model_is_in_the_admin():
    assert sorted(m.__name__ for m in MODELS) == [
        "GlossaryTerm",
        "GuidePage",
        "Question",
        "ResponseCategory",
        "ResponseCriterion",
        "RiskFactor",
        "Section",
        "Treatment",
    ]
    unregistered = [m.__name__ for m in MODELS if not admin.site.is_registered(m)]
    assert unregistered == []
    assert admin.site.is_registered(PendingChange)
    assert admin.site.is_registered(Feedback)


def test_changes_waiting_for_review_are_listed_but_not_edited_there(admin_client):
    assert admin_client.get("/admin/neuroinfo/pendingchange/").status_code == 200
    assert admin_client.get("/admin/neuroinfo/pendingchange/add/").status_code == 403


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_forms_open(admin_client, model):
    base = f"/admin/neuroinfo/{model._meta.model_name}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}?q=bone").status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 200
    item = model.objects.first()
    response = admin_client.get(f"{base}{item.pk}/change/")
    assert response.status_code == 200


def test_change_forms_have_english_and_french_tabs_with_local_jquery_ui(admin_client):
    item = Treatment.objects.get(key="surgery")
    html = admin_client.get(
        f"/admin/neuroinfo/treatment/{item.pk}/change/"
    ).content.decode()
    assert 'name="title_en"' in html and 'name="title_fr"' in html
    assert "View on site" in html
    assert "/static/vendor/jquery-ui.min.js" in html
    assert "/static/modeltranslation/js/tabbed_translation_fields.js" in html
    assert "googleapis" not in html and "://" not in "".join(
        src for src in html.split('src="')[1:] if not src.startswith("/")
    )


def test_response_category_form_edits_its_criteria_inline(admin_client):
    category = ResponseCategory.objects.get(key="partial-response")
    html = admin_client.get(
        f"/admin/neuroinfo/responsecategory/{category.pk}/change/"
    ).content.decode()
    assert 'name="criteria-0-statement_en"' in html
    assert 'name="criteria-0-threshold"' in html


def test_questions_are_edited_inline_on_their_page(admin_client):
    from neuroinfo.models import GuidePage

    page = GuidePage.objects.get(key="questions-to-ask")
    html = admin_client.get(
        f"/admin/neuroinfo/guidepage/{page.pk}/change/"
    ).content.decode()
    assert 'name="questions-0-text_fr"' in html


def _glossary_post(admin_client, term, **changes):
    return admin_save(
        admin_client, f"/admin/neuroinfo/glossaryterm/{term.pk}/change/", **changes
    )


def test_a_link_to_an_unknown_item_is_a_form_error_that_says_what_to_fix(admin_client):
    term = GlossaryTerm.objects.get(key="biopsy")
    response = _glossary_post(
        admin_client, term, body_fr="Voir [x](treatment:inconnu)."
    )
    assert response.status_code == 200
    assert "Link to an unknown item: treatment:inconnu." in response.content.decode()
    term.refresh_from_db()
    assert "inconnu" not in term.body_fr


def test_a_saved_slug_change_updates_links_in_other_pages(
    admin_client, client, django_capture_on_commit_callbacks
):
    term = GlossaryTerm.objects.get(key="tumour")
    with django_capture_on_commit_callbacks(execute=True):  # rendered on commit
        response = _glossary_post(admin_client, term, slug_fr="tumeur-solide")
    assert response.status_code == 302
    html = client.get("/fr/traitements/chirurgie/").content.decode()
    assert "/fr/glossaire/#tumeur-solide" in html


def test_a_criterion_without_its_placeholder_is_refused(admin_client):
    criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
    data = {
        "category": criterion.category_id,
        "key": criterion.key,
        "order": criterion.order,
        "measure": criterion.measure,
        "quantity": criterion.quantity,
        "comparison": criterion.comparison,
        "threshold": "30",
        "unit": criterion.unit,
        "statement_en": "All tumours are over 30% smaller.",
        "statement_fr": criterion.statement_fr,
    }
    response = admin_client.post(
        f"/admin/neuroinfo/responsecriterion/{criterion.pk}/change/", data
    )
    assert response.status_code == 200
    assert "Write the number as {threshold}." in response.content.decode()
