"""Key facts of the risk-group, stage, glossary and response pages, in both languages,
read on the shipped pages as families see them (issue 12: content errors fixed)."""

import html
import re

import pytest
from django.utils import translation

from neuroinfo.models import GlossaryTerm, ResponseCategory
from tests.dom import parse
from tests.helpers import NBSP

pytestmark = pytest.mark.django_db

RISK_PAGE = {
    "en": "/en/risk-groups-and-stages/",
    "fr": "/fr/categories-de-risque-et-stades/",
}
RESPONSE_PAGE = {"en": "/en/response-to-treatment/", "fr": "/fr/reponse-au-traitement/"}
GLOSSARY_PAGE = {"en": "/en/glossary/", "fr": "/fr/glossaire/"}
CCS_TREATMENTS = (
    "https://cancer.ca/en/cancer-information/cancer-types/neuroblastoma/treatment"
)


def _text(fragment: str) -> str:
    """Markup as read: tags gone, entities decoded, plain spaces, whitespace collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace(NBSP, " ")
    return re.sub(r"\s+", " ", text)


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _content(page: str) -> str:
    """What the page itself says: from the title to its sources, without the related
    links, the glossary definitions, the footer or the structured data."""
    dom = parse(page)
    main, sources = dom.find("main"), dom.find(data_testid="sources")
    assert sources.parent is main
    before = main.children[: main.children.index(sources)]
    return _text(" ".join(c if isinstance(c, str) else c.text for c in before))


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


def _glossary_entry(client, language: str, key: str) -> str:
    term = GlossaryTerm.objects.get(key=key)
    slug = getattr(term, f"slug_{language}")
    entry = parse(_page(client, GLOSSARY_PAGE[language])).find("dt", id=slug).parent
    return entry.text


# --- Risk groups and stages -------------------------------------------------------------

STAGES = {
    "en": {
        "L1": "no IDRFs",
        "L2": "one or more IDRFs",
        "M": "far from where it started",
        "MS": "younger than 18 months",
    },
    "fr": {
        "L1": "aucun IDRF",
        "L2": "au moins un IDRF",
        "M": "éloignées de son point de départ",
        "MS": "moins de 18 mois",
    },
}
RISK_GROUPS = {
    "en": ["Low risk", "Intermediate risk", "High risk"],
    "fr": ["Risque faible", "Risque intermédiaire", "Risque élevé"],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_risk_page_names_the_four_inrgss_stages(client, language):
    text = _content(_page(client, RISK_PAGE[language]))
    assert "INRGSS" in text
    word = {"en": "Stage", "fr": "Stade"}[language]
    for stage, fact in STAGES[language].items():
        label = f"{word} {stage}" + {"en": ":", "fr": " :"}[language]
        assert label in text, label
        # Each stage's own line says what defines it.
        line = text[text.index(label) :].split(f"{word} ", 2)[1]
        assert fact in line, (stage, line)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_stage_ms_uses_the_current_18_month_cut_off(client, language):
    text = _content(_page(client, RISK_PAGE[language]))
    ms = {"en": "Stage MS:", "fr": "Stade MS :"}[language]
    line = text[text.index(ms) :].split(".")[0]
    assert {"en": "younger than 18 months", "fr": "moins de 18 mois"}[language] in line
    for place in {"en": ("skin", "liver", "bone marrow"),
                  "fr": ("peau", "foie", "moelle osseuse")}[language]:  # fmt: skip
        assert place in line
    assert "12 months" not in text and "12 mois" not in text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_risk_page_explains_each_risk_group_and_its_treatment(client, language):
    page = _page(client, RISK_PAGE[language])
    headings = [h2.text for h2 in parse(page).find_all("h2", id=True)]
    for group in RISK_GROUPS[language]:
        assert group in headings, (group, headings)
    text = _content(page)
    facts = {
        "en": ["2 to 4 cycles", "4 to 8 cycles", "12 to 24 weeks", "Induction",
               "Consolidation", "Maintenance", "good chance of being cured"],
        "fr": ["2 à 4 cycles", "4 à 8 cycles", "12 à 24 semaines", "Induction",
               "Consolidation", "Traitement d'entretien",
               "bonnes chances d'être guéri"],
    }[language]  # fmt: skip
    for fact in facts:
        assert fact in text, fact


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_risk_page_links_treatments_and_the_risk_factors(client, language):
    page = _page(client, RISK_PAGE[language])
    prefix = {"en": "/en/risk-factors/", "fr": "/fr/facteurs-pris-en-compte/"}[language]
    slugs = {
        "en": ["age", "stage", "risk-group", "overall-health"],
        "fr": ["age", "stade", "categorie-de-risque", "etat-de-sante-global"],
    }[language]
    for slug in slugs:
        assert f'href="{prefix}{slug}/"' in page, slug
    watchful = {"en": "/en/treatments/watchful-waiting/",
                "fr": "/fr/traitements/observation-vigilante/"}[language]  # fmt: skip
    assert f'href="{watchful}"' in page
    assert re.search(r'href="/(en|fr)/[^"]+/"[^>]*>[^<]*(high-risk|risque élevé)', page)


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("/en/risk-factors/age/", "en"),
        ("/en/risk-factors/stage/", "en"),
        ("/en/risk-factors/risk-group/", "en"),
        ("/en/risk-factors/overall-health/", "en"),
        ("/fr/facteurs-pris-en-compte/age/", "fr"),
        ("/fr/facteurs-pris-en-compte/stade/", "fr"),
        ("/fr/facteurs-pris-en-compte/categorie-de-risque/", "fr"),
        ("/fr/facteurs-pris-en-compte/etat-de-sante-global/", "fr"),
    ],
)
def test_every_risk_factor_links_the_risk_groups_page(client, path, language):
    assert f'href="{RISK_PAGE[language]}"' in _page(client, path)


@pytest.mark.parametrize(
    ("path", "fact"),
    [
        ("/en/risk-factors/age/", "younger than 18 months"),
        ("/fr/facteurs-pris-en-compte/age/", "moins de 18 mois"),
    ],
)
def test_the_age_page_gives_the_18_month_cut_off(client, path, fact):
    text = _content(_page(client, path))
    assert fact in text
    assert "12 months" not in text and "12 mois" not in text


# --- Glossary: stage 4S (MS) and retinoid -----------------------------------------------


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("en", ["stage MS", "younger than 18 months", "skin", "liver", "bone marrow"]),
        ("fr", ["stade MS", "moins de 18 mois", "peau", "foie", "moelle osseuse"]),
    ],
)
def test_stage_4s_is_defined_as_the_sources_define_stage_ms(client, language, facts):
    entry = _glossary_entry(client, language, "stage-4s")
    for fact in facts:
        assert fact in entry, (fact, entry)
    # Not "such as": the sources name exactly these places.
    assert "such as" not in entry and "comme" not in entry


@pytest.mark.parametrize(
    ("language", "required", "forbidden"),
    [
        ("en", ["prescription medicine", "related to vitamin A", "isotretinoin"],
         ["supplement", "a form of vitamin A", "vitamin pill", "over the counter"]),
        ("fr", ["Médicament d'ordonnance", "apparenté à la vitamine A", "isotrétinoïne"],
         ["supplément", "forme de vitamine A", "complément", "sans ordonnance"]),
    ],
)  # fmt: skip
def test_a_retinoid_is_a_prescription_medicine_not_a_vitamin(
    client, language, required, forbidden
):
    entry = _glossary_entry(client, language, "retinoid")
    for words in required:
        assert words in entry, (words, entry)
    for words in forbidden:
        assert words.casefold() not in entry.casefold(), (words, entry)


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("en", ["Central line", "Neutropenia", "Induction", "Consolidation",
                "Maintenance", "Dinutuximab", "Isotretinoin", "White blood cells",
                "Hearing loss"]),
        ("fr", ["Cathéter central", "Neutropénie", "Induction", "Consolidation",
                "Traitement d'entretien", "Dinutuximab", "Isotrétinoïne",
                "Globules blancs", "Perte auditive"]),
    ],
)  # fmt: skip
def test_the_new_glossary_terms_are_listed(client, language, titles):
    text = _text(_page(client, GLOSSARY_PAGE[language]))
    for title in titles:
        assert title in text, title


def test_glossary_terms_make_no_review_claim():
    assert not GlossaryTerm.objects.exclude(last_reviewed=None).exists()


# --- Response to treatment ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "size", "spread"),
    [
        ("en", ("CT", "MRI", "size of the tumour"), ("MIBG", "reached the bones")),
        ("fr", ("TDM", "IRM", "taille de la tumeur"), ("MIBG", "atteint les os")),
    ],
)
def test_the_response_page_says_which_scans_measure_size_and_which_show_spread(
    client, language, size, spread
):
    text = _content(_page(client, RESPONSE_PAGE[language]))
    sentences = _sentences(text)
    # CT and MRI are the scans that show the size; MIBG (or PET) shows the spread.
    assert any(all(w in s for w in size) for s in sentences), "size"
    size_line = next(s for s in sentences if size[-1] in s and size[0] in s)
    assert "MIBG" not in size_line
    at = text.index(spread[1])
    assert spread[0] in text[text.rindex("MIBG", 0, at) - 40 : at]
    pet = {"en": "PET scans do the same job when the tumour does not take up MIBG",
           "fr": "fait le même travail quand la tumeur n'absorbe pas la MIBG"}  # fmt: skip
    assert pet[language] in text


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("en", ["The MIBG score", "gives the scan a score for how much disease it shows",
                "compare the score after treatment with the score before"]),
        ("fr", ["Le score de la MIBG", "donne à l'examen un score selon la quantité de "
                "maladie qu'il montre", "comparent le score après le traitement à "
                "celui d'avant"]),
    ],
)  # fmt: skip
def test_the_response_page_explains_the_mibg_score(client, language, facts):
    text = _content(_page(client, RESPONSE_PAGE[language]))
    for fact in facts:
        assert fact in text, fact
    # Explained before the criteria that use it.
    criteria = {"en": "Partial response All of these", "fr": "Réponse partielle"}
    assert text.index(facts[1]) < text.rindex(criteria[language])


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("en", ["grew, but by less than 20%, still counts as stable disease",
                "A tumour may also have grown, but by less than 20%."]),
        ("fr", ["a grossi, mais de moins de 20 %, correspond encore à une maladie stable",
                "Une tumeur a peut-être aussi grossi, mais de moins de 20 %."]),
    ],
)  # fmt: skip
def test_stable_disease_covers_growth_below_the_progression_threshold(
    client, language, facts
):
    page = _page(client, RESPONSE_PAGE[language])
    slug = {"en": "stable-disease", "fr": "maladie-stable"}[language]
    section = parse(page).find("h2", id=slug).parent.text
    for fact in facts:
        assert fact in section, (fact, section)
    category = ResponseCategory.objects.get(key="stable-disease")
    # The summary writes the threshold by key; it shows the row's number.
    assert "{threshold:sd-small-growth}" in getattr(category, f"summary_{language}")
    with translation.override(language):
        assert "20" in category.summary_display


def test_french_response_page_expands_mibg_and_pet_once(client):
    text = _content(_page(client, RESPONSE_PAGE["fr"]))
    assert text.count("métaiodobenzylguanidine") == 1
    assert text.count("tomographie par émission de positrons") == 1
    assert text.count("Tomographie par émission de positrons") == 0
    # The expansions come first; the short forms follow.
    assert text.index("métaiodobenzylguanidine (MIBG)") < text.index("MIBG ")
    assert text.index("positrons (TEP)") < text.index(" TEP ")


@pytest.mark.parametrize(
    "path",
    [
        RISK_PAGE["en"],
        RISK_PAGE["fr"],
        RESPONSE_PAGE["en"],
        RESPONSE_PAGE["fr"],
        "/en/risk-factors/age/",
        "/fr/facteurs-pris-en-compte/stade/",
        "/en/risk-factors/risk-group/",
        "/fr/facteurs-pris-en-compte/etat-de-sante-global/",
    ],
)
def test_sources_start_with_the_canadian_cancer_society_page(client, path):
    page = _page(client, path)
    entries = parse(page).find(data_testid="sources").find_all("li")
    assert len(entries) >= 2
    first = entries[0]
    assert first.find("a", href=CCS_TREATMENTS).get("rel") == "external"
    assert "Canadian Cancer Society" in first.text
