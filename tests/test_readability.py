"""Reading level: English scored with the Flesch-Kincaid grade, French with the
Kandel-Moles reading ease, each against its own target, shown and filtered in the
admin in both languages. Expected values are worked out by hand in each test."""

import pytest

from neuroinfo.contentfiles.loader import load_tree
from neuroinfo.links import content_models
from neuroinfo.models import GlossaryTerm, Treatment
from neuroinfo.readability import (
    FLESCH_KINCAID,
    KANDEL_MOLES,
    Counts,
    counts,
    formula_for,
    prose,
    reading_score,
    syllables,
)
from neuroinfo.rerender import rescore_all
from neuroinfo.status import reading_flag
from tests.helpers import visible_text
from tests.test_settings import settings_in

EASY_EN = "The cat sat on the mat. The dog ran to the big red ball."
HARD_EN = (
    "Chemotherapy uses medicine to destroy cancer cells. Surgery removes the tumour."
)
EASY_FR = "Le chat dort sur le lit. Le chien joue dans le grand jardin."
HARD_FR = (
    "La chimiothérapie détruit les cellules cancéreuses. "
    "Le médecin parle à la famille de votre enfant."
)


class TestFormulas:
    def test_one_syllable_english_words(self):
        # 14 words, 2 sentences, 14 syllables: 0.39 * 7 + 11.8 * 1 - 15.59 = -1.06.
        assert counts(EASY_EN, "en") == Counts(words=14, sentences=2, syllables=14)
        assert reading_score(EASY_EN, "en") == -1.1

    def test_long_english_words_raise_the_grade(self):
        # Chemotherapy 5, uses 2, medicine 3, to 1, destroy 2, cancer 2, cells 1;
        # surgery 3, removes 2, the 1, tumour 2: 11 words, 2 sentences, 24 syllables.
        # 0.39 * 5.5 + 11.8 * 24/11 - 15.59 = 2.145 + 25.745 - 15.59 = 12.30.
        assert counts(HARD_EN, "en") == Counts(words=11, sentences=2, syllables=24)
        assert reading_score(HARD_EN, "en") == 12.3

    def test_french_is_scored_with_kandel_moles(self):
        # 13 words, 2 sentences, 14 syllables (jar-din is the only word of two):
        # 207 - 1.015 * 6.5 - 73.6 * 14/13 = 207 - 6.5975 - 79.2615 = 121.14.
        assert counts(EASY_FR, "fr") == Counts(words=13, sentences=2, syllables=14)
        assert reading_score(EASY_FR, "fr") == 121.1
        assert formula_for("fr") is KANDEL_MOLES and formula_for("en") is FLESCH_KINCAID

    def test_long_french_words_lower_the_ease(self):
        # la 1, chi-mio-thé-ra-pie 5, dé-truit 2, les 1, cel-lules 2, can-cé-reuses
        # 3; le 1, mé-de-cin 3, parle 1, à 1, la 1, fa-mille 2, de 1, votre 1,
        # en-fant 2: 15 words, 2 sentences, 27 syllables.
        # 207 - 1.015 * 7.5 - 73.6 * 1.8 = 207 - 7.6125 - 132.48 = 66.91.
        assert counts(HARD_FR, "fr") == Counts(words=15, sentences=2, syllables=27)
        assert reading_score(HARD_FR, "fr") == 66.9

    def test_the_same_counts_under_the_english_formula_would_say_something_else(self):
        # As a Flesch-Kincaid grade, the French sentences above would read
        # 0.39 * 7.5 + 11.8 * 1.8 - 15.59 = 2.925 + 21.24 - 15.59 = 8.575: "above
        # grade 8" for two plain French sentences.
        assert FLESCH_KINCAID.score(counts(HARD_FR, "fr")) == 8.6

    @pytest.mark.parametrize(
        ("word", "language", "expected"),
        [
            ("chemotherapy", "en", 5),  # the CMU dictionary
            ("follow-up", "en", 3),  # each part
            ("neuroblastoma", "en", 5),  # not in the dictionary: hyphenation
            ("l'enfant", "fr", 2),  # the elided article joins the next syllable
            ("a-t-elle", "fr", 2),
            ("chimiothérapie", "fr", 5),
        ],
    )
    def test_syllables(self, word, language, expected):
        assert syllables(word, language) == expected

    def test_headings_are_left_out_and_each_block_ends_a_sentence(self):
        html = (
            "<h2>Side effects</h2><p>Some children feel tired</p>"
            "<ul><li>Rest <em>often</em></li><li>Drink water</li></ul>"
        )
        assert prose(html) == "Some children feel tired\nRest often\nDrink water"
        found = counts(prose(html), "en")
        assert (found.words, found.sentences) == (8, 3)

    def test_a_score_misses_its_target_as_it_is_shown(self):
        # An ease is shown without decimals: 59.9 reads "60" and meets a target of 60.
        assert not KANDEL_MOLES.misses(59.9, 60) and KANDEL_MOLES.misses(59.4, 60)
        assert FLESCH_KINCAID.misses(8.1, 8) and not FLESCH_KINCAID.misses(8.0, 8)

    def test_text_too_short_to_judge_has_no_score(self):
        assert reading_score("Surgery removes the tumour.", "en") is None


