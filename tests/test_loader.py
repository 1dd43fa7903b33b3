"""load_content and export_content: atomic, idempotent, and respectful of editors' work."""

import filecmp
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from neuroinfo.contentfiles.loader import load_tree
from neuroinfo.contentfiles.schema import KINDS
from neuroinfo.models import GlossaryTerm, ResponseCriterion, Section, Treatment
from tests.contenttree import edit, load_problems, snapshot
from tests.helpers import admin_save

pytestmark = pytest.mark.django_db

# Every English file is an item but sections.md, which lists the sections; a load
# reports each section as it reports each item.
SECTIONS_FILE = settings.CONTENT_DIR / "en" / "sections.md"
SHIPPED_SECTIONS = SECTIONS_FILE.read_text().count("\n- key: ")
SHIPPED_ITEMS = len(list((settings.CONTENT_DIR / "en").rglob("*.md"))) - 1
SHIPPED = SHIPPED_ITEMS + SHIPPED_SECTIONS


def empty_database() -> None:
    for kind in reversed(KINDS):
        kind.model_class.objects.filter(
            **({"parent__isnull": False} if kind.name == "treatment" else {})
        ).delete()
        kind.model_class.objects.all().delete()
    Section.objects.all().delete()


class TestLoading:
    def test_a_fresh_database_gets_every_item(self):
        empty_database()
        report = load_tree(settings.CONTENT_DIR)
        assert len(report.created) == SHIPPED
        assert report.created[:SHIPPED_SECTIONS] == [
            f"section:{s.key}" for s in Section.objects.order_by("pk")
        ]
        assert report.updated == report.kept == []
        surgery = Treatment.objects.get(key="surgery")
        assert (surgery.slug_en, surgery.slug_fr) == ("surgery", "chirurgie")
        assert Treatment.objects.get(key="second-look-surgery").parent == surgery
        # 8 with stable disease's "grown, but by less than 20%" (checked since issue 14).
        assert ResponseCriterion.objects.filter(threshold__isnull=False).count() == 8

    def test_a_second_run_changes_nothing(self):
        before = snapshot()
        report = load_tree(settings.CONTENT_DIR)
        assert report.created == report.updated == report.kept == []
        assert len(report.unchanged) == SHIPPED
        assert snapshot() == before

    def test_the_command_reports_created_updated_and_unchanged(self):
        out = io.StringIO()
        call_command("load_content", stdout=out)
        assert f"created 0, updated 0, unchanged {SHIPPED}, kept 0." in out.getvalue()

    def test_a_changed_file_updates_its_item_in_both_languages(self, content_copy):
        edit(
            content_copy / "fr/treatments/surgery.md",
            "title: Chirurgie",
            "title: La chirurgie",
        )
        report = load_tree(content_copy)
        assert report.updated == ["treatment:surgery"]
        assert Treatment.objects.get(key="surgery").title_fr == "La chirurgie"

    def test_a_dry_run_writes_nothing(self):
        empty_database()
        out = io.StringIO()
        call_command("load_content", "--dry-run", stdout=out)
        assert f"created {SHIPPED}" in out.getvalue()
        assert "nothing written" in out.getvalue()
        assert snapshot() == {}


def _bad_yaml(root: Path) -> None:
    edit(root / "en/treatments/surgery.md", "title: Surgery", "title: [Surgery")


def _unknown_field(root: Path) -> None:
    edit(
        root / "en/treatments/surgery.md",
        "key: surgery\n",
        "key: surgery\ncolour: blue\n",
    )


def _shared_field_in_french(root: Path) -> None:
    edit(
        root / "fr/treatments/surgery.md", "key: surgery\n", "key: surgery\norder: 4\n"
    )


def _missing_language(root: Path) -> None:
    (root / "fr/treatments/surgery.md").unlink()


def _duplicate_key(root: Path) -> None:
    shutil.copy(root / "en/treatments/chemotherapy.md", root / "en/treatments/chemo.md")


def _duplicate_slug(root: Path) -> None:
    edit(
        root / "fr/treatments/chemotherapy.md",
        "slug: chimiotherapie",
        "slug: chirurgie",
    )


def _unknown_link(root: Path) -> None:
    path = root / "en/treatments/surgery.md"
    path.write_text(path.read_text() + "\nSee [this](treatment:nope).\n")


def _unknown_related(root: Path) -> None:
    edit(root / "en/treatments/surgery.md", "related:\n", "related:\n- glossary:nope\n")


def _invalid_utf8(root: Path) -> None:
    path = root / "en/treatments/surgery.md"
    path.write_bytes(path.read_bytes().replace(b"title: Surgery", b"title: \xff", 1))


def _no_front_matter(root: Path) -> None:
    path = root / "en/treatments/surgery.md"
    path.write_text(path.read_text().removeprefix("---\n"))


def _threshold_not_in_statement(root: Path) -> None:
    edit(
        root / "en/response/partial-response.md",
        "more than {threshold} smaller",
        "more than 30% smaller",
    )


def _bad_slug(root: Path) -> None:
    edit(
        root / "fr/treatments/chemotherapy.md",
        "slug: chimiotherapie",
        "slug: chimiothérapie",
    )


