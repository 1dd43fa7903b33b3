"""Glossary terms marked where pages first use them, their definitions on the page, and
the glossary page A to Z, in English and French."""

import string

import pytest

from neuroinfo import renderer
from neuroinfo.links import item_url
from neuroinfo.models import GlossaryTerm, GuidePage, Treatment
from neuroinfo.outline.held import outline_for
from neuroinfo.pages.builders import term_definitions
from neuroinfo.readability import plain_text, prose, reading_score
from neuroinfo.rendering import render_markdown
from neuroinfo.rerender import rerender_all
from neuroinfo.terms import Glossary, Term, by_letter, forms, term_keys
from neuroinfo.thresholds import fill
from neuroinfo.words import WORD_RE
from tests.dom import parse
from tests.helpers import empty_cache
from tests.test_rendering import XSS_PAYLOADS, dangers

TITLES = {
    "en": {
        "tumour": "Tumour",
        "primary-tumour": "Primary tumour",
        "bone-marrow": "Bone marrow",
        "bone-marrow-aspiration": "Bone marrow aspiration",
        "metastasis": "Metastasis",
        "mibg-scan": "MIBG scan",
        "stage": "Stage",
        "stem-cell-rescue": "Stem cell rescue",
    },
    "fr": {
        "tumour": "Tumeur",
        "primary-tumour": "Tumeur primitive",
        "bone-marrow": "Moelle osseuse",
        "bone-marrow-aspiration": "Ponction de la moelle osseuse",
        "metastasis": "Métastase",
        "mibg-scan": "Scintigraphie à la MIBG (métaiodobenzylguanidine)",
        "pet-scan": "Tomographie par émission de positrons (TEP)",
        "stem-cell-rescue": "Greffe de cellules souches",
        "differentiate": "Se différencier",
        "imaging-test": "Examen d'imagerie",
    },
}
GLOSSARY_PATH = {"en": "/en/glossary/", "fr": "/fr/glossaire/"}


def glossary() -> Glossary:
    """A glossary built without the database: each term's anchor is its key."""
    return Glossary(
        {
            lang: [
                Term(key, f"{GLOSSARY_PATH[lang]}#{key}", forms(title, lang))
                for key, title in titles.items()
            ]
            for lang, titles in TITLES.items()
        }
    )


def marks(html: str) -> list[tuple[str, str]]:
    """(key, marked text) of every term mark, in order."""
    return [
        (a.get("data-term"), a.raw_text)
        for a in parse(html).find_all("a", class_="term", data_term=True)
    ]


def mark(language: str, text: str, **kwargs) -> list[tuple[str, str]]:
    return marks(glossary().annotate(text, language, **kwargs))


# --- The matcher ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "<p>Tumours grow.</p>", [("tumour", "Tumours")]),
        ("en", "<p>TUMOUR</p>", [("tumour", "TUMOUR")]),
        ("en", "<p>Two MIBG scans.</p>", [("mibg-scan", "MIBG scans")]),
        ("en", "<p>Some metastases.</p>", [("metastasis", "metastases")]),
        ("en", "<p>One metastasis.</p>", [("metastasis", "metastasis")]),
        ("fr", "<p>Des tumeurs.</p>", [("tumour", "tumeurs")]),
        ("fr", "<p>Des TUMEURS.</p>", [("tumour", "TUMEURS")]),
        ("fr", "<p>Des metastases.</p>", [("metastasis", "metastases")]),
        ("fr", "<p>Des Métastases.</p>", [("metastasis", "Métastases")]),
        (
            "fr",
            "<p>Les greffes de cellules souches.</p>",
            [("stem-cell-rescue", "greffes de cellules souches")],
        ),
        (
            "fr",
            "<p>Des tumeurs primitives.</p>",
            [("primary-tumour", "tumeurs primitives")],
        ),
        ("fr", "<p>à se différencier</p>", [("differentiate", "se différencier")]),
        ("fr", "<p>aider à différencier</p>", [("differentiate", "différencier")]),
        (
            "fr",
            "<p>des examens d’imagerie</p>",
            [("imaging-test", "examens d’imagerie")],
        ),
    ],
)
def test_terms_are_found_whatever_their_case_accents_and_endings(
    language, text, expected
):
    assert mark(language, text) == expected


