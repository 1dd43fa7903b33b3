"""The guide's sections as data: the rule for an item's section, the content files
(sections.md and each item's ``section:``), their round trip, and the admin where
editors reorder them and translators write their French words."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from neuroinfo import workflow
from neuroinfo.contentfiles.loader import load_tree
from neuroinfo.models import GuidePage, RiskFactor, Section, Treatment
from neuroinfo.outline.held import outline_for
from tests.contenttree import edit, load_problems, snapshot
from tests.dom import parse
from tests.helpers import signed_in, staff_user
from tests.liveadmin import form_fields

pytestmark = pytest.mark.django_db

SECTIONS = [
    "treatment-plan",
    "treatments",
    "understanding-results",
    "during-and-after-treatment",
    "tools",
    "about-this-guide",
]
CHANGELIST = "/admin/neuroinfo/section/"


class TestTheRule:
    def test_the_shipped_guide_is_placed(self):
        assert list(Section.objects.values_list("key", flat=True)) == SECTIONS
        about = Section.objects.get(key="about-this-guide")
        assert about.quiet and about.title_fr == "À propos de ce guide"
        assert Treatment.objects.get(key="surgery").section.key == "treatments"
        assert RiskFactor.objects.get(key="age").section.key == "treatment-plan"
        assert GuidePage.objects.get(key="privacy").section == about
        # The start of the guide and sub-sections are in none.
        assert GuidePage.objects.get(key="introduction").section is None
        assert Treatment.objects.get(key="second-look-surgery").section is None

    def test_a_published_page_needs_a_section_a_draft_may_wait(self):
        surgery = Treatment.objects.get(key="surgery")
        surgery.section = None
        with pytest.raises(ValidationError) as refused:
            surgery.full_clean()
        assert "section" in refused.value.message_dict
        surgery.status = "draft"
        surgery.full_clean()

    @pytest.mark.parametrize(
        ("model", "key"),
        [(GuidePage, "introduction"), (Treatment, "second-look-surgery")],
    )
    def test_the_start_and_sub_sections_take_none(self, model, key):
        item = model.objects.get(key=key)
        item.section = Section.objects.get(key="treatments")
        with pytest.raises(ValidationError) as refused:
            item.full_clean()
        assert "leave this empty" in refused.value.message_dict["section"][0]

    def test_publishing_a_page_in_no_section_is_refused_and_says_why(self):
        reviewer = staff_user("rita", "Medical reviewer")
        Treatment.objects.filter(key="surgery").update(status="draft", section=None)
        surgery = Treatment.objects.get(key="surgery")
        refused = workflow.publish_each([surgery], reviewer, "")
        assert [str(error) for _item, error in refused] == [
            "Choose the section this page is listed in: a published page is in one."
        ]
        assert Treatment.objects.get(key="surgery").status == "draft"


def _unknown_section(root: Path) -> None:
    edit(root / "en/treatments/surgery.md", "section: treatments", "section: nope")


def _section_on_a_sub_section(root: Path) -> None:
    edit(root / "en/treatments/second-look-surgery.md", "parent: surgery\n",
         "parent: surgery\nsection: treatments\n")  # fmt: skip


def _published_without_section(root: Path) -> None:
    edit(root / "en/pages/glossary.md", "section: tools\n", "")


def _unknown_field(root: Path) -> None:
    edit(root / "en/sections.md", "  order: 2\n", "  order: 2\n  colour: blue\n")


def _order_not_a_number(root: Path) -> None:
    edit(root / "en/sections.md", "  order: 2\n", "  order: second\n")


def _quiet_not_yes_or_no(root: Path) -> None:
    edit(root / "en/sections.md", "  quiet: true\n", "  quiet: very\n")


def _duplicate_key(root: Path) -> None:
    edit(root / "en/sections.md", "- key: tools\n", "- key: treatments\n")


def _french_missing(root: Path) -> None:
    edit(root / "fr/sections.md", "- key: tools\n", "- key: outils\n")


def _shared_in_french(root: Path) -> None:
    edit(root / "fr/sections.md", "- key: tools\n", "- key: tools\n  order: 1\n")


def _no_french_file(root: Path) -> None:
    (root / "fr/sections.md").unlink()


def _text_after(root: Path) -> None:
    path = root / "en/sections.md"
    path.write_text(path.read_text() + "\nNotes.\n")


def _no_title(root: Path) -> None:
    edit(root / "en/sections.md", "  title: Tools\n", "")


def _title_too_long(root: Path) -> None:
    edit(root / "en/sections.md", "  title: Tools\n", f"  title: {'T' * 121}\n")


MALFORMED = [
    (_unknown_section, "en/treatments/surgery.md:4", "unknown section 'nope'"),
    (_section_on_a_sub_section, "en/treatments/second-look-surgery.md:5",
     "A sub-section is read inside its parent's page"),
    (_published_without_section, "en/pages/glossary.md:2", "'section': Choose"),
    (_unknown_field, "en/sections.md:9", "unknown field 'colour'"),
    (_order_not_a_number, "en/sections.md:8", "'order' must be a whole number"),
    (_quiet_not_yes_or_no, "en/sections.md:25", "'quiet' must be true or false"),
    (_duplicate_key, "en/sections.md:19", "duplicate key 'treatments'"),
    (_french_missing, "fr/sections.md:", "entry 'tools' is missing"),
    (_shared_in_french, "fr/sections.md:16", "(shared fields belong in the English"),
    (_no_french_file, "fr/sections.md", "the sections have no fr file"),
    (_text_after, "en/sections.md:30", "nothing goes after the front matter"),
    (_no_title, "en/sections.md:", "'title' is required"),
    (_title_too_long, "en/sections.md:21", "'title': Ensure this value has at most 120"),
]  # fmt: skip


class TestTheFiles:
    @pytest.mark.parametrize(("break_it", "where", "problem"), MALFORMED)
    def test_a_malformed_section_names_file_line_and_problem_and_loads_nothing(
        self, content_copy, break_it, where, problem
    ):
        # A valid change elsewhere must not be loaded either.
        edit(content_copy / "fr/sections.md", "title: Outils", "title: Les outils")
        break_it(content_copy)
        messages = load_problems(content_copy)
        assert any(where in m and problem in m for m in messages), messages
        assert Section.objects.get(key="tools").title_fr == "Outils"

    def test_a_changed_file_reorders_renames_and_moves(self, content_copy):
        edit(content_copy / "en/sections.md", "  order: 5\n", "  order: 0\n")
        edit(content_copy / "fr/sections.md", "title: Outils", "title: Les outils")
        edit(content_copy / "en/pages/clinical-trials.md", "section: treatments",
             "section: during-and-after-treatment")  # fmt: skip
        report = load_tree(content_copy)
        assert report.updated == ["section:tools", "page:clinical-trials"]
        tools = Section.objects.get(key="tools")
        assert (tools.order, tools.title_fr) == (0, "Les outils")
        trials = GuidePage.objects.get(key="clinical-trials")
        assert trials.section.key == "during-and-after-treatment"

    def test_a_section_changed_in_the_admin_is_kept_unless_forced(self, content_copy):
        Section.objects.filter(key="tools").update(title_en="Helpful tools")
        edit(content_copy / "en/sections.md", "  order: 5\n", "  order: 7\n")
        assert load_tree(content_copy).kept == ["section:tools"]
        assert Section.objects.get(key="tools").order == 5
        assert load_tree(content_copy, force=True).updated == ["section:tools"]
        tools = Section.objects.get(key="tools")
        assert (tools.order, tools.title_en) == (7, "Tools")

    def test_an_admin_change_exported_then_loaded_is_lossless(self, tmp_path):
        """Sections reordered and renamed, a page moved: export, then load that tree
        into an empty guide, and the database is as it was."""
        Section.objects.filter(key="tools").update(order=0, title_fr="Les outils")
        Section.objects.filter(key="treatments").update(description_en="")
        GuidePage.objects.filter(key="clinical-trials").update(
            section=Section.objects.get(key="during-and-after-treatment")
        )
        before = snapshot()
        call_command("export_content", str(tmp_path), stdout=io.StringIO())
        text = (tmp_path / "en/sections.md").read_text()
        assert text.index("key: tools") < text.index("key: treatment-plan")
        report = load_tree(tmp_path)
        assert report.updated == report.kept == report.created == []
        assert snapshot() == before

    def test_export_writes_no_sections_file_for_a_guide_without_sections(
        self, content_copy
    ):
        for model in (GuidePage, RiskFactor, Treatment):
            model.objects.update(section=None)
        Section.objects.all().delete()
        call_command("export_content", str(content_copy), stdout=io.StringIO())
        assert not (content_copy / "en/sections.md").exists()
        assert not (content_copy / "fr/sections.md").exists()
        assert "section:" not in (content_copy / "en/pages/glossary.md").read_text()


def _changelist(client) -> dict:
    """The section list's form as shown, ready to post back: each row's order by key."""
    fields = form_fields(client.get(CHANGELIST).content.decode())
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def _row(fields: dict, key: str) -> str:
    """The formset prefix of the row of a section ("form-3")."""
    pk = str(Section.objects.get(key=key).pk)
    return next(name[: -len("-id")] for name, value in fields.items()
                if name.endswith("-id") and value == pk)  # fmt: skip


class TestTheAdmin:
    @pytest.mark.parametrize("language", ["en", "fr"])
    @pytest.mark.parametrize("role", ["Editor", "Medical reviewer"])
    def test_an_editor_reorders_the_sections_in_the_list(self, language, role):
        client = signed_in(staff_user("ed", role), language)
        fields = _changelist(client)
        fields[f"{_row(fields, 'tools')}-order"] = "0"
        response = client.post(CHANGELIST, {**fields, "_save": "Save"})
        assert response.status_code == 302
        assert Section.objects.order_by("order", "key")[0].key == "tools"
        # The guide reads the new order: the tools come straight after the start.
        sequence = outline_for(language).sequence
        assert [item.key for item in sequence[1:3]] == ["questions-to-ask", "glossary"]

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_a_translator_cannot_reorder_and_is_told_why(self, language):
        client = signed_in(staff_user("tina", "Translator"), language)
        page = parse(client.get(CHANGELIST))
        assert not page.has("input", name="form-0-order")
        fields = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1",
                  "form-0-id": str(Section.objects.get(key="tools").pk),
                  "form-0-order": "0", "_save": "Save"}  # fmt: skip
        response = client.post(CHANGELIST, fields, follow=True)
        assert Section.objects.get(key="tools").order == 5
        said = parse(response).find(class_="messagelist").text
        assert {"en": "Nothing was saved", "fr": "Rien n’a été enregistré"}[
            language
        ] in said

    def test_a_translator_changes_only_the_french_words(self):
        client = signed_in(staff_user("tina", "Translator"))
        tools = Section.objects.get(key="tools")
        url = f"{CHANGELIST}{tools.pk}/change/"
        form = parse(client.get(url))
        assert form.has(name="title_fr") and form.has(name="description_fr")
        assert not form.has(name="title_en") and not form.has(name="order")
        fields = form_fields(client.get(url).content.decode())
        posted = {**fields, "title_fr": "Les outils", "title_en": "Hacked",
                  "order": "0", "quiet": "on", "_save": "Save"}  # fmt: skip
        assert client.post(url, posted).status_code == 302
        tools.refresh_from_db()
        assert (tools.title_fr, tools.title_en, tools.order, tools.quiet) == (
            "Les outils", "Tools", 5, False,
        )  # fmt: skip

    def test_only_editors_and_reviewers_add_sections(self):
        translator = signed_in(staff_user("tina", "Translator"))
        assert translator.get(f"{CHANGELIST}add/").status_code == 403
        editor = signed_in(staff_user("ed", "Editor"))
        assert editor.get(f"{CHANGELIST}add/").status_code == 200

    def test_a_section_that_lists_pages_cannot_be_deleted(self):
        reviewer = signed_in(staff_user("rita", "Medical reviewer"))
        tools = Section.objects.get(key="tools")
        response = reviewer.post(f"{CHANGELIST}{tools.pk}/delete/", {"post": "yes"})
        assert response.status_code == 200  # the page naming what it still lists
        assert Section.objects.filter(key="tools").exists()

    def test_the_item_form_offers_the_sections(self, admin_client):
        glossary = GuidePage.objects.get(key="glossary")
        page = parse(
            admin_client.get(f"/admin/neuroinfo/guidepage/{glossary.pk}/change/")
        )
        options = page.find("select", name="section").find_all("option")
        assert [o.text for o in options if o.get("value")] == [
            "Your child's treatment plan", "Treatments", "Understanding results",
            "During and after treatment", "Tools", "About this guide",
        ]  # fmt: skip


def test_every_shipped_file_names_its_section():
    """The English files say where each page goes (content/README.md)."""
    root = settings.CONTENT_DIR / "en"
    for folder in ("pages", "risk-factors", "treatments"):
        for path in (root / folder).glob("*.md"):
            text = path.read_text()
            if path.stem == "introduction" or "\nparent: " in text:
                assert "\nsection: " not in text, path
            else:
                assert "\nsection: " in text, path
