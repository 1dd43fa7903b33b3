"""Surgery, chemotherapy, radiation therapy and stem cell rescue: each page's key facts.

Every fact the sources give (numbers, drug names, phases, risk groups, what to tell the care
team) is checked on the rendered public page, in English and in French, together with the
sections a parent looks for and the sources list, which starts with the Canadian Cancer
Society page the guide grew from.
"""

import pytest

from neuroinfo.links import item_url
from neuroinfo.models import GuidePage, Treatment
from tests.dom import parse
from tests.helpers import links, page_language, visible_text

pytestmark = pytest.mark.django_db

CCS_TREATMENTS = (
    "https://cancer.ca/en/cancer-information/cancer-types/neuroblastoma/treatment"
)

# key: {language: (path, [facts that must appear on the page, as a reader sees them])}
FACTS = {
    "surgery": {
        "en": (
            "/en/treatments/surgery/",
            [
                "main treatment when the cancer has not spread",
                "confirm the diagnosis",
                "lymph nodes",
                "Low risk:",
                "Intermediate risk:",
                "High risk:",
                "first phase",
                "complete resection",
                "central line",
                "Before the operation",
                "During the operation",
                "After the operation",
                "Once treatment is over, don't wait for the next follow-up visit to report new or lasting symptoms",
                # The second-look sub-section, shown inside the surgery page.
                "Second-look surgery",
                "several rounds of chemotherapy",
                "residual disease",
            ],
        ),
        "fr": (
            "/fr/traitements/chirurgie/",
            [
                "principal traitement quand le cancer ne s'est pas propagé",
                "confirmer le diagnostic",
                "ganglions lymphatiques",
                "Risque faible :",
                "Risque intermédiaire :",
                "Risque élevé :",
                "première phase",
                "résection complète",
                "cathéter veineux central",
                "Avant l'opération",
                "Pendant l'opération",
                "Après l'opération",
                "Une fois le traitement terminé, n'attendez pas la prochaine visite de suivi pour signaler un symptôme nouveau",
                "Chirurgie de second regard",
                "plusieurs cycles de chimiothérapie",
                "maladie résiduelle",
            ],
        ),
    },
    "chemotherapy": {
        "en": (
            "/en/treatments/chemotherapy/",
            [
                "anticancer drugs",
                "2 to 4 cycles",
                "4 to 8 cycles, which takes 12 to 24 weeks",
                "induction",
                "busulfan",
                "carboplatin",
                "cisplatin",
                "cyclophosphamide",
                "doxorubicin",
                "etoposide",
                "melphalan",
                "thiotepa",
                "topotecan",
                "vincristine",
                "irinotecan with temozolomide",
                "five cycles over three to four months",
                "in the United States",
                "7 to 14 days after a dose",
                "neutropenia",
                "hearing loss",
                "If your child has a fever, call right away",
                "38 °C",
                "follow the rule your team gave you",
            ],
        ),
        "fr": (
            "/fr/traitements/chimiotherapie/",
            [
                "médicaments anticancéreux",
                "2 à 4 cycles",
                "4 à 8 cycles, soit 12 à 24 semaines",
                "induction",
                "busulfan",
                "carboplatine",
                "cisplatine",
                "cyclophosphamide",
                "doxorubicine",
                "étoposide",
                "melphalan",
                "thiotépa",
                "topotécan",
                "vincristine",
                "l'irinotécan avec le témozolomide",
                "cinq cycles sur trois à quatre mois",
                "des États-Unis",
                "7 à 14 jours après une dose",
                "neutropénie",
                "perte auditive",
                "Si votre enfant fait de la fièvre, appelez tout de suite",
                "38 °C",
                "suivez celle que votre équipe vous a donnée",
            ],
        ),
    },
    "radiation-therapy": {
        "en": (
            "/en/treatments/radiation-therapy/",
            [
                "high-energy rays or particles",
                "external beam radiation",
                "iodine 131-MIBG",
                "clinical trial",
                "Low risk: it is rarely used",
                "Intermediate risk: it is not common",
                "consolidation",
                "before, during or after high-dose chemotherapy and stem cell rescue",
                "younger than 18 months",
                "thyroid",
                "heart muscle",
                "Tell the team about any new symptom or side effect",
                "follow the rule your team gave you",
            ],
        ),
        "fr": (
            "/fr/traitements/radiotherapie/",
            [
                "rayons ou des particules de haute énergie",
                "radiothérapie externe",
                "métaiodobenzylguanidine (MIBG)",
                "iode 131",
                "essai clinique",
                "Risque faible : on l'utilise rarement",
                "Risque intermédiaire : elle est peu courante",
                "consolidation",
                "avant, pendant ou après la chimiothérapie à haute dose",
                "moins de 18 mois",
                "thyroïde",
                "muscle du cœur",
                "Signalez tout nouveau symptôme ou effet secondaire à l'équipe",
                "suivez la règle que votre équipe vous a donnée",
            ],
        ),
    },
    "stem-cell-rescue": {
        "en": (
            "/en/treatments/high-dose-chemotherapy-and-stem-cell-rescue/",
            [
                "your child's own",
                "bone marrow",
                "stem cell transplant",
                "is high risk",
                "has come back after treatment",
                "consolidation",
                "special transplant centre",
                "Collecting the stem cells",
                "frozen and stored",
                "busulfan and melphalan",
                "carboplatin, etoposide and melphalan",
                "cyclophosphamide and thiotepa",
                "Giving back the stem cells",
                "1 round",
                "some have 2",
                "maintenance",
                "under age 5",
                "follow the rule your team gave you",
            ],
        ),
        "fr": (
            "/fr/traitements/chimiotherapie-a-haute-dose-et-greffe-de-cellules-souches/",
            [
                "cellules souches de votre enfant",
                "moelle osseuse",
                "greffe de cellules souches",
                "est à risque élevé",
                "est revenu après le traitement",
                "consolidation",
                "centre de greffe",
                "Le prélèvement des cellules souches",
                "On les congèle et on les conserve",
                "le busulfan et le melphalan",
                "le carboplatine, l'étoposide et le melphalan",
                "le cyclophosphamide et le thiotépa",
                "Le retour des cellules souches",
                "1 cycle",
                "d'autres en ont 2",
                "traitement d'entretien",
                "moins de 5 ans",
                "suivez la règle que votre équipe vous a donnée",
            ],
        ),
    },
}
CASES = [(key, lang) for key in FACTS for lang in ("en", "fr")]


