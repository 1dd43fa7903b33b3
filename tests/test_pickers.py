"""Related items and a treatment's parent are chosen by name in the admin: the
related-items JSON view, the multi-select that stores references as lines, and the
parent that can never be the item itself."""

import json
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from neuroinfo.models import GuidePage, PendingChange, Treatment
from tests.helpers import admin_save, staff_user, visible_text

pytestmark = pytest.mark.django_db

RELATED = "/admin/related-items/"


def _change_url(item) -> str:
    return f"/admin/neuroinfo/{item._meta.model_name}/{item.pk}/change/"


class Selects(HTMLParser):
    """Each <select>'s attributes and its options (value, text, selected), by name."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: dict[str, dict] = {}
        self._current = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._current = {"attrs": attrs, "options": []}
            self.selects[attrs.get("name")] = self._current
        elif tag == "option" and self._current is not None:
            self._option = [attrs.get("value"), "", "selected" in attrs]
            self._current["options"].append(self._option)

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select":
            self._current = None


def _selects(response) -> dict[str, dict]:
    parser = Selects()
    parser.feed(response.content.decode())
    return parser.selects


@pytest.fixture
def editor(client):
    client.force_login(staff_user("editor", "Editor"))
    return client


class TestRelatedItemsView:
    def test_only_staff_may_ask(self, client):
        response = client.get(RELATED, {"term": "chemo"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

    @pytest.mark.parametrize(
        "term", ["chemo", "chimio", "CHIMIOTHÉRAPIE", "treatment:"]
    )
    def test_items_are_found_by_title_in_either_language_or_reference(
        self, editor, term
    ):
        data = editor.get(RELATED, {"term": term}).json()
        assert {"id": "treatment:chemotherapy", "text": "Chemotherapy "
                "(treatment:chemotherapy)"} in data["results"]  # fmt: skip
        assert set(data) == {"results", "pagination"}

    def test_every_kind_is_listed_twenty_at_a_time(self, editor):
        first = editor.get(RELATED).json()
        assert len(first["results"]) == 20 and first["pagination"]["more"] is True
        everything = []
        page = 1
        while True:
            data = editor.get(RELATED, {"page": page}).json()
            everything += [row["id"] for row in data["results"]]
            if not data["pagination"]["more"]:
                break
            page += 1
        kinds = {ref.split(":")[0] for ref in everything}
        assert kinds == {"page", "risk-factor", "treatment", "response", "glossary"}
        assert len(everything) == len(set(everything))
        assert "page:follow-up-care" in everything

    def test_the_item_being_edited_is_left_out(self, editor):
        data = editor.get(RELATED, {"term": "surg", "exclude": "treatment:surgery"})
        ids = [row["id"] for row in data.json()["results"]]
        assert "treatment:surgery" not in ids
        assert "treatment:second-look-surgery" in ids

    def test_titles_are_in_the_admins_language(self, editor):
        data = editor.get(RELATED, {"term": "chemo"}, HTTP_ACCEPT_LANGUAGE="fr")
        texts = [row["text"] for row in data.json()["results"]]
        assert "Chimiothérapie (treatment:chemotherapy)" in texts


class TestRelatedItemsField:
    def test_the_form_shows_the_chosen_items_by_title_in_order(self, admin_client):
        page = GuidePage.objects.get(key="follow-up-care")
        page.related = "treatment:surgery\npage:clinical-trials"
        page.save()
        related = _selects(admin_client.get(_change_url(page)))["related"]
        assert "multiple" in related["attrs"]
        assert "admin-autocomplete" in related["attrs"]["class"].split()
        assert related["attrs"]["data-ajax--url"] == (
            f"{RELATED}?exclude=page%3Afollow-up-care"
        )
        assert [(v, t, s) for v, t, s in related["options"]] == [
            ("treatment:surgery", "Surgery (treatment:surgery)", True),
            ("page:clinical-trials", "Clinical trials (page:clinical-trials)", True),
        ]

    def test_chosen_items_are_stored_as_lines_in_the_order_sent(self, admin_client):
        page = GuidePage.objects.get(key="follow-up-care")
        chosen = ["glossary:biopsy", "treatment:surgery", "risk-factor:age"]
        response = admin_save(admin_client, _change_url(page), related=chosen)
        assert response.status_code == 302
        page.refresh_from_db()
        assert page.related == "glossary:biopsy\ntreatment:surgery\nrisk-factor:age"
        assert page.related_refs == chosen

    def test_an_unknown_reference_is_refused_with_its_name(self, admin_client):
        page = GuidePage.objects.get(key="follow-up-care")
        before = page.related
        response = admin_save(
            admin_client, _change_url(page), related=["treatment:nothing-here"]
        )
        assert response.status_code == 200
        assert "Unknown item: treatment:nothing-here." in visible_text(response)
        page.refresh_from_db()
        assert page.related == before

    def test_saving_other_fields_leaves_related_unchanged(self, editor):
        surgery = Treatment.objects.get(key="surgery")
        assert surgery.related_refs  # the shipped surgery page has related items
        admin_save(editor, _change_url(surgery), title_en="Surgery (new)")
        assert PendingChange.for_item(surgery).data == {"title_en": "Surgery (new)"}


class TestParent:
    def test_the_parent_is_chosen_with_djangos_autocomplete(self, admin_client):
        surgery = Treatment.objects.get(key="surgery")
        parent = _selects(admin_client.get(_change_url(surgery)))["parent"]
        assert "admin-autocomplete" in parent["attrs"]["class"].split()
        assert parent["attrs"]["data-ajax--url"] == (
            f"/admin/autocomplete/?exclude={surgery.pk}"
        )

    def test_the_autocomplete_offers_top_level_treatments_but_this_one(
        self, admin_client
    ):
        surgery = Treatment.objects.get(key="surgery")
        response = admin_client.get(
            "/admin/autocomplete/",
            {
                "app_label": "neuroinfo",
                "model_name": "treatment",
                "field_name": "parent",
                "exclude": surgery.pk,
                "term": "",
            },
        )
        ids = {int(row["id"]) for row in json.loads(response.content)["results"]}
        top_level = set(
            Treatment.objects.filter(parent__isnull=True).values_list("pk", flat=True)
        )
        assert ids == top_level - {surgery.pk}

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_a_treatment_posted_as_its_own_parent_is_refused(
        self, admin_client, language
    ):
        chemo = Treatment.objects.get(key="chemotherapy")
        admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        response = admin_save(admin_client, _change_url(chemo), parent=str(chemo.pk))
        assert response.status_code == 200
        expected = {
            "en": "Choose a top-level treatment other than this one.",
            "fr": "Choisissez un traitement principal autre que celui-ci.",
        }[language]
        assert expected in visible_text(response)
        chemo.refresh_from_db()
        assert chemo.parent_id is None

    def test_the_model_refuses_itself_nesting_and_a_parent_with_subsections(self):
        cases = [
            ("chemotherapy", "chemotherapy", "cannot be part of itself"),
            ("chemotherapy", "second-look-surgery", "is itself part of another"),
            ("surgery", "chemotherapy", "has sub-sections of its own"),
        ]
        for key, parent_key, message in cases:
            item = Treatment.objects.get(key=key)
            item.parent = Treatment.objects.get(key=parent_key)
            with pytest.raises(ValidationError) as error:
                item.full_clean()
            assert message in " ".join(error.value.message_dict["parent"])
