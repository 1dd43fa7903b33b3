"""Preview before saving: the change form's unsaved data as families would see it,
in each language, writing nothing at all."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.test import RequestFactory
from reversion.models import Revision, Version

from neuroinfo import generation, pagecache
from neuroinfo.links import content_models, item_url
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    PendingChange,
    Question,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Source,
    Treatment,
)
from tests.dom import parse
from tests.helpers import (
    browser_newlines,
    page_language,
    staff_user,
    visible_text,
)
from tests.liveadmin import form_fields

pytestmark = pytest.mark.django_db

PUBLIC = "/en/treatments/surgery/"
ADDED = {  # Markdown, a reference link and a glossary term, in each language
    "en": "A **new** sentence about [chemotherapy](treatment:chemotherapy) and a biopsy.",
    "fr": "Une phrase **nouvelle** sur la [chimiothérapie](treatment:chemotherapy) "
    "et la biopsie.",
}


def _url(item) -> str:
    return f"/admin/neuroinfo/{item._meta.model_name}/{item.pk}/change/"


def _form(client, item, **changes) -> dict:
    """The change form's fields as a browser posts them, some changed."""
    fields = form_fields(client.get(_url(item)).content.decode())
    fields.pop("csrfmiddlewaretoken", None)
    return {k: browser_newlines(v) for k, v in {**fields, **changes}.items()}


def _preview(client, item, language: str, **changes):
    data = _form(client, item, **changes)
    return client.post(_url(item), {**data, "_preview": language})


def _page_entry(path: str):
    request = RequestFactory().get(path)
    return cache.get(pagecache._page_key(request))


def _state() -> dict:
    """Everything a save could touch: rows, history, held changes, the page cache."""
    rows = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in [*content_models(), Question, ResponseCriterion, Source]
    }
    return {
        "rows": rows,
        "versions": Version.objects.count(),
        "revisions": Revision.objects.count(),
        "pending": PendingChange.objects.count(),
        "log": LogEntry.objects.count(),
        "generation": cache.get(generation.GENERATION_KEY),
        "page": _page_entry(PUBLIC),
    }