@pytest.mark.django_db
class TestStoredScores:
    def test_every_shipped_item_is_scored_by_its_languages_formula(self):
        for item in [*Treatment.objects.all(), *GlossaryTerm.objects.all()]:
            assert item.reading_score == item.score_reading()
            assert set(item.reading_score) == {"en", "fr"}

    def test_the_flag_separates_the_hardest_pages_from_the_rest(self):
        """The shipped text is written to the targets: the flag picks out the few
        hardest items in each language (a handful of glossary entries), not all."""
        items = [item for model in content_models() for item in model.objects.all()]
        for code, harder in (("en", float.__gt__), ("fr", float.__lt__)):
            flagged = [i for i in items if reading_flag(i, code)]
            rest = [i for i in items if i.reading_score.get(code) is not None]
            rest = [i for i in rest if i not in flagged]
            assert 0 < len(flagged) <= len(items) // 10, (code, flagged)
            assert all(
                harder(float(f.reading_score[code]), float(r.reading_score[code]))
                for f in flagged
                for r in rest
            )

    def test_load_content_rescores_items_it_leaves_unchanged(self, settings):
        Treatment.objects.filter(key="surgery").update(reading_score={"en": 99})
        report = load_tree(settings.CONTENT_DIR)
        assert "treatment:surgery" in report.unchanged
        surgery = Treatment.objects.get(key="surgery")
        assert surgery.reading_score == surgery.score_reading()
        assert rescore_all() == 0

    def test_targets_come_from_settings(self, settings):
        surgery = Treatment.objects.get(key="surgery")
        surgery.reading_score = {"en": 9.0, "fr": 65.0}
        settings.READING_TARGETS = {"en": 8, "fr": 60}
        assert reading_flag(surgery, "en") and not reading_flag(surgery, "fr")
        settings.READING_TARGETS = {"en": 10, "fr": 70}
        assert not reading_flag(surgery, "en") and reading_flag(surgery, "fr")


def test_targets_are_read_from_the_environment():
    result = settings_in(
        {
            "DJANGO_DEBUG": "1",
            "NEUROINFO_READING_TARGET_EN": "7.5",
            "NEUROINFO_READING_TARGET_FR": "65",
        },
        "s.READING_TARGETS",
    )
    assert result.stdout.strip() == "{'en': 7.5, 'fr': 65.0}"
    default = settings_in({"DJANGO_DEBUG": "1"}, "s.READING_TARGETS")
    assert default.stdout.strip() == "{'en': 8.0, 'fr': 60.0}"


