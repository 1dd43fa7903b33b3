"""Key points and contents lists: shown, translated, faithful, loaded and edited safely."""

import filecmp
import html
import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from neuroinfo.contentfiles.loader import LoadFailed, load_tree
from neuroinfo.contentfiles.records import record_from_db, record_hash
from neuroinfo.contentfiles.schema import KINDS_BY_FOLDER
from neuroinfo.links import item_url
from neuroinfo.models import (
    GuidePage,
    Question,
    ResponseCategory,
    RiskFactor,
    Treatment,
)
from tests.contenttree import edit, load_problems
from tests.dom import parse
from tests.helpers import NBSP, admin_save

pytestmark = pytest.mark.django_db

TREATMENTS = [
    "chemotherapy",
    "high-risk-treatment",
    "radiation-therapy",
    "retinoids-and-immunotherapy",
    "stem-cell-rescue",
    "surgery",
    "targeted-therapy",
    "watchful-waiting",
]
LANGUAGES = ["en", "fr"]
HEADING = {"en": "Key points", "fr": "Points clés"}
CONTENTS = {"en": "On this page", "fr": "Sur cette page"}


def get(client, item, lang: str) -> str:
    response = client.get(item_url(item, lang))
    assert response.status_code == 200, item_url(item, lang)
    return response.content.decode()


def listed_points(page: str) -> list[str]:
    """The text of each point in the page's key points box."""
    box = parse(page).find(data_testid="key-points")
    return [li.text for li in box.find("ul").find_all("li")]


def contents_links(page: str) -> list[tuple[str, str | None]]:
    """(anchor, language if marked) of each link in the contents list, or [] without
    one."""
    found = parse(page).find_all(data_testid="contents")
    if not found:
        return []
    return [(a.get("href")[1:], a.get("lang")) for a in found[0].find_all("a")]


class TestTreatmentPages:
    @pytest.mark.parametrize("lang", LANGUAGES)
    @pytest.mark.parametrize("key", TREATMENTS)
    def test_every_treatment_opens_with_its_key_points(self, client, key, lang):
        item = Treatment.objects.get(key=key)
        points = getattr(item, f"key_points_{lang}").splitlines()
        assert 3 <= len(points) <= 5, (key, lang, points)
        page = get(client, item, lang)
        dom = parse(page)
        box = dom.find(data_testid="key-points")
        assert box.find("h2").text == HEADING[lang]
        assert listed_points(page) == points
        # Right under the title, before the body and its sections.
        title = dom.find("h1")
        assert title < box < dom.find(class_="prose")
        # In the reader's language: no notice, no lang="en".
        assert not box.has(data_testid="translation-notice")
        assert box.get("lang") is None and not box.has(lang="en")

    def test_french_numbers_in_key_points_keep_their_non_breaking_space(self, client):
        page = get(client, Treatment.objects.get(key="watchful-waiting"), "fr")
        box = parse(page).find(data_testid="key-points")
        assert f"moins de 6{NBSP}mois" in box.raw_text

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_key_points_say_only_numbers_their_page_says(self, lang):
        """Faithful to the body: every number in a point is a number of the page."""
        checked = 0
        for item in pages_with_my_templates():
            bodies = [getattr(item, f"body_{lang}")]
            if isinstance(item, Treatment):
                bodies += [
                    getattr(sub, f"body_{lang}") for sub in item.subsections.all()
                ]
            numbers = set(re.findall(r"\d+", " ".join(bodies)))
            for number in re.findall(r"\d+", getattr(item, f"key_points_{lang}")):
                assert number in numbers, (item.key, number)
                checked += 1
        assert checked >= 2  # "6" and "4" (stage 4S) on watchful waiting

    def test_an_empty_french_list_falls_back_to_english_with_a_notice(self, client):
        surgery = Treatment.objects.get(key="surgery")
        english = surgery.key_points_en.splitlines()
        surgery.key_points_fr = ""
        surgery.save()
        page = get(client, surgery, "fr")
        box = parse(page).find(data_testid="key-points")
        assert box.find("h2").text == HEADING["fr"]  # the interface stays French
        assert box.has(data_testid="translation-notice")
        assert box.find("ul", class_="key-points__list").get("lang") == "en"
        assert listed_points(page) == english
        # The English page is untouched: no notice.
        english_box = parse(get(client, surgery, "en")).find(data_testid="key-points")
        assert not english_box.has(data_testid="translation-notice")

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_a_page_without_key_points_shows_no_box(self, client, lang):
        surgery = Treatment.objects.get(key="surgery")
        surgery.key_points_en = surgery.key_points_fr = ""
        surgery.save()
        page = get(client, surgery, lang)
        assert not parse(page).has(data_testid="key-points")
        assert HEADING[lang] not in page


