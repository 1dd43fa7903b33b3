"""Roles on the explainer's logic: a translator writes the French words of categories,
criteria and questions and nothing else, on every path (the change forms as shown,
hand-made posts, rows inline in their item, the history's revert, the workflow
itself); and a held change has one author, rows included."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from reversion.models import Version

from neuroinfo import workflow
from neuroinfo.admin.banners import when
from neuroinfo.models import (
    GuidePage,
    PendingChange,
    Question,
    ResponseCategory,
    ResponseCriterion,
    Status,
)
from tests.helpers import admin_save, signed_in, staff_user, visible_text
from tests.liveadmin import form_fields

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]


def _url(item, rest: str = "change/") -> str:
    return f"/admin/neuroinfo/{item._meta.model_name}/{item.pk}/{rest}"


@pytest.fixture
def tina():
    return staff_user("tina", "Translator", named=True)


@pytest.fixture
def alice():
    return staff_user("alice", "Editor", named=True)


def _criterion() -> ResponseCriterion:
    return ResponseCriterion.objects.get(key="pr-all-tumours")


def _logic(criterion: ResponseCriterion) -> tuple:
    criterion.refresh_from_db()
    return (criterion.category_id, criterion.order, criterion.key, criterion.finding,
            criterion.measure, criterion.expected, criterion.quantity,
            criterion.comparison, criterion.threshold, criterion.unit,
            criterion.status, criterion.statement_en)  # fmt: skip


def _editable(html: str) -> set[str]:
    """The fields a form lets its user change (not the admin's own machinery)."""
    machinery = ("csrfmiddlewaretoken", "_save", "_continue", "_addanother")
    return {
        name
        for name in form_fields(html)
        if name not in machinery and "-TOTAL_FORMS" not in name
        and "-INITIAL_FORMS" not in name and "-MIN_NUM_FORMS" not in name
        and "-MAX_NUM_FORMS" not in name
    }  # fmt: skip


def _inline_index(fields: dict, prefix: str, row) -> int:
    return next(
        int(name.split("-")[1])
        for name, value in fields.items()
        if name.startswith(f"{prefix}-") and name.endswith("-id")
        and value == str(row.pk)
    )  # fmt: skip


# --- the forms as shown ---------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translators_forms_offer_only_the_french_words(tina, language):
    translator = signed_in(tina, language)
    criterion = _criterion()
    page = translator.get(_url(criterion))
    assert page.status_code == 200
    assert _editable(page.content.decode()) == {"statement_fr"}
    question = Question.objects.first()
    assert _editable(translator.get(_url(question)).content.decode()) == {"text_fr"}
    # A draft category: its own French words and its rows' French words, no more.
    category = criterion.category
    ResponseCategory.objects.filter(pk=category.pk).update(status=Status.DRAFT)
    editable = _editable(translator.get(_url(category)).content.decode())
    rows = {name for name in editable if name.startswith("criteria-")}
    own = editable - rows - {n for n in editable if n.startswith("neuroinfo-source")}
    assert own == {"title_fr", "summary_fr", "meta_description_fr", "key_points_fr",
                   "body_fr"}  # fmt: skip
    assert rows and all(
        name.endswith(("-statement_fr", "-id", "-category")) for name in rows
    ), rows


# --- hand-made posts --------------------------------------------------------------------
def _post_to_a_draft_category_and_its_rows(tina, language: str) -> None:
    """A hand-made post to a draft category's form: only the French words are saved."""
    criterion = _criterion()
    category = criterion.category
    ResponseCategory.objects.filter(pk=category.pk).update(status=Status.DRAFT)
    category.refresh_from_db()
    before = _logic(criterion)
    client = signed_in(tina, language)
    fields = form_fields(client.get(_url(category)).content.decode())
    row = f"criteria-{_inline_index(fields, 'criteria', criterion)}"
    new = criterion.statement_fr + " (révisé)"
    response = admin_save(
        client, _url(category),
        match="any", precedence="99", order="99", title_en="Moved", title_fr="RP",
        **{f"{row}-threshold": "10", f"{row}-comparison": "lt", f"{row}-unit": "mm",
           f"{row}-finding": "scan_clear", f"{row}-order": "99",
           f"{row}-statement_en": "Moved.", f"{row}-statement_fr": new},
    )  # fmt: skip
    assert response.status_code == 302, visible_text(response)[:1500]
    fresh = ResponseCategory.objects.get(pk=category.pk)
    assert (fresh.match, fresh.precedence, fresh.order, fresh.title_en) == (
        category.match,
        category.precedence,
        category.order,
        category.title_en,
    )
    assert fresh.title_fr == "RP"  # a draft: the French words are saved
    after = _logic(criterion)
    assert after == before
    assert criterion.statement_fr == new
    assert PendingChange.objects.count() == 0
    ResponseCategory.objects.filter(pk=category.pk).update(status=Status.PUBLISHED)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translators_post_changes_nothing_but_the_french_words_of_a_criterion(
    tina, language
):
    _post_to_a_draft_category_and_its_rows(tina, language)
    criterion = _criterion()
    before = _logic(criterion)
    other = ResponseCategory.objects.get(key="stable-disease")
    new = criterion.statement_fr + " (révisé)"
    response = admin_save(
        signed_in(tina, language), _url(criterion),
        category=str(other.pk), order="99", key="moved", finding="scan_clear",
        measure="bone_marrow", expected="True", quantity="score_change",
        comparison="lt", threshold="10", unit="mm", status="draft",
        statement_en="Moved.", statement_fr=new,
    )  # fmt: skip
    assert response.status_code == 302
    assert _logic(criterion) == before  # held: nothing reaches the criterion
    change = PendingChange.for_item(criterion)
    assert change.author == tina
    assert change.data == {"statement_fr": new}  # only the French words are held


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translator_cannot_move_a_question_to_another_page(tina, language):
    question = Question.objects.first()
    other = GuidePage.objects.exclude(pk=question.page_id).first()
    new = question.text_fr + " (révisé)"
    response = admin_save(
        signed_in(tina, language), _url(question),
        page=str(other.pk), order="99", text_en="Moved?", text_fr=new,
    )  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.page_id != other.pk and question.order != 99
    assert PendingChange.for_item(question).data == {"text_fr": new}


# --- the history's revert ---------------------------------------------------------------
REVERT_REFUSED = {
    "en": "Nothing was restored: an earlier version replaces every field at once",
    "fr": "Rien n’a été restauré : une version antérieure remplace tous les champs",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["Translator", "Editor"])
def test_only_reviewers_restore_an_earlier_version_of_the_logic(role, language):
    reviewer = staff_user("rita", "Medical reviewer")
    criterion = _criterion()
    admin_save(signed_in(reviewer), _url(criterion), threshold="40")
    version = Version.objects.get_for_object(criterion)[1]  # threshold 30
    client = signed_in(staff_user("someone", role), language)
    revert = _url(criterion, f"history/{version.pk}/")
    for send in (client.get, lambda url: client.post(url, {"threshold": "30"})):
        response = send(revert)
        assert response.status_code == 302
        assert response.url == _url(criterion, "history/")
        assert REVERT_REFUSED[language] in visible_text(client.get(response.url))
    criterion.refresh_from_db()
    assert criterion.threshold == Decimal("40.00")
    assert PendingChange.objects.count() == 0
    latest = Version.objects.get_for_object(criterion)[0]
    compare = client.get(_url(criterion, f"history/{latest.pk}/compare/"))
    assert 'data-testid="revert-links"' not in compare.content.decode()
    # A reviewer still reverts.
    response = admin_save(signed_in(reviewer), revert)
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.threshold == Decimal("30.00")


# --- one author per held change, rows included ---------------------------------------------
ROW_REFUSED = {
    "en": "Nothing was saved: criterion “pr-all-tumours” has a change by Alice "
    "Tester that is not published yet (saved {when})",
    "fr": "Rien n’a été enregistré : un changement de Alice Tester à la ligne "
    "« pr-all-tumours » (critère) n’est pas encore publié (enregistré le "
    "{when})",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_inline_row_with_someone_elses_change_is_refused_naming_it(
    alice, tina, language
):
    criterion = _criterion()
    category = criterion.category
    held = criterion.statement_en + " Held."
    admin_save(signed_in(alice), _url(criterion), statement_en=held)
    change = PendingChange.for_item(criterion)
    assert change.author == alice and change.data == {"statement_en": held}
    # The category is a draft now; its criterion is still published, with Alice's change.
    ResponseCategory.objects.filter(pk=category.pk).update(status=Status.DRAFT)
    before = _logic(criterion), criterion.statement_fr
    client = signed_in(tina, language)
    fields = form_fields(client.get(_url(category)).content.decode())
    row = f"criteria-{_inline_index(fields, 'criteria', criterion)}"
    response = admin_save(
        client, _url(category), **{f"{row}-statement_fr": before[1] + " Tina."}
    )
    assert response.status_code == 200
    from django.utils import translation

    with translation.override(language):
        stamp = when(change.updated_at)
    assert ROW_REFUSED[language].format(when=stamp) in visible_text(response)
    assert (_logic(criterion), criterion.statement_fr) == before
    assert list(PendingChange.objects.values_list("author__username", "data")) == [
        ("alice", {"statement_en": held})
    ]
    # An editor's inline edit is refused the same way; a reviewer's is saved.
    bob = staff_user("bob", "Editor", named=True)
    response = admin_save(
        signed_in(bob, language), _url(category), **{f"{row}-statement_en": "Bob's."}
    )
    assert response.status_code == 200
    assert ROW_REFUSED[language].format(when=stamp) in visible_text(response)
    assert _logic(criterion) == before[0]
    reviewer = staff_user("rita", "Medical reviewer")
    revised = before[1] + " Révisé."
    response = admin_save(
        signed_in(reviewer), _url(category), **{f"{row}-statement_fr": revised}
    )
    assert response.status_code == 302, __import__("re").findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), __import__("re").S
    )
    criterion.refresh_from_db()
    assert criterion.statement_fr == revised
    change.refresh_from_db()
    assert change.author == alice and change.data == {"statement_en": held}