@pytest.fixture
def warm_cache(client):
    """The public page cached, as families left it."""
    client.get(PUBLIC)
    assert _page_entry(PUBLIC) is not None


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Preview in English", "Preview in French"]),
        ("fr", ["Aperçu en anglais", "Aperçu en français"]),
    ],
)
def test_the_change_form_has_a_preview_button_per_language(
    admin_client, language, labels
):
    surgery = Treatment.objects.get(key="surgery")
    html = admin_client.get(
        _url(surgery), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    buttons = parse(html).find(data_testid="preview-buttons")
    for code, label in zip(("en", "fr"), labels, strict=True):
        button = buttons.find("button", name="_preview", value=code)
        assert button.get("type") == "submit"
        assert button.get("formtarget") == "_blank"  # a new tab: the form stays
        assert button.text == label


@pytest.mark.parametrize(
    ("language", "title", "notice"),
    [
        ("en", "Surgery to remove the tumour", "Preview – not saved."),
        ("fr", "Chirurgie pour enlever la tumeur", "Aperçu – non enregistré."),
    ],
)
def test_a_preview_shows_the_unsaved_form_and_writes_nothing(
    admin_client,
    warm_cache,
    django_capture_on_commit_callbacks,
    language,
    title,
    notice,
):
    surgery = Treatment.objects.get(key="surgery")
    body = getattr(surgery, f"body_{language}") + "\n\n" + ADDED[language]
    changes = {f"title_{language}": title, f"body_{language}": body}
    form = _form(admin_client, surgery, **changes)
    before = _state()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(_url(surgery), {**form, "_preview": language})
    assert response.status_code == 200
    assert callbacks == []
    assert _state() == before
    html = response.content.decode()
    assert page_language(html) == language
    page = parse(html)
    assert page.find("h1").text == title
    assert notice in page.find(data_testid="preview-unsaved").text
    # The Markdown rendered: bold, the reference link resolved, the glossary marked.
    body = page.find("main").find(class_="prose")
    assert {"new", "nouvelle"} & {strong.text for strong in body.find_all("strong")}
    chemo = item_url(Treatment.objects.get(key="chemotherapy"), language)
    assert body.has("a", href=chemo)
    assert body.has("a", class_="term", data_term="biopsy")
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert page.find("meta", name="robots").get("content") == "noindex"
    assert "no-store" in response.headers["Cache-Control"]
    surgery.refresh_from_db()
    assert getattr(surgery, f"title_{language}") != title


def test_a_preview_by_an_editor_of_a_published_item_holds_nothing(client):
    client.force_login(staff_user("editor", "Editor"))
    surgery = Treatment.objects.get(key="surgery")
    before = _state()
    response = _preview(client, surgery, "en", title_en="Surgery (proposed)")
    assert response.status_code == 200
    assert "Surgery (proposed)" in visible_text(response)
    assert _state() == before
    assert PendingChange.for_item(surgery) is None


@pytest.mark.parametrize(
    ("model", "key", "field", "text"),
    [
        (Treatment, "second-look-surgery", "title_en", "A second operation"),
        (RiskFactor, "age", "title_en", "How old your child is"),
        (GuidePage, "follow-up-care", "summary_en", "Care after treatment ends."),
        (ResponseCategory, "partial-response", "title_en", "A partial answer"),
        (GlossaryTerm, "biopsy", "body_en", "Taking a tiny piece of tissue."),
    ],
)
def test_every_kind_of_item_previews_on_the_page_families_see_it_on(
    admin_client, model, key, field, text
):
    item = model.objects.get(key=key)
    before = _state()
    response = _preview(admin_client, item, "en", **{field: text})
    assert response.status_code == 200
    assert text in visible_text(response)
    assert 'data-testid="preview-unsaved"' in response.content.decode()
    assert _state() == before


def test_a_preview_includes_the_rows_of_the_form(admin_client):
    page = GuidePage.objects.get(key="questions-to-ask")
    first, second = page.questions.all()[:2]
    total = page.questions.count()
    changes = {
        "questions-0-text_en": "Who do we call at night?",
        "questions-1-DELETE": "on",
        f"questions-{total}-key": "q-new-one",
        f"questions-{total}-order": "99",
        f"questions-{total}-status": "published",
        f"questions-{total}-text_en": "Can we meet the surgeon first?",
        "questions-TOTAL_FORMS": str(total + 1),
    }
    before = _state()
    response = _preview(admin_client, page, "en", **changes)
    assert response.status_code == 200
    text = visible_text(response)
    assert "Who do we call at night?" in text and first.text_en not in text
    assert second.text_en not in text  # ticked for deletion
    assert "Can we meet the surgeon first?" in text
    assert _state() == before


def test_a_preview_includes_changed_criteria(admin_client):
    category = ResponseCategory.objects.get(key="partial-response")
    criterion = category.criteria.first()
    statement = "Every tumour is much smaller, by more than {threshold}."
    response = _preview(
        admin_client, category, "en", **{"criteria-0-statement_en": statement}
    )
    assert response.status_code == 200
    text = visible_text(response)
    assert "Every tumour is much smaller, by more than 30%." in text
    assert ResponseCriterion.objects.get(pk=criterion.pk).statement_en != statement


def test_a_preview_of_a_form_with_errors_shows_the_form_and_its_errors(
    admin_client,
):
    surgery = Treatment.objects.get(key="surgery")
    before = _state()
    response = _preview(
        admin_client, surgery, "en", body_en="See [x](treatment:no-such-item)."
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert parse(html).has("form", id="treatment_form")
    assert "Link to an unknown item: treatment:no-such-item." in html
    assert not parse(html).has(data_testid="preview-unsaved")
    assert _state() == before


def test_only_staff_who_may_change_the_item_can_preview(client):
    surgery = Treatment.objects.get(key="surgery")
    viewer = staff_user("viewer", perms=("view_treatment",))
    client.force_login(staff_user("editor", "Editor"))
    form = _form(client, surgery, title_en="Surgery (seen)")
    client.force_login(viewer)
    before = _state()
    response = client.post(_url(surgery), {**form, "_preview": "en"})
    assert response.status_code == 403
    assert _state() == before
    # A view-only form offers no preview.
    assert not parse(client.get(_url(surgery))).has(name="_preview")
    client.logout()
    response = client.post(_url(surgery), {**form, "_preview": "en"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_translator_preview_ignores_english_they_may_not_change(client):
    client.force_login(staff_user("translator", "Translator"))
    surgery = Treatment.objects.get(key="surgery")
    response = _preview(
        client, surgery, "en", title_en="Hacked", title_fr="Chirurgie (révisée)"
    )
    assert response.status_code == 200
    assert "Hacked" not in visible_text(response)
    french = _preview(client, surgery, "fr", title_fr="Chirurgie (révisée)")
    assert "Chirurgie (révisée)" in visible_text(french)


def test_an_unknown_preview_language_is_refused(admin_client):
    surgery = Treatment.objects.get(key="surgery")
    before = _state()
    assert _preview(admin_client, surgery, "de").status_code == 404
    assert _state() == before
