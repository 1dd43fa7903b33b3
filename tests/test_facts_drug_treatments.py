"""The drug treatment pages and the high-risk sequence say their sources' facts, in both
languages: retinoids and immunotherapy, targeted therapy, watchful waiting, and treatment
for high-risk neuroblastoma step by step."""

import re

import pytest

from neuroinfo.models import Treatment
from tests.dom import parse, words
from tests.helpers import NBSP, links

pytestmark = pytest.mark.django_db

CCS_TREATMENTS = (
    "https://cancer.ca/en/cancer-information/cancer-types/neuroblastoma/treatment"
)

PATHS = {
    "retinoids-and-immunotherapy": (
        "/en/treatments/retinoids-and-immunotherapy/",
        "/fr/traitements/retinoides-et-immunotherapie/",
    ),
    "targeted-therapy": (
        "/en/treatments/targeted-therapy/",
        "/fr/traitements/traitement-cible/",
    ),
    "watchful-waiting": (
        "/en/treatments/watchful-waiting/",
        "/fr/traitements/observation-vigilante/",
    ),
    "high-risk-treatment": (
        "/en/treatments/high-risk-treatment/",
        "/fr/traitements/traitement-risque-eleve/",
    ),
}

# (key, facts on the English page, the same facts on the French page).
FACTS = [
    (
        "retinoids-and-immunotherapy",
        ["isotretinoin", "prescription medicine", "by mouth", "for 6 months",
         "dinutuximab", "Unituxin", "GD2", "monoclonal antibody",
         "high-dose chemotherapy and stem cell rescue", "maintenance",
         "Three drugs are often used together", "2 immunotherapy drugs",
         "GM-CSF", "in the United States", "G-CSF", "infection",
         "eflornithine", "2 years"],
        ["isotrétinoïne", "médicament d'ordonnance", "par la bouche", "pendant 6 mois",
         "dinutuximab", "Unituxin", "GD2", "anticorps monoclonal",
         "chimiothérapie à haute dose et la greffe de cellules souches",
         "traitement d'entretien", "3 médicaments ensemble",
         "2 médicaments d'immunothérapie", "GM-CSF", "aux États-Unis", "G-CSF",
         "infection", "éflornithine", "2 ans"],
    ),
    (
        "targeted-therapy",
        ["specific molecules", "limit harm to normal cells", "ALK",
         "anaplastic lymphoma kinase", "ALK inhibitors", "crizotinib",
         "high-risk neuroblastoma", "comes back", "no longer responds",
         "Dinutuximab", "Eflornithine", "In the United States", "2 years",
         "fewer side effects", "chemotherapy", "radiation therapy"],
        ["molécules précises", "cellules normales", "ALK",
         "kinase du lymphome anaplasique", "inhibiteurs d'ALK", "crizotinib",
         "neuroblastome à risque élevé", "revient", "ne répond plus",
         "dinutuximab", "éflornithine", "Aux États-Unis", "2 ans",
         "moins d'effets secondaires", "chimiothérapie", "radiothérapie"],
    ),
    (
        "watchful-waiting",
        ["younger than 6 months", "stage 4S", "favourable prognostic factors",
         "no symptoms", "stage MS", "younger than 18 months", "skin", "liver",
         "bone marrow", "spontaneous regression", "ganglioneuroma",
         "signs or symptoms appear or change", "active surveillance"],
        ["moins de 6 mois", "stade 4S", "facteurs pronostiques favorables",
         "aucun symptôme", "stade MS", "moins de 18 mois", "peau", "foie",
         "moelle osseuse", "régression spontanée", "ganglioneurome",
         "apparaissent ou changent", "surveillance active"],
    ),
    (
        "high-risk-treatment",
        ["3 phases", "Phase 1: induction", "Phase 2: consolidation",
         "Phase 3: maintenance", "cyclophosphamide", "vincristine", "doxorubicin",
         "etoposide", "cisplatin", "topotecan", "busulfan and melphalan",
         "carboplatin, etoposide and melphalan", "cyclophosphamide and thiotepa",
         "1 or 2 rounds", "5 rounds (cycles) over 3 to 4 months",
         "in the United States", "Isotretinoin", "by mouth for 6 months",
         "Dinutuximab", "eflornithine", "for 2 years", "central line",
         "hearing loss", "once a year", "under 5", "Follow the rule your team gave you"],
        ["3 phases", "Phase 1 : l'induction", "Phase 2 : la consolidation",
         "Phase 3 : le traitement d'entretien", "cyclophosphamide", "vincristine",
         "doxorubicine", "étoposide", "cisplatine", "topotécan",
         "busulfan et le melphalan", "carboplatine, l'étoposide et le melphalan",
         "cyclophosphamide et le thiotépa", "1 ou 2 cycles",
         "5 cycles sur 3 à 4 mois", "des États-Unis", "isotrétinoïne",
         "par la bouche pendant 6 mois", "dinutuximab", "éflornithine",
         "pendant 2 ans", "cathéter central", "perte auditive", "chaque année",
         "moins de 5 ans", "selon la règle que votre équipe vous a donnée"],
    ),
]  # fmt: skip