def test_the_workflow_refuses_a_translators_change_to_the_logic(tina, alice):
    criterion = _criterion()
    for data in ({"threshold": Decimal(10)}, {"category": 1}, {"statement_en": "x"},
                 {"statement_fr": "x", "unit": "mm"}):  # fmt: skip
        with pytest.raises(PermissionDenied):
            workflow.hold(criterion, data, tina)
    question = Question.objects.first()
    with pytest.raises(PermissionDenied):
        workflow.hold(question, {"page": 1, "text_fr": "x"}, tina)
    assert PendingChange.objects.count() == 0
    # The French words are theirs; an editor may hold a change to the logic.
    assert workflow.hold(criterion, {"statement_fr": "x"}, tina).author == tina
    assert workflow.hold(question, {"page": 1}, alice).author == alice


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translators_older_held_move_is_dropped_when_they_save_again(tina, language):
    """A change held before the rule covered rows keeps only the French words."""
    criterion = _criterion()
    other = ResponseCategory.objects.get(key="stable-disease")
    older = criterion.statement_fr + " (1)"
    PendingChange.objects.create(
        item=criterion, author=tina, data={"category": other.pk, "statement_fr": older}
    )
    new = criterion.statement_fr + " (2)"
    response = admin_save(signed_in(tina, language), _url(criterion), statement_fr=new)
    assert response.status_code == 302
    assert PendingChange.for_item(criterion).data == {"statement_fr": new}
    assert _criterion().category_id != other.pk