def _page(client, key: str, lang: str):
    path, _facts = FACTS[key][lang]
    response = client.get(path)
    assert response.status_code == 200, path
    return response


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_each_treatment_page_states_its_facts(client, key, lang):
    path, facts = FACTS[key][lang]
    text = visible_text(_page(client, key, lang))
    missing = [fact for fact in facts if fact not in text]
    assert not missing, f"{path} lacks {missing}"


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_the_french_page_is_french_and_the_english_page_english(client, key, lang):
    html = _page(client, key, lang).content.decode()
    assert page_language(html) == lang
    assert not parse(html).has(data_testid="translation-notice")


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_each_page_has_sections_for_parents_questions(client, key, lang):
    """Why and when, side effects, and what to tell the care team, each a section."""
    page = parse(_page(client, key, lang))
    headings = [h2.text for h2 in page.find_all("h2")]
    wanted = {
        "en": ["Side effects and what helps", "What to tell the care team"],
        "fr": [
            "Effets secondaires et ce qui aide",
            "Ce qu'il faut dire à l'équipe de soins",
        ],
    }[lang]
    if key == "surgery":  # surgery's side effects sit under "After the operation"
        wanted = [
            {"en": "After the operation", "fr": "Après l'opération"}[lang],
            wanted[1],
        ]
    if key == "chemotherapy":  # chemotherapy's call section is about fever
        wanted = [
            wanted[0],
            {
                "en": "When to call the care team",
                "fr": "Quand appeler l'équipe de soins",
            }[lang],
        ]
    for heading in wanted:
        assert any(heading in h.replace("’", "'") for h in headings), (key, heading)
    # Three sections or more: the page opens with an "On this page" list.
    assert page.has(data_testid="contents")


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_each_page_links_to_when_to_call_and_the_related_pages(client, key, lang):
    response = _page(client, key, lang)
    hrefs = links(response)
    side_effects = item_url(GuidePage.objects.get(key="side-effects"), lang)
    assert any(h.endswith(side_effects) for h in hrefs), (key, side_effects)
    late = item_url(GuidePage.objects.get(key="late-effects"), lang)
    assert any(h.endswith(late) for h in hrefs), (key, late)
    high_risk = item_url(Treatment.objects.get(key="high-risk-treatment"), lang)
    assert any(h.endswith(high_risk) for h in hrefs), (key, high_risk)


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_the_sources_start_with_the_canadian_cancer_society(client, key, lang):
    sources = parse(_page(client, key, lang)).find(data_testid="sources")
    items = sources.find_all("li")
    assert len(items) >= 3, key
    first = items[0]
    assert first.has("a", href=CCS_TREATMENTS)
    assert "Treatments for neuroblastoma" in first.text
    assert "Canadian Cancer Society" in first.text
    # The Canadian Cancer Society page on the treatment itself is credited too.
    assert any(
        href.startswith("https://cancer.ca/")
        for item in items[1:]
        for _t, href in item.links()
    ), key


def test_fever_is_an_example_and_the_teams_rule_comes_first(client):
    """The fever figure is given as an example, next to 'follow your team's rule'."""
    for lang, example, rule in (
        ("en", "For example", "follow the rule your team gave you"),
        ("fr", "Par exemple", "suivez celle que votre équipe vous a donnée"),
    ):
        text = visible_text(_page(client, "chemotherapy", lang))
        figure = text.index("38 °C")
        assert text.rfind(example, 0, figure) > figure - 120
        assert 0 < text.index(rule) - figure < 200


def test_the_chemotherapy_drug_lists_match_in_both_languages(client):
    english = visible_text(_page(client, "chemotherapy", "en"))
    french = visible_text(_page(client, "chemotherapy", "fr"))
    pairs = [
        ("busulfan", "busulfan"),
        ("carboplatin", "carboplatine"),
        ("cisplatin", "cisplatine"),
        ("cyclophosphamide", "cyclophosphamide"),
        ("doxorubicin", "doxorubicine"),
        ("etoposide", "étoposide"),
        ("melphalan", "melphalan"),
        ("thiotepa", "thiotépa"),
        ("topotecan", "topotécan"),
        ("vincristine", "vincristine"),
    ]
    for en, fr in pairs:
        assert en in english and fr in french, (en, fr)
