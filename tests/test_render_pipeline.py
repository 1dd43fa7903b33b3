"""One rendering pipeline: a change is rendered once, after it commits, and only the
bodies whose text can change with it are rendered again."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from neuroinfo.generation import GENERATION_KEY
from neuroinfo.links import content_models, item_url, ref_of
from neuroinfo.models import (
    ContentGeneration,
    GlossaryTerm,
    GuidePage,
    ResponseCategory,
    ResponseCriterion,
    Treatment,
)
from neuroinfo.renderer import Renderer
from neuroinfo.rendering import find_refs
from tests.helpers import admin_save, staff_user

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "fr"]


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The reference of every item rendered, in order."""
    seen: list[str] = []
    render = Renderer.render

    def counting(self, item):
        seen.append(ref_of(item))
        return render(self, item)

    monkeypatch.setattr(Renderer, "render", counting)
    return seen


def linkers_of(ref: str, language: str | None = None) -> list:
    """The items whose body links to ``ref`` (in a language, or in any), read from
    the bodies themselves."""
    found = []
    for model in content_models():
        for item in model.objects.all():
            codes = [language] if language else LANGUAGES
            bodies = [getattr(item, f"body_{code}") or "" for code in codes]
            if any(ref in find_refs(body) for body in bodies):
                found.append(item)
    return found


def every_item() -> set[str]:
    return {ref_of(item) for model in content_models() for item in model.objects.all()}


def change_url(item) -> str:
    return f"/admin/neuroinfo/{type(item)._meta.model_name}/{item.pk}/change/"


def test_a_body_change_renders_the_item_alone(
    rendered, django_capture_on_commit_callbacks
):
    surgery = Treatment.objects.get(key="surgery")
    assert linkers_of("treatment:surgery")  # others link to it: they stay as they are
    surgery.body_en += "\n\nOne more sentence."
    with django_capture_on_commit_callbacks(execute=True):
        surgery.save()
    assert rendered == ["treatment:surgery"]
    surgery.refresh_from_db()
    assert "<p>One more sentence.</p>" in surgery.body_html_en


def test_a_rename_renders_the_item_and_exactly_its_linkers(
    rendered, django_capture_on_commit_callbacks
):
    surgery = Treatment.objects.get(key="surgery")
    surgery.slug_fr = "chirurgie-renommee"
    with django_capture_on_commit_callbacks(execute=True):
        surgery.save()
    expected = {ref_of(item) for item in linkers_of("treatment:surgery")}
    expected |= {ref_of(item) for item in linkers_of("treatment:second-look-surgery")}
    expected.add("treatment:surgery")  # its sub-section's address changes with it
    assert len(expected) > 2
    assert sorted(rendered) == sorted(expected)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_rename_in_the_admin_renders_linkers_in_both_languages(
    admin_client, django_capture_on_commit_callbacks, language
):
    surgery = Treatment.objects.get(key="surgery")
    old = item_url(surgery, language)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_save(
            admin_client, change_url(surgery), **{f"slug_{language}": "renamed-surgery"}
        )
    assert response.status_code == 302
    surgery.refresh_from_db()
    new = item_url(surgery, language)
    assert new != old and "renamed-surgery" in new
    linkers = linkers_of("treatment:surgery", language)
    assert len(linkers) > 1
    for item in linkers:
        item.refresh_from_db()
        html = getattr(item, f"body_html_{language}")
        assert f'href="{new}"' in html, item.key
        assert f'href="{old}"' not in html, item.key


def test_a_glossary_title_change_renders_every_item(
    rendered, django_capture_on_commit_callbacks
):
    term = GlossaryTerm.objects.get(key="tumour")
    term.title_en = "Growth"
    with django_capture_on_commit_callbacks(execute=True):
        term.save()
    assert sorted(rendered) == sorted(every_item())
    chemo = Treatment.objects.get(key="chemotherapy")
    assert 'data-term="tumour"' not in chemo.body_html_en
    assert 'data-term="tumour"' in chemo.body_html_fr


def test_a_draft_terms_title_change_renders_the_term_alone(
    rendered, django_capture_on_commit_callbacks
):
    GlossaryTerm.objects.filter(key="tumour").update(status="draft")
    term = GlossaryTerm.objects.get(key="tumour")
    term.title_en = "Growth"
    with django_capture_on_commit_callbacks(execute=True):
        term.save()
    assert rendered == ["glossary:tumour"]