def test_a_title_is_found_with_and_without_its_parenthesised_part():
    with_part = mark(
        "fr", "<p>une scintigraphie à la MIBG (métaiodobenzylguanidine) ici</p>"
    )
    assert with_part == [
        ("mibg-scan", "scintigraphie à la MIBG (métaiodobenzylguanidine)")
    ]
    without = mark("fr", "<p>la tomographie par émission de positrons montre</p>")
    assert without == [("pet-scan", "tomographie par émission de positrons")]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "<p>A bone marrow aspiration takes bone marrow.</p>",
            [
                ("bone-marrow-aspiration", "bone marrow aspiration"),
                ("bone-marrow", "bone marrow"),
            ],
        ),
        (
            "fr",
            "<p>Une ponction de la moelle osseuse prélève de la moelle osseuse.</p>",
            [
                ("bone-marrow-aspiration", "ponction de la moelle osseuse"),
                ("bone-marrow", "moelle osseuse"),
            ],
        ),
        (
            "en",
            "<p>The primary tumour, then a tumour.</p>",
            [("primary-tumour", "primary tumour"), ("tumour", "tumour")],
        ),
    ],
)
def test_the_longest_term_wins(language, text, expected):
    assert mark(language, text) == expected


def test_a_used_longer_term_keeps_its_words_from_a_shorter_one():
    text = "<p>Bone marrow aspiration. Another bone marrow aspiration.</p>"
    assert mark("en", text) == [("bone-marrow-aspiration", "Bone marrow aspiration")]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_only_the_first_occurrence_of_each_term_is_marked(language):
    word = {"en": "tumour", "fr": "tumeur"}[language]
    html = glossary().annotate(
        f"<p>{word} {word}</p><ul><li>{word}s</li></ul>", language
    )
    assert marks(html) == [("tumour", word)]
    assert plain_text(html) == f"{word} {word} {word}s"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_never_inside_a_link_a_heading_or_code(language):
    word = {"en": "Tumour", "fr": "Tumeur"}[language]
    html = glossary().annotate(
        f'<h2 id="x">{word}</h2><h3>{word}</h3><p><a href="/elsewhere/">{word}</a> '
        f"<code>{word}</code></p><pre>{word}</pre><p>Une <em>{word}</em>.</p>",
        language,
    )
    page = parse(html)
    for tag in ("h2", "h3", "code", "pre"):
        assert page.find(tag).children == [word], tag  # the word, unmarked
    link = page.find("a", href="/elsewhere/")
    assert link.attrs == {"href": "/elsewhere/"} and link.children == [word]
    assert marks(html) == [("tumour", word)]
    marked = page.find("em").find("a", class_="term")
    assert marked.get("href") == f"{GLOSSARY_PATH[language]}#tumour"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "<p>Backstage, then a stagecoach.</p>"),
        ("en", "<p>A non-tumour growth, tumour-like.</p>"),
        ("en", "<p>Bone, marrow and aspiration.</p>"),
        ("en", "<p>bonemarrow tumours1</p>"),
        ("fr", "<p>Des tumeurs-filles, une métastasectomie.</p>"),
        ("fr", "<p>La moelle. Osseuse.</p>"),
    ],
)
def test_whole_words_only_and_never_across_punctuation(language, text):
    assert mark(language, text) == []


def test_an_editors_link_to_the_term_is_its_first_occurrence():
    html = glossary().annotate(
        '<p><a href="/fr/glossaire/#tumour">tumeur</a> puis une tumeur; '
        '<a href="/fr/glossaire/#tumour">encore</a></p>',
        "fr",
    )
    page = parse(html)
    first, second = page.find_all("a")
    assert first.attrs == {
        "class": "term",
        "href": "/fr/glossaire/#tumour",
        "data-term": "tumour",
    }
    assert first.children == ["tumeur"]
    assert second.attrs == {"href": "/fr/glossaire/#tumour"}  # left as written
    assert page.find("p").raw_text == "tumeur puis une tumeur; encore"


def test_a_term_is_not_marked_in_its_own_definition():
    text = "<p>A tumour in the bone marrow.</p>"
    assert mark("en", text, skip={"tumour"}) == [("bone-marrow", "bone marrow")]


def test_a_language_is_matched_with_its_own_titles_only():
    assert mark("en", "<p>tumeur</p>") == []
    assert mark("fr", "<p>tumour</p>") == []


def test_html_without_terms_is_returned_byte_for_byte():
    html = '<p title="a &gt; b">Caf&eacute; &amp; &#233;t&eacute; &nbsp;ici</p>'
    assert glossary().annotate(html, "en") == html