class TestOtherGuideItems:
    @pytest.mark.parametrize(
        ("model", "key"),
        [(RiskFactor, "stage"), (GuidePage, "follow-up-care"),
         (GuidePage, "clinical-trials")],
    )  # fmt: skip
    @pytest.mark.parametrize(
        ("lang", "points"),
        [("en", ["First point.", "Second point."]),
         ("fr", ["Premier point.", "Deuxième point."])],
    )  # fmt: skip
    def test_risk_factors_and_pages_show_their_key_points(
        self, client, model, key, lang, points
    ):
        item = model.objects.get(key=key)
        setattr(item, f"key_points_{lang}", "\n".join(points))
        item.save()
        assert listed_points(get(client, item, lang)) == points

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_the_response_page_opens_with_key_points_before_the_categories(
        self, client, lang
    ):
        page = get(client, GuidePage.objects.get(key="response-to-treatment"), lang)
        dom = parse(page)
        assert len(listed_points(page)) == 5
        first_category = dom.find("section", class_="response")
        box = dom.find(data_testid="key-points")
        assert box < dom.find(data_testid="contents") < first_category

    def test_a_response_category_shows_its_own_points_inside_its_section(self, client):
        category = ResponseCategory.objects.get(key="stable-disease")
        category.key_points_en = "Some tumours may have shrunk, but by less than 30%."
        category.save()
        page = get(client, GuidePage.objects.get(key="response-to-treatment"), "en")
        section = parse(page).find("h2", id=category.slug_en).parent
        heading = section.find("h3", id="stable-disease-key-points-heading")
        assert heading.text == HEADING["en"]
        assert "by less than 30%." in section.find(data_testid="key-points").text
        # A sub-list is not a section of its own in the contents list.
        assert "stable-disease-key-points-heading" not in [
            anchor for anchor, _attrs in contents_links(page)
        ]


def _ids(page: str) -> list[str]:
    return [element.get("id") for element in parse(page).find_all(id=True)]


def expected_sections(item, lang: str) -> list[str]:
    """The anchors a page's contents list should link, in order, from the database."""
    body = getattr(item, f"body_html_{lang}") or item.body_html_en
    anchors = [h2.get("id") for h2 in parse(body).find_all("h2", id=True)]
    with translation.override(lang):  # slugs in the page's language
        if isinstance(item, Treatment):
            anchors += [sub.slug for sub in item.subsections.published()]
        if isinstance(item, GuidePage) and item.key == "response-to-treatment":
            anchors += [c.slug for c in ResponseCategory.objects.published()]
    if isinstance(item, GuidePage) and item.questions.published().exists():
        anchors.append("questions-heading")
    return anchors


def pages_with_my_templates():
    """Every treatment, risk factor and guide page the templates with contents show."""
    others = {GuidePage.HOME_KEY, "questions-to-ask", "glossary"}
    return [
        *Treatment.objects.published().filter(parent__isnull=True),
        *RiskFactor.objects.published(),
        *GuidePage.objects.published().exclude(key__in=others),
    ]