@pytest.mark.django_db
class TestAdmin:
    @pytest.fixture
    def scored(self):
        """Surgery misses the English target only, chemotherapy the French only,
        radiation both, targeted therapy neither."""
        scores = {
            "surgery": {"en": 9.2, "fr": 63.0},
            "chemotherapy": {"en": 7.9, "fr": 55.0},
            "radiation-therapy": {"en": 11.0, "fr": 48.0},
            "targeted-therapy": {"en": 6.0, "fr": 75.0},
        }
        for key, score in scores.items():
            Treatment.objects.filter(key=key).update(reading_score=score)
        return scores

    @pytest.mark.parametrize(
        ("language", "column", "panel", "note"),
        [
            (
                "en",
                "EN grade 9.2 ⚑ · FR ease 63 (Kandel-Moles)",
                [
                    "English: Flesch-Kincaid grade 9.2 ⚑ (target: 8 or lower)",
                    "French: Kandel-Moles reading ease 63 (target: 60 or higher "
                    "(higher is easier))",
                ],
                "⚑ marks a language whose text is harder to read than its target.",
            ),
            (
                "fr",
                "EN niveau 9,2 ⚑ · FR facilité 63 (Kandel-Moles)",
                [
                    "Anglais : niveau scolaire de Flesch-Kincaid 9,2 ⚑ (cible : 8 ou "
                    "moins)",
                    "Français : facilité de lecture de Kandel-Moles 63 (cible : 60 ou "
                    "plus (plus c’est élevé, plus c’est facile))",
                ],
                "⚑ signale une langue dont le texte est plus difficile à lire que sa "
                "cible.",
            ),
        ],
    )
    def test_the_column_and_panel_name_each_formula_and_target(
        self, admin_client, scored, language, column, panel, note
    ):
        headers = {"HTTP_ACCEPT_LANGUAGE": language}
        listing = visible_text(
            admin_client.get("/admin/neuroinfo/treatment/", **headers)
        )
        assert column in listing
        surgery = Treatment.objects.get(key="surgery")
        form = visible_text(
            admin_client.get(
                f"/admin/neuroinfo/treatment/{surgery.pk}/change/", **headers
            )
        )
        for line in panel:
            assert line in form
        assert note in form

    @pytest.mark.parametrize(
        ("value", "shown", "hidden"),
        [
            (
                "en",
                {"Surgery", "Radiation therapy"},
                {"Chemotherapy", "Targeted therapy"},
            ),
            (
                "fr",
                {"Chemotherapy", "Radiation therapy"},
                {"Surgery", "Targeted therapy"},
            ),
            (
                "above",
                {"Surgery", "Chemotherapy", "Radiation therapy"},
                {"Targeted therapy"},
            ),
            ("within", {"Targeted therapy"}, {"Surgery", "Chemotherapy"}),
        ],
    )
    def test_the_filter_picks_each_language_or_any(
        self, admin_client, scored, value, shown, hidden
    ):
        html = admin_client.get(f"/admin/neuroinfo/treatment/?reading={value}")
        listed = {
            t.title_en
            for t in Treatment.objects.all()
            if f">{t.title_en}</a>" in html.content.decode()
        }
        assert shown <= listed and not hidden & listed, listed

    @pytest.mark.parametrize(
        ("language", "labels"),
        [
            (
                "en",
                [
                    "English: Flesch-Kincaid grade above 8",
                    "French: Kandel-Moles reading ease below 60",
                    "Harder than its target in any language",
                ],
            ),
            (
                "fr",
                [
                    "Anglais : niveau scolaire de Flesch-Kincaid au-dessus de 8",
                    "Français : facilité de lecture de Kandel-Moles sous 60",
                    "Plus difficile que sa cible dans au moins une langue",
                ],
            ),
        ],
    )
    def test_the_filter_names_formulas_and_targets(
        self, admin_client, language, labels
    ):
        text = visible_text(
            admin_client.get(
                "/admin/neuroinfo/treatment/", HTTP_ACCEPT_LANGUAGE=language
            )
        )
        for label in labels:
            assert label in text