def prose(client, path: str) -> str:
    """The page as a reader sees it, without the glossary definitions it carries.

    A glossary term's definition is the glossary's text, shown only on request; the
    facts checked here are the page's own.
    """
    response = client.get(path)
    assert response.status_code == 200, path
    page = parse(response)
    for box in page.find_all(data_testid="term-definitions"):
        box.parent.children.remove(box)
    return page.text


@pytest.mark.parametrize(("key", "en_facts", "fr_facts"), FACTS)
def test_each_page_states_its_facts_in_both_languages(client, key, en_facts, fr_facts):
    for path, facts in zip(PATHS[key], (en_facts, fr_facts), strict=True):
        text = prose(client, path)
        missing = [fact for fact in facts if fact not in text]
        assert not missing, f"{path} lacks {missing}"


@pytest.mark.parametrize("language", [0, 1])
def test_retinoids_are_a_prescription_medicine_not_a_vitamin(client, language):
    """The old text called retinoids "a form of vitamin A", which may lead parents to
    give vitamin supplements: the page presents isotretinoin as a prescribed medicine."""
    path = PATHS["retinoids-and-immunotherapy"][language]
    text = prose(client, path).lower()
    assert not re.search(r"vitamin|\bsuppl[eé]ments?\b", text), path
    assert ("prescription medicine", "médicament d'ordonnance")[language] in text
    assert ("only the medicines the team prescribes",
            "seulement les médicaments que l'équipe prescrit")[language] in text  # fmt: skip
    item = Treatment.objects.get(key="retinoids-and-immunotherapy")
    for field in ("summary", "key_points", "body"):
        for lang in ("en", "fr"):
            assert "vitamin" not in getattr(item, f"{field}_{lang}").lower()


PHASES = (
    ["Phase 1: induction", "Phase 2: consolidation", "Phase 3: maintenance"],
    ["Phase 1 : l'induction", "Phase 2 : la consolidation",
     "Phase 3 : le traitement d'entretien"],
)  # fmt: skip


@pytest.mark.parametrize("language", [0, 1])
def test_the_three_phases_are_sections_in_order(client, language):
    page = parse(client.get(PATHS["high-risk-treatment"][language]))
    body = page.find(class_="prose")
    headings = [h2.text for h2 in body.find_all("h2")]
    expected = [words(phase) for phase in PHASES[language]]
    assert [h for h in headings if h.startswith("Phase")] == expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_high_risk_page_links_each_treatment_and_term(client, language):
    path = PATHS["high-risk-treatment"][language == "fr"]
    response = client.get(path)
    hrefs = links(response)
    for key in ("chemotherapy", "surgery", "stem-cell-rescue", "radiation-therapy",
                "retinoids-and-immunotherapy"):  # fmt: skip
        treatment = Treatment.objects.get(key=key)
        slug = getattr(treatment, f"slug_{language}")
        prefix = {"en": "/en/treatments/", "fr": "/fr/traitements/"}[language]
        assert f"{prefix}{slug}/" in hrefs, (path, key)
    page = parse(response)
    for term in ("induction", "consolidation", "maintenance", "isotretinoin",
                 "dinutuximab", "central-line"):  # fmt: skip
        assert page.has("a", class_="term", data_term=term), (path, term)


@pytest.mark.parametrize("key", list(PATHS))
def test_sources_start_with_the_canadian_cancer_society_page(client, key):
    item = Treatment.objects.get(key=key)
    sources = list(item.sources.all())
    assert len(sources) >= 2, key
    first = sources[0]
    assert (first.title, first.publisher, first.url) == (
        "Treatments for neuroblastoma",
        "Canadian Cancer Society",
        CCS_TREATMENTS,
    )
    assert all(s.accessed and s.accessed.isoformat() == "2026-11-30" for s in sources)
    for path in PATHS[key]:
        first = parse(client.get(path)).find(data_testid="sources").find("li")
        assert first.has("a", href=CCS_TREATMENTS), path


def test_watchful_waiting_keeps_the_seed_age_limit(client):
    """The seed says younger than 6 months; no other age limit for it is introduced."""
    en, fr = (prose(client, path) for path in PATHS["watchful-waiting"])
    assert "babies younger than 6 months" in en
    assert "bébés de moins de 6 mois" in fr
    assert "12 months" not in en and "12 mois" not in fr


@pytest.mark.parametrize("key", list(PATHS))
def test_french_numbers_keep_their_non_breaking_space(client, key):
    html = client.get(PATHS[key][1]).content.decode()
    body = Treatment.objects.get(key=key).body_fr
    numbers = re.findall(r"\b(\d+) (mois|ans)\b", body)
    assert numbers, key
    for number, unit in numbers:
        assert f"{number}{NBSP}{unit}" in html, (key, number, unit)


def test_the_high_risk_page_comes_after_the_other_treatments():
    orders = dict(
        Treatment.objects.filter(parent__isnull=True).values_list("key", "order")
    )
    assert orders["high-risk-treatment"] == max(orders.values())
    assert Treatment.objects.get(key="high-risk-treatment").parent is None