class TestContentsList:
    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_contents_appear_exactly_on_pages_with_three_sections_or_more(
        self, client, lang
    ):
        listed = []
        for item in pages_with_my_templates():
            page = get(client, item, lang)
            anchors = [anchor for anchor, _attrs in contents_links(page)]
            wanted = expected_sections(item, lang)
            assert anchors == (wanted if len(wanted) >= 3 else []), item.key
            ids = _ids(page)
            for anchor in anchors:
                assert ids.count(anchor) == 1, (item.key, anchor)
            if anchors:
                contents = parse(page).find(data_testid="contents")
                assert contents.find("h2").text == CONTENTS[lang]
                listed.append(item.key)
        # The long pages of the shipped guide have one (the check above: short ones not).
        long_pages = {"about", "privacy", "response-to-treatment", "surgery"}
        long_pages |= {"chemotherapy", "radiation-therapy", "stem-cell-rescue"}
        long_pages |= {"high-risk-treatment", "retinoids-and-immunotherapy"}
        long_pages |= {"targeted-therapy", "watchful-waiting", "clinical-trials"}
        long_pages |= {"follow-up-care", "late-effects", "side-effects"}
        long_pages |= {"age", "overall-health", "risk-groups-and-stages", "stage"}
        assert long_pages <= set(listed)

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_the_response_page_lists_its_four_categories(self, client, lang):
        page = get(client, GuidePage.objects.get(key="response-to-treatment"), lang)
        categories = ResponseCategory.objects.order_by("order")
        slugs = [getattr(category, f"slug_{lang}") for category in categories]
        assert len(slugs) == 4
        # The page's own sections come first, then the four categories, in order.
        anchors = [anchor for anchor, _attrs in contents_links(page)]
        assert anchors[-4:] == slugs
        assert not set(anchors[:-4]) & set(slugs)

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_body_headings_and_sub_sections_make_one_list(
        self, client, lang, django_capture_on_commit_callbacks
    ):
        surgery = Treatment.objects.get(key="surgery")
        body = parse(getattr(surgery, f"body_html_{lang}"))
        own = [h2.get("id") for h2 in body.find_all("h2", id=True)]
        setattr(
            surgery,
            f"body_{lang}",
            getattr(surgery, f"body_{lang}")
            + "\n\n## Before\n\nText.\n\n## After\n\nText.",
        )
        with django_capture_on_commit_callbacks(execute=True):  # rendered on commit
            surgery.save()
        page = get(client, surgery, lang)
        second_look = Treatment.objects.get(key="second-look-surgery")
        anchors = [anchor for anchor, _attrs in contents_links(page)]
        slug = getattr(second_look, f"slug_{lang}")
        assert anchors == [*own, "before", "after", slug]
        for anchor in anchors:
            assert _ids(page).count(anchor) == 1
        # The list sits between the key points and the body.
        dom = parse(page)
        assert (
            dom.find(data_testid="key-points")
            < dom.find(data_testid="contents")
            < dom.find(class_="prose")
        )

    def test_two_sections_are_not_enough(
        self, client, django_capture_on_commit_callbacks
    ):
        surgery = Treatment.objects.get(key="surgery")
        surgery.body_en = "Text.\n\n## Before\n\nText."  # and its second-look section
        with django_capture_on_commit_callbacks(execute=True):  # rendered on commit
            surgery.save()
        assert contents_links(get(client, surgery, "en")) == []

    def test_an_untranslated_section_title_is_marked_english(
        self, client, django_capture_on_commit_callbacks
    ):
        surgery = Treatment.objects.get(key="surgery")
        surgery.body_fr += "\n\n## Avant\n\nTexte.\n\n## Après\n\nTexte."
        with django_capture_on_commit_callbacks(execute=True):  # rendered on commit
            surgery.save()
        Treatment.objects.filter(key="second-look-surgery").update(title_fr="")
        links = dict(contents_links(get(client, surgery, "fr")))
        assert links["avant"] is None
        assert links["chirurgie-de-second-regard"] == "en"

    def test_a_pages_questions_are_one_of_its_sections(
        self, client, django_capture_on_commit_callbacks
    ):
        page = GuidePage.objects.get(key="clinical-trials")
        page.body_en = "## Who can take part\n\nText.\n\n## How to ask\n\nText."
        with django_capture_on_commit_callbacks(execute=True):  # rendered on commit
            page.save()
        Question.objects.create(
            page=page, key="q-test", text_en="Can my child join?", status="published"
        )
        anchors = [a for a, _attrs in contents_links(get(client, page, "en"))]
        assert anchors == ["who-can-take-part", "how-to-ask", "questions-heading"]


def _replace_point(root, lang: str, number: int, new: str) -> int:
    """Replace a surgery key point in a copy of the content; return its line number."""
    path = root / lang / "treatments/surgery.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("key_points:")
    lines[start + number] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return start + number + 1