def test_a_threshold_change_renders_the_texts_that_name_it(
    rendered, django_capture_on_commit_callbacks
):
    criterion = ResponseCriterion.objects.get(key="pr-bone-metastases")
    criterion.threshold = 45
    with django_capture_on_commit_callbacks(execute=True):
        criterion.save()
    naming = {
        ref_of(item)
        for model in content_models()
        for item in model.objects.all()
        if any(
            "{threshold:pr-bone-metastases}" in (getattr(item, f"{name}_{code}") or "")
            for name in item.threshold_fields
            for code in LANGUAGES
        )
    }
    assert naming and sorted(rendered) == sorted(naming)
    page = GuidePage.objects.get(key="response-to-treatment")
    assert "45%" in page.body_html_en


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_held_change_leaves_the_page_cache_generation_alone(
    client, django_capture_on_commit_callbacks, language
):
    editor = staff_user("ed", "Editor")
    client.force_login(editor)
    surgery = Treatment.objects.get(key="surgery")
    with django_capture_on_commit_callbacks(execute=True):
        ContentGeneration.bump()  # a known generation, copied to the cache
    before = (ContentGeneration.current(), cache.get(GENERATION_KEY))
    field = f"body_{language}"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_save(
            client, change_url(surgery), **{field: "Held words for review."}
        )
    assert response.status_code == 302
    assert callbacks  # the reviewers are told: the transaction did commit
    assert (ContentGeneration.current(), cache.get(GENERATION_KEY)) == before
    surgery.refresh_from_db()
    assert "Held words" not in getattr(surgery, field)


def test_nothing_is_rendered_before_the_commit_nor_after_a_rollback(
    rendered, django_capture_on_commit_callbacks
):
    surgery = Treatment.objects.get(key="surgery")
    stored = surgery.body_html_en
    surgery.body_en = "Rolled back."
    with pytest.raises(RuntimeError), transaction.atomic():
        surgery.save()
        raise RuntimeError
    assert rendered == []
    surgery.body_en = "Committed."
    with django_capture_on_commit_callbacks(execute=True):
        surgery.save()
        assert rendered == []  # not yet committed
        assert Treatment.objects.get(key="surgery").body_html_en == stored
    assert rendered == ["treatment:surgery"]
    assert Treatment.objects.get(key="surgery").body_html_en == "<p>Committed.</p>"


def test_links_are_resolved_in_one_lookup_not_one_per_link(
    django_capture_on_commit_callbacks,
):
    surgery = Treatment.objects.get(key="surgery")
    targets = [ref_of(item) for item in Treatment.objects.exclude(key="surgery")]
    targets += [ref_of(item) for item in GuidePage.objects.all()]
    assert len(targets) > 15

    def flush_queries(body: str) -> int:
        surgery.body_en = body
        with django_capture_on_commit_callbacks() as callbacks:
            surgery.save()
        with CaptureQueriesContext(connection) as queries:
            for callback in callbacks:
                callback()
        return len(queries)

    one = flush_queries("[a](treatment:chemotherapy) [b](page:clinical-trials)")
    many = flush_queries(" ".join(f"[{n}]({ref})" for n, ref in enumerate(targets)))
    assert many == one
    surgery.refresh_from_db()
    assert surgery.body_html_en.count("<a ") >= len(targets)


@pytest.mark.parametrize(
    ("language", "number"), [("en", "30%"), ("fr", "30\N{NO-BREAK SPACE}%")]
)
def test_summaries_and_key_points_are_filled_once_per_render(
    django_assert_num_queries, django_capture_on_commit_callbacks, language, number
):
    category = ResponseCategory.objects.get(key="partial-response")
    assert "{threshold:pr-all-tumours}" in category.summary_en
    category.key_points_en = "Shrunk by more than {threshold:pr-all-tumours}"
    category.key_points_fr = "Diminué de plus de {threshold:pr-all-tumours}"
    with django_capture_on_commit_callbacks(execute=True):
        category.save()
    category.refresh_from_db()
    with translation.override(language), django_assert_num_queries(0):
        assert number in category.summary_display
        assert any(number in point for point in category.key_point_list)
    # A new threshold is filled in by the render its save causes.
    criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
    criterion.threshold = 40
    with django_capture_on_commit_callbacks(execute=True):
        criterion.save()
    category.refresh_from_db()
    with translation.override(language), django_assert_num_queries(0):
        assert number.replace("30", "40") in category.summary_display
        assert number.replace("30", "40") in category.key_point_list[0]
    # A text the render has not seen (a preview) is filled when shown.
    category.summary_en = "Over {threshold:pr-all-tumours} smaller."
    with translation.override("en"):
        assert category.summary_display == "Over 40% smaller."