MALFORMED = [
    (_bad_yaml, "en/treatments/surgery.md:", "not valid YAML"),
    (_unknown_field, "en/treatments/surgery.md:3", "unknown field 'colour'"),
    (_shared_field_in_french, "fr/treatments/surgery.md:3", "English file"),
    (_missing_language, "fr/treatments/surgery.md", "no fr file"),
    (_duplicate_key, "en/treatments/", "duplicate key 'chemotherapy'"),
    (_duplicate_slug, "fr/treatments/", "duplicate slug 'chirurgie'"),
    (_unknown_link, "en/treatments/surgery.md", "unknown item 'treatment:nope'"),
    (_unknown_related, "en/treatments/surgery.md", "unknown item 'glossary:nope'"),
    (_invalid_utf8, "en/treatments/surgery.md:", "not valid UTF-8"),
    (_no_front_matter, "en/treatments/surgery.md:1", "must start with a '---' line"),
    (_threshold_not_in_statement, "en/response/partial-response.md:", "{threshold}"),
    (_bad_slug, "fr/treatments/chemotherapy.md:4", "slug"),
]


class TestMalformedTrees:
    @pytest.mark.parametrize(("break_it", "where", "problem"), MALFORMED)
    def test_a_malformed_tree_names_the_problem_and_loads_nothing(
        self, content_copy, break_it, where, problem
    ):
        # A valid change elsewhere must not be loaded either.
        edit(
            content_copy / "en/glossary/biopsy.md",
            "title: Biopsy",
            "title: Biopsy (new)",
        )
        break_it(content_copy)
        messages = load_problems(content_copy)
        assert any(where in m and problem in m for m in messages), messages
        assert GlossaryTerm.objects.get(key="biopsy").title_en == "Biopsy"

    def test_the_command_exits_non_zero_and_prints_each_problem(self, content_copy):
        _unknown_field(content_copy)
        err = io.StringIO()
        with pytest.raises(CommandError, match="nothing was loaded"):
            call_command("load_content", str(content_copy), stderr=err)
        assert "surgery.md:3: unknown field 'colour'" in err.getvalue()


def _admin_change_surgery(admin_client, title: str) -> None:
    surgery = Treatment.objects.get(key="surgery")
    url = f"/admin/neuroinfo/treatment/{surgery.pk}/change/"
    response = admin_save(admin_client, url, title_en=title)
    assert response.status_code == 302, response.content.decode()[:3000]


class TestEditorsChanges:
    def test_an_admin_edit_is_kept_and_reported(self, admin_client, content_copy):
        _admin_change_surgery(admin_client, "Surgery (edited in the clinic)")
        edit(
            content_copy / "en/treatments/surgery.md",
            "title: Surgery",
            "title: Operations",
        )
        out = io.StringIO()
        call_command("load_content", str(content_copy), stdout=out)
        assert (
            Treatment.objects.get(key="surgery").title_en
            == "Surgery (edited in the clinic)"
        )
        assert "Kept: treatment:surgery was changed in the admin" in out.getvalue()
        assert "kept 1." in out.getvalue()

    def test_an_admin_edit_is_kept_even_when_the_file_did_not_change(
        self, admin_client
    ):
        _admin_change_surgery(admin_client, "Surgery (edited)")
        report = load_tree(settings.CONTENT_DIR)
        assert report.kept == ["treatment:surgery"]
        assert Treatment.objects.get(key="surgery").title_en == "Surgery (edited)"

    def test_force_overwrites_an_admin_edit(self, admin_client):
        _admin_change_surgery(admin_client, "Surgery (edited)")
        report = load_tree(settings.CONTENT_DIR, force=True)
        assert report.updated == ["treatment:surgery"]
        assert Treatment.objects.get(key="surgery").title_en == "Surgery"

    def test_an_exported_admin_edit_then_loads_as_unchanged(
        self, admin_client, tmp_path
    ):
        _admin_change_surgery(admin_client, "Surgery (edited)")
        call_command("export_content", str(tmp_path), stdout=io.StringIO())
        assert (
            "title: Surgery (edited)\n"
            in (tmp_path / "en/treatments/surgery.md").read_text()
        )
        report = load_tree(tmp_path)
        assert report.kept == report.updated == []
        # And the item is now in step with the files: later file changes load again.
        edit(
            tmp_path / "en/treatments/surgery.md",
            "title: Surgery (edited)",
            "title: Surgery",
        )
        assert load_tree(tmp_path).updated == ["treatment:surgery"]


class TestExport:
    def test_load_then_export_reproduces_the_shipped_files_byte_for_byte(
        self, tmp_path
    ):
        call_command("export_content", str(tmp_path), stdout=io.StringIO())
        for lang in ("en", "fr"):
            shipped = sorted(
                p.relative_to(settings.CONTENT_DIR)
                for p in (settings.CONTENT_DIR / lang).rglob("*.md")
            )
            exported = sorted(
                p.relative_to(tmp_path) for p in (tmp_path / lang).rglob("*.md")
            )
            assert exported == shipped
            assert Path(lang, "sections.md") in shipped  # the sections too
            for rel in shipped:
                assert filecmp.cmp(
                    settings.CONTENT_DIR / rel, tmp_path / rel, shallow=False
                ), rel

    def test_export_removes_files_of_deleted_items(self, content_copy):
        GlossaryTerm.objects.get(key="biopsy").delete()
        call_command("export_content", str(content_copy), stdout=io.StringIO())
        assert not (content_copy / "en/glossary/biopsy.md").exists()
        assert not (content_copy / "fr/glossary/biopsy.md").exists()
        assert (content_copy / "README.md").exists()