class TestContentFiles:
    @pytest.mark.parametrize(
        ("lang", "bad", "problem"),
        [
            ("en", "- ''", "'key_points' point 2 must be text"),
            ("en", "- 42", "'key_points' point 2 must be text"),
            ("en", "- " + "A very long point. " * 11, "characters long"),
            ("fr", "- " + "Un point bien trop long. " * 9, "characters long"),
            ("fr", '- "Une ligne\\net une autre"', "must fit on one line"),
        ],
    )
    def test_a_malformed_point_is_named_with_its_line_and_nothing_loads(
        self, content_copy, lang, bad, problem
    ):
        # A valid change elsewhere must not be loaded either.
        edit(
            content_copy / "en/treatments/chemotherapy.md",
            "- It is given in rounds called cycles,",
            "- It is given in rounds (changed) called cycles,",
        )
        line = _replace_point(content_copy, lang, 2, bad)
        messages = load_problems(content_copy)
        where = f"{lang}/treatments/surgery.md:{line}: "
        assert any(where in m and problem in m for m in messages), messages

    def test_key_points_that_are_not_a_list_are_refused(self, content_copy):
        path = content_copy / "fr/treatments/surgery.md"
        text = path.read_text(encoding="utf-8")
        start = text.index("key_points:\n")
        end = text.index("---", start)
        path.write_text(
            text[:start] + "key_points: Un seul point.\n" + text[end:], encoding="utf-8"
        )
        line = text[:start].count("\n") + 1
        with pytest.raises(LoadFailed) as failure:
            load_tree(content_copy)
        messages = [str(error) for error in failure.value.errors]
        where = f"fr/treatments/surgery.md:{line}: 'key_points' must be a list"
        assert any(where in m for m in messages), messages

    def test_a_changed_point_updates_its_item(self, content_copy):
        _replace_point(content_copy, "fr", 1, "- La chirurgie est un traitement.")
        report = load_tree(content_copy)
        assert report.updated == ["treatment:surgery"]
        surgery = Treatment.objects.get(key="surgery")
        assert (
            surgery.key_points_fr.splitlines()[0] == "La chirurgie est un traitement."
        )

    def test_exported_files_keep_key_points_after_the_summary(self, tmp_path):
        call_command("export_content", str(tmp_path), stdout=io.StringIO())
        for lang in LANGUAGES:
            for key in [*TREATMENTS, "response-to-treatment"]:
                folder = "pages" if key == "response-to-treatment" else "treatments"
                rel = f"{lang}/{folder}/{key}.md"
                text = (tmp_path / rel).read_text(encoding="utf-8")
                assert re.search(r"\nsummary: .*\nkey_points:\n- ", text), rel
                assert filecmp.cmp(
                    settings.CONTENT_DIR / rel, tmp_path / rel, shallow=False
                ), rel

    def test_a_fingerprint_from_before_key_points_still_matches(self):
        """Items loaded before key points existed are not taken for admin edits."""
        kind = KINDS_BY_FOLDER["response"]
        record = record_from_db(
            kind, ResponseCategory.objects.get(key="partial-response")
        )
        assert record["key_points_en"] == record["key_points_fr"] == ""
        old = {k: v for k, v in record.items() if not k.startswith("key_points_")}
        assert record_hash(record) == record_hash(old)
        assert record_hash({**record, "key_points_fr": "Un point."}) != record_hash(old)


def _treatment_url(item) -> str:
    return f"/admin/neuroinfo/treatment/{item.pk}/change/"


class TestAdmin:
    @pytest.mark.parametrize(
        ("model", "key"),
        [(Treatment, "surgery"), (RiskFactor, "stage"), (GuidePage, "follow-up-care"),
         (ResponseCategory, "complete-response")],
    )  # fmt: skip
    def test_the_change_form_has_key_points_in_both_languages(
        self, admin_client, model, key
    ):
        item = model.objects.get(key=key)
        url = f"/admin/neuroinfo/{model._meta.model_name}/{item.pk}/change/"
        page = admin_client.get(url).content.decode()
        for lang in LANGUAGES:
            assert f'name="key_points_{lang}"' in page, (model, lang)
        assert "One short point per line, listed at the top of the page." in page
        if key == "surgery":
            assert html.escape(item.key_points_fr.splitlines()[0], quote=False) in (
                page.replace("&#x27;", "'")
            )

    def test_points_edited_in_the_admin_show_on_the_page(self, admin_client, client):
        surgery = Treatment.objects.get(key="surgery")
        response = admin_save(
            admin_client,
            _treatment_url(surgery),
            key_points_fr="  Premier point.  \r\n\r\nDeuxième point.\r\n",
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        page = get(client, Treatment.objects.get(key="surgery"), "fr")
        assert listed_points(page) == ["Premier point.", "Deuxième point."]

    def test_an_admin_edit_of_key_points_is_kept_by_the_next_load(self, admin_client):
        surgery = Treatment.objects.get(key="surgery")
        admin_save(admin_client, _treatment_url(surgery), key_points_en="Edited.")
        report = load_tree(settings.CONTENT_DIR)
        assert report.kept == ["treatment:surgery"]
        assert Treatment.objects.get(key="surgery").key_points_en == "Edited."

    def test_an_exported_admin_edit_loads_back_unchanged(self, admin_client, tmp_path):
        surgery = Treatment.objects.get(key="surgery")
        admin_save(
            admin_client,
            _treatment_url(surgery),
            key_points_en="One. \r\n\r\n Two.",
        )
        call_command("export_content", str(tmp_path), stdout=io.StringIO())
        text = (tmp_path / "en/treatments/surgery.md").read_text(encoding="utf-8")
        assert "key_points:\n- One.\n- Two.\n" in text
        report = load_tree(tmp_path)
        assert report.kept == report.updated == []

    def test_an_over_long_point_is_a_form_error(self, admin_client):
        surgery = Treatment.objects.get(key="surgery")
        response = admin_save(
            admin_client, _treatment_url(surgery), key_points_fr="Trop long. " * 20
        )
        assert response.status_code == 200
        assert "Keep each key point to 200 characters or fewer." in (
            response.content.decode()
        )
        assert Treatment.objects.get(key="surgery").key_points_fr != "Trop long. " * 20