def test_text_stays_escaped_and_the_same_text():
    html = (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; tumour &amp; more &quot;x&quot;</p>"
    )
    out = glossary().annotate(html, "en")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; " in out
    assert "<script>" not in out
    assert marks(out) == [("tumour", "tumour")]
    assert plain_text(out) == plain_text(html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_marked_bodies_stay_sanitised(payload, language):
    word = {"en": "tumour", "fr": "tumeur"}[language]
    html = render_markdown(
        f"A {word} here.\n\n{payload} {word}s\n",
        language,
        resolve=lambda ref, lang: None,
        glossary=glossary(),
    )
    assert dangers(html) == [], html
    assert marks(html) == [("tumour", word)]


def test_the_mark_is_a_plain_link_to_the_glossary_entry():
    html = render_markdown("Des tumeurs.", "fr", glossary=glossary())
    paragraph = parse(html).find("p")
    (mark,) = paragraph.find_all()
    assert mark.tag == "a" and mark.attrs == {
        "class": "term",
        "href": "/fr/glossaire/#tumour",
        "data-term": "tumour",
    }
    assert mark.children == ["tumeurs"]
    assert paragraph.raw_text == "Des tumeurs."
    assert term_keys(html) == ["tumour"]


def test_terms_are_filed_under_their_letter_accents_aside():
    class T:
        def __init__(self, title):
            self.title = title

    terms = [T("Biopsie"), T("Échographie"), T("Essai"), T("4S"), T("Tumeur")]
    letters = by_letter(terms)
    assert [letter for letter, _a, _g in letters][:5] == ["A", "B", "C", "D", "E"]
    groups = {letter: [t.title for t in g] for letter, _a, g in letters}
    assert groups["E"] == ["Échographie", "Essai"]
    assert groups["A"] == [] and groups["#"] == ["4S"]
    assert ("E", "letter-e") in [(letter, a) for letter, a, _g in letters]


# --- With the shipped content ---------------------------------------------------------


def body(item, language: str) -> str:
    item.refresh_from_db()
    return getattr(item, f"body_html_{language}")


@pytest.mark.django_db
class TestShippedContent:
    def test_the_glossary_loads_published_terms_in_both_languages(self):
        loaded = renderer.load_glossary()
        by_key = {
            lang: {t.key: t for t in terms} for lang, terms in loaded.terms.items()
        }
        assert by_key["en"]["tumour"].url == "/en/glossary/#tumour"
        assert by_key["fr"]["tumour"].url == "/fr/glossaire/#tumeur"
        assert by_key["fr"]["stem-cell-rescue"].url == (
            "/fr/glossaire/#greffe-de-cellules-souches"
        )
        assert len(by_key["en"]) == len(by_key["fr"]) == GlossaryTerm.objects.count()

    def test_shipped_bodies_mark_terms_in_both_languages(self):
        page = GuidePage.objects.get(key="response-to-treatment")
        assert marks(page.body_html_en)[:4] == [
            ("neuroblastoma", "neuroblastoma"),
            ("imaging-test", "Imaging tests"),
            ("tumour", "tumour"),
            ("mibg-scan", "MIBG scans"),
        ]
        assert ("pet-scan", "PET scans") in marks(page.body_html_en)
        assert marks(page.body_html_fr)[:4] == [
            ("neuroblastoma", "neuroblastome"),
            ("imaging-test", "examens d'imagerie"),
            ("tumour", "tumeur"),
            ("mibg-scan", "scintigraphie à la MIBG"),
        ]
        # An editor's own link counts as the term's first use: « TEP » alone.
        assert ("pet-scan", "TEP") in marks(page.body_html_fr)
        bone_marrow = parse(page.body_html_fr).find("a", data_term="bone-marrow")
        assert bone_marrow.get("href") == "/fr/glossaire/#moelle-osseuse"
        assert bone_marrow.raw_text == "moelle osseuse"

    def test_the_glossary_page_and_a_terms_own_definition_are_not_marked(self):
        page = GuidePage.objects.get(key="glossary")
        page.body_en = "Words like tumour and stem cell rescue."
        page.body_fr = "Des mots comme tumeur et greffe de cellules souches."
        page.save()
        rerender_all()
        page.refresh_from_db()
        for language in ("en", "fr"):
            assert "<p>" in getattr(page, f"body_html_{language}")
            assert marks(getattr(page, f"body_html_{language}")) == []
            for term in GlossaryTerm.objects.all():
                keys = term_keys(getattr(term, f"body_html_{language}"))
                assert term.key not in keys, (term.key, language)
        differentiate = GlossaryTerm.objects.get(key="differentiate")
        assert "(differentiate)" in differentiate.body_html_en

    def test_marking_changes_no_reading_score(self):
        checked = 0
        from neuroinfo.links import content_models

        for model in content_models():
            for item in model.objects.all():
                for language in ("en", "fr"):
                    marked = getattr(item, f"body_html_{language}")
                    # Thresholds written by key are the rows' numbers, unmarked too.
                    plain = render_markdown(
                        fill(getattr(item, f"body_{language}") or "", language),
                        language,
                    )
                    parts = (
                        fill(getattr(item, f"summary_{language}", "") or "", language),
                        *fill(
                            getattr(item, f"key_points_{language}", "") or "", language
                        ).split("\n"),
                    )
                    score = reading_score(prose(*parts, plain), language)
                    assert reading_score(prose(*parts, marked), language) == score
                    assert item.reading_score[language] == score
                    # The same words, in the same order.
                    assert WORD_RE.findall(plain_text(marked)) == WORD_RE.findall(
                        plain_text(plain)
                    )
                    checked += term_keys(marked) != []
        assert checked >= 20

    def test_rerender_all_loads_the_glossary_once(
        self, monkeypatch, django_assert_max_num_queries
    ):
        calls = []
        load = renderer.load_glossary

        def counting():
            calls.append(1)
            return load()

        monkeypatch.setattr(renderer, "load_glossary", counting)
        rerender_all()
        assert len(calls) == 1

    def test_renaming_a_term_changes_its_marks(self):
        tumour = GlossaryTerm.objects.get(key="tumour")
        chemo = Treatment.objects.get(key="chemotherapy")
        assert ("tumour", "tumeur") in marks(body(chemo, "fr"))
        tumour.slug_fr = "tumeur-cancereuse"
        tumour.save()
        rerender_all()
        marked = parse(body(chemo, "fr")).find("a", data_term="tumour")
        assert marked.get("href") == "/fr/glossaire/#tumeur-cancereuse"
        tumour.title_en = "Growth"
        tumour.save()
        rerender_all()
        assert "tumour" not in term_keys(body(chemo, "en"))
        assert "tumour" in term_keys(body(chemo, "fr"))

    def test_unpublishing_a_term_removes_its_marks(self, client):
        tumour = GlossaryTerm.objects.get(key="tumour")
        tumour.status = "draft"
        tumour.save()
        rerender_all()
        for item in Treatment.objects.all():
            for language in ("en", "fr"):
                assert "tumour" not in term_keys(body(item, language))
        page = parse(client.get("/fr/traitements/chimiotherapie/"))
        assert not page.has(id="term-tumour")
        assert not page.has(data_term="tumour")

    def test_a_draft_term_is_never_marked(self):
        GlossaryTerm.objects.create(
            key="anticancer-drug",
            status="draft",
            title_en="Anticancer drug",
            title_fr="Médicament anticancéreux",
            slug_en="anticancer-drug",
            slug_fr="medicament-anticancereux",
            body_en="A drug that treats cancer.",
            body_fr="Un médicament qui traite le cancer.",
        )
        rerender_all()
        chemo = Treatment.objects.get(key="chemotherapy")
        assert "anticancer drugs" in body(chemo, "en")
        assert "anticancer-drug" not in term_keys(body(chemo, "en"))
        GlossaryTerm.objects.filter(key="anticancer-drug").update(status="published")
        rerender_all()
        assert ("anticancer-drug", "anticancer drugs") in marks(body(chemo, "en"))
        assert ("anticancer-drug", "médicaments anticancéreux") in marks(
            body(chemo, "fr")
        )

    def test_an_unpublished_glossary_page_means_no_marks(self):
        GuidePage.objects.filter(key="glossary").update(status="draft")
        rerender_all()
        chemo = Treatment.objects.get(key="chemotherapy")
        assert term_keys(body(chemo, "en")) == term_keys(body(chemo, "fr")) == []

    def test_saving_an_item_marks_its_body(self, django_capture_on_commit_callbacks):
        surgery = Treatment.objects.get(key="second-look-surgery")
        surgery.body_fr = "Une biopsie et des métastases."
        with django_capture_on_commit_callbacks(execute=True):  # rendered on commit
            surgery.save()
        assert marks(body(surgery, "fr")) == [
            ("biopsy", "biopsie"),
            ("metastasis", "métastases"),
        ]


# --- Pages ----------------------------------------------------------------------------


def definitions(page):
    """The hidden box of the page's term definitions."""
    return page.find(data_testid="term-definitions")


@pytest.mark.django_db
class TestPages:
    @pytest.mark.parametrize(
        ("path", "mark", "definition"),
        [
            (
                "/en/treatments/retinoids-and-immunotherapy/",
                ("/en/glossary/#retinoid", "Retinoids"),
                "A prescription medicine: only a doctor can order it.",
            ),
            (
                "/fr/traitements/retinoides-et-immunotherapie/",
                ("/fr/glossaire/#retinoide", "rétinoïdes"),
                "Médicament d'ordonnance\u00a0: seul un médecin peut le prescrire.",
            ),
        ],
    )
    def test_a_page_marks_its_terms_and_carries_their_definitions(
        self, client, path, mark, definition
    ):
        page = parse(client.get(path))
        marked = page.find("a", class_="term", data_term="retinoid")
        assert (marked.get("href"), marked.text) == mark
        box = definitions(page)
        assert "term-definitions" in box.classes and box.get("hidden") is not None
        assert "term-definitions__item" in box.find(id="term-retinoid").classes
        assert definition in box.raw_text
        # Each marked term's definition, once, in order of first use.
        used = list(
            dict.fromkeys(a.get("data-term") for a in page.find_all("a", class_="term"))
        )
        items = box.find_all("div", class_="term-definitions__item")
        assert [item.get("id") for item in items] == [f"term-{key}" for key in used]
        assert page.find("main") in box.ancestors()
        # Inside a definition, other terms are plain words, not links again.
        assert not box.has("a", class_="term")

    @pytest.mark.parametrize(
        ("path", "label"),
        [
            ("/en/response-to-treatment/", "See in glossary"),
            ("/fr/reponse-au-traitement/", "Voir dans le glossaire"),
        ],
    )
    def test_the_see_in_glossary_label_is_in_the_page_language(
        self, client, path, label
    ):
        box = definitions(parse(client.get(path)))
        assert box.get("data-more") == label
        assert box.has(id="term-mibg-scan")

    def test_the_definitions_are_in_the_page_language_or_say_they_are_not(self, client):
        url = "/fr/traitements/retinoides-et-immunotherapie/"
        box = definitions(parse(client.get(url)))
        assert not box.has(lang="en") and not box.has(data_testid="translation-notice")
        GlossaryTerm.objects.filter(key="retinoid").update(body_fr="", body_html_fr="")
        empty_cache()  # update() sends no signal, and tests never commit
        item = definitions(parse(client.get(url))).find(id="term-retinoid")
        assert item.has(data_testid="translation-notice")
        text = item.find(class_="term-definitions__text")
        assert text.get("lang") == "en"
        assert text.text.startswith("A prescription medicine")
        # Only the untranslated definition says so.
        other = definitions(parse(client.get(url))).find(id="term-immunotherapy")
        assert not other.has(data_testid="translation-notice")

    @pytest.mark.parametrize(
        ("path", "word"),
        [
            ("/en/treatments/surgery/", "biopsy"),
            ("/fr/traitements/chirurgie/", "biopsie"),
        ],
    )
    def test_sub_sections_are_part_of_their_treatments_page(self, client, path, word):
        sub = Treatment.objects.get(key="second-look-surgery")
        sub.body_en = "A biopsy may be done."
        sub.body_fr = "On peut faire une biopsie."
        sub.save()
        page = parse(client.get(path))
        assert page.find("a", class_="term", data_term="biopsy").text == word
        assert definitions(page).has(id="term-biopsy")

    def test_the_definitions_come_from_the_outline(self, django_assert_num_queries):
        page = GuidePage.objects.get(key="response-to-treatment")
        outline = outline_for("en")
        with django_assert_num_queries(0):
            terms = term_definitions(page, {}, outline)
        assert [t.key for t in terms][:4] == [
            "neuroblastoma",
            "imaging-test",
            "tumour",
            "mibg-scan",
        ]

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_a_page_without_terms_has_no_definitions(self, client, language):
        page = GuidePage.objects.get(key="about")
        assert term_keys(getattr(page, f"body_html_{language}")) == []
        assert not parse(client.get(item_url(page, language))).has(
            data_testid="term-definitions"
        )


# The glossary's A to Z, written out by hand: case does not count ("Metastasis" before
# "MIBG scan") and an accented letter files with its plain one ("Métastase" under M,
# before "Moelle"; "Système" after "Stade").
GLOSSARY_ORDER = {
    "en": [
        "Biopsy", "Bone marrow", "Bone marrow aspiration", "Bone marrow biopsy",
        "Central line", "Clinical trial", "Consolidation", "Differentiate",
        "Dinutuximab", "Hearing loss", "Imaging test", "Immune system",
        "Immunotherapy", "Induction", "Isotretinoin", "Late side effects",
        "Lymph node", "Maintenance", "Metastasis", "MIBG scan", "Neuroblastoma",
        "Neutropenia", "PET scan", "Primary tumour", "Prognostic factors", "Retinoid",
        "Soft tissue", "Stage", "Stage 4S (stage MS)", "Stem cell", "Stem cell rescue",
        "Target lymph nodes", "Tumour", "White blood cells",
    ],
    "fr": [
        "Biopsie", "Biopsie de la moelle osseuse", "Cathéter central", "Cellule souche",
        "Consolidation", "Dinutuximab", "Effets secondaires tardifs", "Essai clinique",
        "Examen d'imagerie", "Facteurs pronostiques", "Ganglion lymphatique",
        "Ganglions lymphatiques cibles", "Globules blancs",
        "Greffe de cellules souches", "Immunothérapie", "Induction", "Isotrétinoïne",
        "Métastase", "Moelle osseuse", "Neuroblastome", "Neutropénie",
        "Perte auditive", "Ponction de la moelle osseuse", "Rétinoïde",
        "Scintigraphie à la MIBG (métaiodobenzylguanidine)", "Se différencier",
        "Stade", "Stade 4S (stade MS)", "Système immunitaire", "Tissus mous",
        "Tomographie par émission de positrons (TEP)", "Traitement d'entretien",
        "Tumeur", "Tumeur primitive",
    ],
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "path", "first", "letters"),
    [
        ("en", "/en/glossary/", ("Biopsy", "biopsy"), ["B", "C", "D", "H", "I", "L"]),
        (
            "fr",
            "/fr/glossaire/",
            ("Biopsie", "biopsie"),
            ["B", "C", "D", "E", "F", "G"],
        ),
    ],
)
def test_the_glossary_lists_terms_a_to_z_under_letters(
    client, language, path, first, letters
):
    page = parse(client.get(path))
    index = page.find(data_testid="glossary-index")
    # Every letter is shown, A to Z; those with terms link to their heading.
    assert [li.text for li in index.find_all("li")] == list(string.ascii_uppercase)
    linked = index.links()
    assert [letter for letter, _href in linked][:6] == letters
    for letter, href in linked:
        assert href == f"#letter-{letter.lower()}"
        assert page.find("h2", id=f"letter-{letter.lower()}").text == letter
    unlinked = [span.text for span in index.find_all("span")]
    assert "A" in unlinked and "Z" in unlinked
    assert not set(unlinked) & {letter for letter, _href in linked}
    title, slug = first
    assert page.find("dt", id=slug).text == title
    # Every published term has its anchor, under its letter, A to Z.
    terms = page.find_all("dt")
    assert [term.text for term in terms] == GLOSSARY_ORDER[language]
    assert len(terms) == GlossaryTerm.objects.published().count()
    assert all(term.get("id") for term in terms)
    for section in page.find_all("section", class_="glossary__letter"):
        letter = section.find("h2").text
        assert all(dt.text[0] == letter for dt in section.find_all("dt")), letter
    assert not page.has(data_testid="term-definitions")


@pytest.mark.django_db
def test_french_glossary_files_accented_terms_with_their_letter(client):
    page = parse(client.get("/fr/glossaire/"))

    def filed_under(letter: str) -> list[str]:
        section = page.find("h2", id=f"letter-{letter}").parent
        return [dt.get("id") for dt in section.find_all("dt")]

    assert "examen-d-imagerie" in filed_under("e")
    assert "effets-secondaires-tardifs" in filed_under("e")
    assert "metastase" in filed_under("m")  # « Métastase » under M
