"""The editorial workflow: roles, drafts, review, history, translation, reading level."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from reversion.models import Version

from neuroinfo.adminsite import reviews_due
from neuroinfo.contentfiles.loader import load_tree
from neuroinfo.models import GlossaryTerm, GuidePage, PendingChange, Question, Treatment
from neuroinfo.status import review_state, translation_status
from tests.dom import parse
from tests.helpers import admin_save, links, page_text, staff_user, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_role(client):
    def sign_in(role: str):
        client.force_login(staff_user(role.lower().replace(" ", "-"), role))
        return client

    return sign_in


def _change_url(item) -> str:
    return f"/admin/neuroinfo/{item._meta.model_name}/{item.pk}/change/"


def _action(client, model: str, action: str, items):
    return client.post(
        f"/admin/neuroinfo/{model}/",
        {"action": action, "_selected_action": [i.pk for i in items]},
    )


def _draft(key="new-therapy", **fields) -> Treatment:
    values = {
        "key": key,
        "title_en": "New therapy",
        "title_fr": "Nouvelle thérapie",
        "slug_en": key,
        "slug_fr": f"{key}-fr",
        "summary_en": "A new therapy.",
        "summary_fr": "Une nouvelle thérapie.",
        "order": 50,
        **fields,
    }
    return Treatment.objects.create(**values)


class TestRoles:
    def test_the_roles_exist_with_their_permissions(self):
        assert {g.name for g in Group.objects.all()} >= {
            "Editor",
            "Medical reviewer",
            "Translator",
        }
        reviewer = Group.objects.get(name="Medical reviewer").permissions
        assert reviewer.filter(codename="publish_content").exists()
        editor = Group.objects.get(name="Editor").permissions
        assert not editor.filter(
            codename__in=["publish_content", "review_content"]
        ).exists()

    def test_an_editor_creates_drafts_but_cannot_publish(self, as_role):
        client = as_role("Editor")
        item = _draft()
        response = admin_save(
            client, _change_url(item), status="published", title_en="Renamed"
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == "draft" and item.title_en == "Renamed"
        response = _action(client, "treatment", "publish_selected", [item])
        item.refresh_from_db()
        assert item.status == "draft"

    def test_an_editor_cannot_mark_reviewed(self, as_role):
        client = as_role("Editor")
        surgery = Treatment.objects.get(key="surgery")
        before = (surgery.last_reviewed, surgery.reviewed_by)
        _action(client, "treatment", "mark_reviewed_today", [surgery])
        admin_save(
            client, _change_url(surgery), last_reviewed="2030-01-01", reviewed_by="Me"
        )
        surgery.refresh_from_db()
        assert (surgery.last_reviewed, surgery.reviewed_by) == before

    def test_an_editor_change_to_a_published_page_waits_for_review(
        self, as_role, client
    ):
        editor = as_role("Editor")
        surgery = Treatment.objects.get(key="surgery")
        response = admin_save(
            editor, _change_url(surgery), title_en="Surgery (proposed)"
        )
        assert response.status_code == 302
        surgery.refresh_from_db()
        assert surgery.title_en == "Surgery"
        assert PendingChange.for_item(surgery).data == {
            "title_en": "Surgery (proposed)"
        }
        client.logout()
        assert "Surgery (proposed)" not in visible_text(
            client.get("/en/treatments/surgery/")
        )

    def test_an_editor_cannot_delete(self, as_role):
        client = as_role("Editor")
        term = GlossaryTerm.objects.get(key="biopsy")
        url = f"/admin/neuroinfo/glossaryterm/{term.pk}/delete/"
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert GlossaryTerm.objects.filter(key="biopsy").exists()

    def test_a_translator_changes_french_only(self, as_role):
        client = as_role("Translator")
        item = _draft()
        form = parse(client.get(_change_url(item)))
        assert form.has(name="title_fr") and not form.has(name="title_en")
        response = admin_save(
            client,
            _change_url(item),
            title_en="Hacked",
            title_fr="Thérapie nouvelle",
            order="1",
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.title_en == "New therapy"
        assert item.title_fr == "Thérapie nouvelle"
        assert item.order == 50

    def test_a_translator_cannot_add_delete_or_publish(self, as_role):
        client = as_role("Translator")
        assert client.get("/admin/neuroinfo/treatment/add/").status_code == 403
        item = _draft()
        assert (
            client.post(
                f"/admin/neuroinfo/treatment/{item.pk}/delete/", {"post": "yes"}
            ).status_code
            == 403
        )
        _action(client, "treatment", "publish_selected", [item])
        item.refresh_from_db()
        assert item.status == "draft"

    def test_a_translator_cannot_change_criteria_numbers(self, as_role):
        from neuroinfo.models import ResponseCriterion

        client = as_role("Translator")
        criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
        criterion.category.status = "draft"
        criterion.category.save()
        admin_save(client, _change_url(criterion), threshold="5")
        criterion.refresh_from_db()
        assert criterion.threshold == 30

    def test_a_reviewer_publishes_a_waiting_change(self, as_role, client):
        surgery = Treatment.objects.get(key="surgery")
        admin_save(
            as_role("Translator"), _change_url(surgery), title_fr="Chirurgie (révisée)"
        )
        assert Treatment.objects.get(key="surgery").title_fr == "Chirurgie"
        reviewer = as_role("Medical reviewer")
        _action(reviewer, "treatment", "publish_selected", [surgery])
        assert Treatment.objects.get(key="surgery").title_fr == "Chirurgie (révisée)"
        assert PendingChange.for_item(surgery) is None
        client.logout()
        assert "Chirurgie (révisée)" in visible_text(
            client.get("/fr/traitements/chirurgie/")
        )

    def test_publishing_an_item_publishes_its_rows_waiting_changes(self, as_role):
        from neuroinfo.models import ResponseCategory, ResponseCriterion

        criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
        translator = as_role("Translator")
        admin_save(
            translator,
            _change_url(criterion),
            statement_fr="Toutes les tumeurs sont plus petites de plus de {threshold}.",
        )
        criterion.refresh_from_db()
        assert "plus petites" not in criterion.statement_fr  # waiting for review
        reviewer = as_role("Medical reviewer")
        category = ResponseCategory.objects.get(key="partial-response")
        _action(reviewer, "responsecategory", "publish_selected", [category])
        criterion.refresh_from_db()
        assert "plus petites" in criterion.statement_fr
        assert PendingChange.for_item(criterion) is None

    def test_a_reviewer_marks_reviewed_and_unpublishes(self, as_role, client):
        reviewer = as_role("Medical reviewer")
        surgery = Treatment.objects.get(key="surgery")
        _action(reviewer, "treatment", "mark_reviewed_today", [surgery])
        surgery.refresh_from_db()
        assert surgery.last_reviewed == datetime.date.today()
        assert surgery.next_review_due.year == datetime.date.today().year + 3
        _action(reviewer, "treatment", "unpublish_selected", [surgery])
        client.logout()
        assert client.get("/en/treatments/surgery/").status_code == 404


class TestDrafts:
    def test_a_draft_is_absent_from_every_public_surface(self, client):
        item = _draft(related="treatment:surgery")
        surgery = Treatment.objects.get(key="surgery")
        surgery.related = "treatment:new-therapy\ntreatment:chemotherapy"
        surgery.body_en += "\n\nSee [the new therapy](treatment:new-therapy)."
        surgery.save()
        assert client.get("/en/treatments/new-therapy/").status_code == 404
        assert client.get("/fr/traitements/new-therapy-fr/").status_code == 404
        for path in (
            "/en/",
            "/en/treatments/watchful-waiting/",
            "/en/treatments/surgery/",
        ):
            assert "/en/treatments/new-therapy/" not in links(client.get(path)), path
            assert "New therapy" not in visible_text(client.get(path)).replace(
                "the new therapy", ""
            ), path
        assert item.status == "draft"

    def test_draft_terms_questions_and_criteria_are_not_shown(self, client):
        term = GlossaryTerm.objects.get(key="biopsy")
        term.status = "draft"
        term.save()
        question = Question.objects.get(key="q-clinical-trial")
        question.status = "draft"
        question.save()
        assert not parse(client.get("/en/glossary/")).has(id="biopsy")
        assert "Is a clinical trial an option" not in visible_text(
            client.get("/en/questions-to-ask/")
        )
        # Bodies linking to the draft term keep the words but lose the link.
        assert "/en/glossary/#biopsy" not in "".join(links(client.get("/en/glossary/")))

    def test_staff_preview_a_draft_in_both_languages(self, admin_client, client):
        _draft()
        for path, title in (
            ("/en/preview/treatment/new-therapy/", "New therapy"),
            ("/fr/preview/treatment/new-therapy/", "Nouvelle thérapie"),
        ):
            response = admin_client.get(path)
            assert response.status_code == 200
            assert title in visible_text(response)
            assert parse(response).has(data_testid="preview-banner")
            assert "no-store" in response.headers["Cache-Control"]
        assert (
            client.get("/en/preview/treatment/new-therapy/").status_code == 302
        )  # sign in

    def test_a_preview_shows_a_change_waiting_for_review(self, as_role, client):
        editor = as_role("Editor")
        surgery = Treatment.objects.get(key="surgery")
        body = surgery.body_en + "\n\nA sentence waiting for review."
        admin_save(editor, _change_url(surgery), body_en=body)
        preview = editor.get("/en/preview/treatment/surgery/")
        assert "A sentence waiting for review." in visible_text(preview)
        client.logout()
        public = client.get("/en/treatments/surgery/")
        assert "A sentence waiting for review." not in visible_text(public)

    def test_the_change_form_links_to_previews(self, admin_client):
        item = _draft()
        html = admin_client.get(_change_url(item)).content.decode()
        assert "/en/preview/treatment/new-therapy/" in html
        assert "/fr/preview/treatment/new-therapy/" in html


class TestHistory:
    def test_admin_saves_are_versioned_with_who_and_a_revert_restores_both_languages(
        self, admin_client, admin_user, client, django_capture_on_commit_callbacks
    ):
        surgery = Treatment.objects.get(key="surgery")
        admin_save(
            admin_client,
            _change_url(surgery),
            title_en="Operation",
            title_fr="Opération",
        )
        assert "Operation" in visible_text(client.get("/en/treatments/surgery/"))
        versions = Version.objects.get_for_object(surgery)
        assert versions[0].revision.user == admin_user
        original = versions[1]  # the version load_content recorded
        history = admin_client.get(f"/admin/neuroinfo/treatment/{surgery.pk}/history/")
        assert f"/admin/neuroinfo/treatment/{surgery.pk}/history/{original.pk}/" in (
            history.content.decode()
        )
        assert original.revision.comment.startswith("load_content from")
        assert "Opération" in visible_text(client.get("/fr/traitements/chirurgie/"))
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_save(
                admin_client,
                f"/admin/neuroinfo/treatment/{surgery.pk}/history/{original.pk}/",
            )
        assert response.status_code == 302
        surgery.refresh_from_db()
        assert (surgery.title_en, surgery.title_fr) == ("Surgery", "Chirurgie")
        # The revert reaches families at once, in both languages (pages were cached).
        assert "Opération" not in visible_text(client.get("/fr/traitements/chirurgie/"))
        assert "Operation" not in visible_text(client.get("/en/treatments/surgery/"))

    def test_a_deleted_item_can_be_recovered(self, admin_client):
        term = GlossaryTerm.objects.get(key="biopsy")
        admin_client.post(
            f"/admin/neuroinfo/glossaryterm/{term.pk}/delete/", {"post": "yes"}
        )
        assert not GlossaryTerm.objects.filter(key="biopsy").exists()
        deleted = Version.objects.get_deleted(GlossaryTerm).get(object_id=str(term.pk))
        response = admin_save(
            admin_client, f"/admin/neuroinfo/glossaryterm/recover/{deleted.pk}/"
        )
        assert response.status_code == 302
        term = GlossaryTerm.objects.get(key="biopsy")
        assert (term.title_en, term.title_fr) == ("Biopsy", "Biopsie")

    def test_load_content_records_what_changed_an_item(self, content_copy):
        path = content_copy / "en/treatments/surgery.md"
        path.write_text(
            path.read_text().replace("title: Surgery\n", "title: Surgeries\n")
        )
        load_tree(content_copy)
        latest = Version.objects.get_for_object(Treatment.objects.get(key="surgery"))[0]
        assert latest.revision.comment == f"load_content from {content_copy}"
        assert latest.revision.user is None


class TestReview:
    def test_pages_show_last_reviewed_and_next_review_due(self, client):
        surgery = Treatment.objects.get(key="surgery")
        surgery.last_reviewed = datetime.date(2026, 11, 27)  # next due: 3 years on
        surgery.reviewed_by = "Dr. A. Martin"
        surgery.reviewed_by_role_en = "Paediatric oncologist"
        surgery.reviewed_by_role_fr = "Oncologue pédiatrique"
        surgery.save()
        en = parse(client.get("/en/treatments/surgery/"))
        reviewed = en.find(data_testid="last-reviewed")
        assert reviewed.find("time", datetime="2026-11-27").text == "November 27, 2026"
        assert reviewed.text == (
            "Last reviewed: November 27, 2026, Dr. A. Martin, Paediatric oncologist"
        )
        due = en.find(data_testid="next-review")
        assert due.find("time", datetime="2029-11-27").text == "November 27, 2029"
        fr = parse(client.get("/fr/traitements/chirurgie/"))
        due = fr.find(data_testid="next-review")
        assert due.find("time", datetime="2029-11-27").text == "27 novembre 2029"
        assert "Prochaine révision prévue" in due.text
        assert "Oncologue pédiatrique" in fr.find(data_testid="last-reviewed").text

    def test_the_next_review_defaults_to_the_interval(self, settings):
        settings.REVIEW_INTERVAL_YEARS = 2
        item = _draft(last_reviewed=datetime.date(2028, 2, 29))
        assert item.next_review_due == datetime.date(2030, 2, 28)

    def test_reviews_due_are_listed_with_fixed_dates(self, admin_client):
        today = datetime.date(2026, 11, 27)
        reviewed = datetime.date(2024, 1, 31)
        overdue = Treatment.objects.get(key="surgery")
        overdue.last_reviewed = reviewed
        overdue.next_review_due = datetime.date(2026, 11, 1)
        overdue.save()
        soon = GlossaryTerm.objects.get(key="biopsy")
        soon.last_reviewed = reviewed
        soon.next_review_due = datetime.date(2027, 1, 20)  # 54 days away
        soon.save()
        later = GlossaryTerm.objects.get(key="tumour")
        later.last_reviewed = reviewed
        later.next_review_due = datetime.date(2027, 1, 31)  # 65 days away
        later.save()
        due = [(item.key, state) for item, state, _url in reviews_due(today)]
        assert due == [("surgery", "overdue"), ("biopsy", "due_soon")]
        assert review_state(later, today) == "current"

    def test_the_admin_front_page_and_lists_show_reviews_due(self, admin_client):
        surgery = Treatment.objects.get(key="surgery")
        surgery.last_reviewed = datetime.date.today() - datetime.timedelta(days=1100)
        surgery.next_review_due = datetime.date.today() - datetime.timedelta(days=1)
        surgery.save()
        due = parse(admin_client.get("/admin/")).find(data_testid="reviews-due")
        assert "Surgery" in due.text
        listing = admin_client.get(
            "/admin/neuroinfo/treatment/?review=overdue"
        ).content.decode()
        assert "Surgery" in listing and "Chemotherapy" not in listing


class TestTranslation:
    def test_missing_and_out_of_date_translations(self, client, admin_client):
        surgery = Treatment.objects.get(key="surgery")
        assert translation_status(surgery, "fr") == "complete"
        surgery.summary_fr = ""
        surgery.save()
        assert translation_status(surgery, "fr") == "missing"
        chemo = Treatment.objects.get(key="chemotherapy")
        chemo.title_en = "Chemotherapy (drug treatment)"
        chemo.save()
        assert translation_status(chemo, "fr") == "out_of_date"
        chemo.title_fr = "Chimiothérapie (traitement par médicaments)"
        chemo.save()
        assert translation_status(chemo, "fr") == "complete"
        listing = admin_client.get("/admin/neuroinfo/treatment/?translation=fr:missing")
        text = visible_text(listing)
        assert "Surgery" in text and "Radiation therapy" not in text
        status = parse(admin_client.get("/admin/translation-status/"))
        assert status.has(data_state="missing")

    def test_a_missing_french_question_makes_its_page_missing(self):
        question = Question.objects.get(key="q-clinical-trial")
        question.text_fr = ""
        question.save()
        assert (
            translation_status(GuidePage.objects.get(key="questions-to-ask"), "fr")
            == "missing"
        )

    def test_french_pages_mark_english_fallback_text(
        self, client, django_capture_on_commit_callbacks
    ):
        surgery = Treatment.objects.get(key="surgery")
        surgery.body_fr = ""
        with django_capture_on_commit_callbacks(execute=True):  # rendered on commit
            surgery.save()
        response = client.get("/fr/traitements/chirurgie/")
        assert parse(response).find("div", class_="prose").get("lang") == "en"
        assert "Cette section n’est pas encore traduite en français." in page_text(
            response
        )
        text = visible_text(response)  # glossary terms are marked inside the text
        assert "main treatment when the cancer has not spread" in text
        english = parse(client.get("/en/treatments/surgery/"))
        before_pager = [
            e
            for e in english.find("main").iter()
            if e < english.find(data_testid="prev-next")
        ]
        assert not any(e.get("lang") == "en" for e in before_pager)

    def test_a_fully_translated_french_page_has_no_notice(self, client):
        page = parse(client.get("/fr/traitements/chirurgie/"))
        assert not page.has(data_testid="translation-notice")


class TestReadingLevel:
    def test_scores_are_computed_on_save_and_flagged_past_the_target(
        self, admin_client, django_capture_on_commit_callbacks
    ):
        surgery = Treatment.objects.get(key="surgery")
        assert set(surgery.reading_score) == {"en", "fr"}
        surgery.body_en = (
            "Notwithstanding considerable interindividual heterogeneity, multimodal "
            "therapeutic interventions incorporating cytoreductive neurosurgical "
            "methodologies demonstrate substantially ameliorated locoregional control."
        )
        with django_capture_on_commit_callbacks(execute=True):  # scored on commit
            surgery.save()
        surgery.refresh_from_db()
        assert surgery.reading_score["en"] > 8
        listing = admin_client.get("/admin/neuroinfo/treatment/?reading=above")
        assert "Surgery" in visible_text(listing)
        assert "⚑" in listing.content.decode()


class TestContentFiles:
    def test_new_fields_round_trip_through_the_files(
        self, content_copy, tmp_path, client
    ):
        path = content_copy / "en/treatments/surgery.md"
        # Replace the shipped sources, if any, by one this test knows.
        text = re.sub(r"\nsources:\n(?:[- ] .*\n)+", "\n", path.read_text())
        text = text.replace(
            "status: published\n",
            "status: published\nlast_reviewed: 2026-11-27\n"
            "next_review_due: 2029-11-27\nreviewed_by: Dr. A. Martin\n",
        )
        # The shipped file's own sources give way to one test source.
        text = re.sub(
            r"\n(?:sources:\n(?:[- ] .*\n)+)?title: Surgery\n",
            "\nsources:\n- title: Treatments for neuroblastoma\n  publisher: A publisher\n"
            "  url: https://example.org/neuroblastoma\n  accessed: 2026-11-20\n"
            "title: Surgery\n",
            text,
            count=1,
        )
        text = text.replace(
            "\n---\n\n", "\nreviewed_by_role: Paediatric oncologist\n---\n\n", 1
        )
        path.write_text(text)
        fr = content_copy / "fr/treatments/surgery.md"
        fr.write_text(
            fr.read_text().replace(
                "\n---\n\n", "\nreviewed_by_role: Oncologue pédiatrique\n---\n\n", 1
            )
        )
        call_command("load_content", str(content_copy), stdout=io.StringIO())
        surgery = Treatment.objects.get(key="surgery")
        assert surgery.reviewed_by == "Dr. A. Martin"
        assert surgery.reviewed_by_role_fr == "Oncologue pédiatrique"
        assert surgery.sources.get().url == "https://example.org/neuroblastoma"
        call_command("export_content", str(tmp_path), stdout=io.StringIO())
        assert (tmp_path / "en/treatments/surgery.md").read_text() == path.read_text()
        assert (tmp_path / "fr/treatments/surgery.md").read_text() == fr.read_text()
        sources = parse(client.get("/en/treatments/surgery/")).find(
            data_testid="sources"
        )
        link = sources.find("a", href="https://example.org/neuroblastoma")
        assert link.get("rel") == "external"

    def test_a_file_without_status_loads_as_a_draft(self, content_copy):
        path = content_copy / "en/glossary/biopsy.md"
        path.write_text(path.read_text().replace("status: published\n", ""))
        load_tree(content_copy, force=True)
        assert GlossaryTerm.objects.get(key="biopsy").status == "draft"
