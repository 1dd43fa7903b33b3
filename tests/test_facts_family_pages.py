"""The family pages state their key facts in both languages, credit their sources with the
Canadian Cancer Society page first, and are reachable from the home page.

Side effects, late effects, follow-up care, clinical trials, questions to ask and the home
page, as shipped in content/ and rendered by the site.
"""

import pytest

from tests.dom import parse
from tests.helpers import links, visible_text

pytestmark = pytest.mark.django_db

PATHS = {
    "side-effects": {"en": "/en/side-effects/", "fr": "/fr/effets-secondaires/"},
    "late-effects": {"en": "/en/late-effects/", "fr": "/fr/effets-tardifs/"},
    "follow-up-care": {"en": "/en/follow-up-care/", "fr": "/fr/suivi/"},
    "clinical-trials": {"en": "/en/clinical-trials/", "fr": "/fr/essais-cliniques/"},
    "questions-to-ask": {"en": "/en/questions-to-ask/", "fr": "/fr/questions-a-poser/"},
    "introduction": {"en": "/en/", "fr": "/fr/"},
}
CCS_TREATMENT = (
    "https://cancer.ca/en/cancer-information/cancer-types/neuroblastoma/treatment"
)


def text(client, key: str, language: str) -> str:
    response = client.get(PATHS[key][language])
    assert response.status_code == 200, PATHS[key][language]
    return visible_text(response)


def missing(page: str, facts: list[str]) -> list[str]:
    return [fact for fact in facts if fact not in page]


# --- side effects: fever first, with the sources' figure only as an example -----------
@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("en", ["For example, some hospitals say", "38.3°C", "38°C or higher for one hour",
                "Follow the rule your own care team gave you",
                "Hospitals do not all use the same numbers",
                "Do not wait for the clinic to open", "neutropenia", "neutrophils",
                "7 to 14 days", "antibiotics", "Never take it in the bottom",
                "acetaminophen", "ibuprofen"]),
        ("fr", ["Par exemple, certains hôpitaux disent", "38,3 °C",
                "38 °C ou plus pendant une heure",
                "Suivez la règle que votre propre équipe de soins vous a donnée",
                "Les hôpitaux n'utilisent pas tous les mêmes seuils",
                "N'attendez pas que la clinique ouvre", "neutropénie", "neutrophiles",
                "7 à 14 jours", "antibiotiques", "Ne la prenez jamais dans les fesses",
                "acétaminophène", "ibuprofène"]),
    ],
)  # fmt: skip
def test_side_effects_page_gives_the_fever_figure_as_an_example_and_the_teams_rule(
    client, language, facts
):
    assert not missing(text(client, "side-effects", language), facts)


@pytest.mark.parametrize(
    ("language", "signs"),
    [
        ("en", ["chills", "a cough, or fast breathing", "sore throat", "earache",
                "loose stools (diarrhea)", "a rash, blisters or sores on the skin",
                "white coating in the mouth", "central line", "a headache with a stiff neck",
                "confusion", "call 911"]),
        ("fr", ["frissons", "de la toux ou une respiration rapide", "mal de gorge",
                "mal d'oreille", "selles molles (diarrhée)", "cloques",
                "dépôt blanc dans la bouche", "cathéter central",
                "un mal de tête avec une raideur dans le cou", "confusion",
                "composez le 911"]),
    ],
)  # fmt: skip
def test_side_effects_page_lists_the_other_urgent_signs(client, language, signs):
    assert not missing(text(client, "side-effects", language), signs)


def test_the_fever_rule_comes_before_the_list_of_other_signs(client):
    for language, rule, other in (
        (
            "en",
            "Follow the rule your own care team gave you",
            "Other signs to call about",
        ),
        (
            "fr",
            "Suivez la règle que votre propre équipe",
            "Autres signes qui demandent",
        ),
    ):
        page = text(client, "side-effects", language)
        # rindex: the heading in the body, not its entry in the "On this page" list.
        assert page.index(rule) < page.rindex(other), language


# --- late effects: each one named, and where follow-up happens -------------------------
@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("en", ["Hearing", "hearing loss", "cisplatin and carboplatin", "once a year",
                "hearing aid", "Thyroid", "hypothyroidism", "hyperthyroidism",
                "MIBG therapy", "Heart", "doxorubicin", "Learning", "younger than 5",
                "Growth", "bones, cartilage and teeth", "Fertility", "freeze eggs or sperm",
                "Second cancers", "acute myeloid leukemia", "thyroid cancer",
                "kidney cancer", "less than 10 years", "transition clinics",
                "Some centres across Canada", "Children's Oncology Group"]),
        ("fr", ["Audition", "perte auditive", "le cisplatine et le carboplatine",
                "une fois par année", "appareil auditif", "Thyroïde", "hypothyroïdie",
                "hyperthyroïdie", "traitement par la MIBG", "Cœur", "doxorubicine",
                "Apprentissage", "moins de 5 ans", "Croissance",
                "des os, du cartilage et des dents", "Fertilité",
                "congeler des ovules ou du sperme", "Deuxième cancer",
                "leucémie myéloïde aiguë", "cancer de la thyroïde", "cancer du rein",
                "moins de 10 ans", "cliniques de transition",
                "Certains établissements au Canada", "Children's Oncology Group"]),
    ],
)  # fmt: skip
def test_late_effects_page_names_each_late_effect(client, language, facts):
    assert not missing(text(client, "late-effects", language), facts)


def test_late_effects_page_links_follow_up_care(client):
    assert "/en/follow-up-care/" in links(client.get(PATHS["late-effects"]["en"]))
    assert "/fr/suivi/" in links(client.get(PATHS["late-effects"]["fr"]))


# --- follow-up care, clinical trials, questions ---------------------------------------
@pytest.mark.parametrize(
    ("key", "language", "facts"),
    [
        ("follow-up-care", "en", ["first 2 years", "more than 5 years",
                                  "every 2 to 6 months", "late side effects",
                                  "MIBG scan", "limp"]),
        ("follow-up-care", "fr", ["2 ans", "plus de 5 ans", "tous les 2 à 6 mois",
                                  "effets secondaires tardifs", "MIBG", "boiterie"]),
        ("clinical-trials", "en", ["new ways to prevent, find and treat cancer",
                                   "Cancer in children is rare",
                                   "have not started treatment", "CAR T-cell therapy",
                                   "In the United States"]),
        ("clinical-trials", "fr", ["nouvelles façons de prévenir, de détecter et de "
                                   "traiter le cancer", "Le cancer est rare chez l'enfant",
                                   "pas encore commencé leur traitement", "CAR-T",
                                   "Aux États-Unis"]),
        ("questions-to-ask", "en", ["What temperature counts as a fever for my child",
                                    "Which late effects could my child have"]),
        ("questions-to-ask", "fr", ["À partir de quelle température",
                                    "Quels effets tardifs mon enfant pourrait-il avoir"]),
    ],
)  # fmt: skip
def test_family_pages_state_their_key_facts(client, key, language, facts):
    assert not missing(text(client, key, language), facts)


def test_follow_up_page_links_the_new_pages(client):
    for language, wanted in (
        ("en", ["/en/side-effects/", "/en/late-effects/"]),
        ("fr", ["/fr/effets-secondaires/", "/fr/effets-tardifs/"]),
    ):
        found = links(client.get(PATHS["follow-up-care"][language]))
        assert all(url in found for url in wanted), language


# --- the home page leads to both new pages, in its own text ---------------------------
@pytest.mark.parametrize(
    ("language", "wanted"),
    [("en", ["/en/side-effects/", "/en/late-effects/"]),
     ("fr", ["/fr/effets-secondaires/", "/fr/effets-tardifs/"])],
)  # fmt: skip
def test_home_page_text_links_both_new_pages(client, language, wanted):
    prose = parse(client.get(PATHS["introduction"][language])).find(class_="prose")
    hrefs = [href for _text, href in prose.links()]
    for url in wanted:
        assert url in hrefs, (language, url)


# --- sources: listed on every family page, the Canadian Cancer Society page first ------
@pytest.mark.parametrize("key", list(PATHS))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_sources_start_with_the_canadian_cancer_society_page(client, key, language):
    box = parse(client.get(PATHS[key][language])).find(data_testid="sources")
    urls = [href for _text, href in box.links()]
    assert urls and urls[0] == CCS_TREATMENT, (key, language, urls[:1])
    assert "Canadian Cancer Society" in box.text


def test_side_effects_sources_include_the_fever_pages(client):
    page = parse(client.get(PATHS["side-effects"]["en"]))
    box = page.find(data_testid="sources").text
    for publisher in (
        "SickKids (AboutKidsHealth)",
        "St. Jude Children",
        "Children's Oncology Group",
        "National Cancer Institute",
    ):
        assert publisher in box, publisher


@pytest.mark.parametrize("key", list(PATHS))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_rewritten_family_pages_claim_no_medical_review(client, key, language):
    """No medical reviewer has read the new text, so no review date is shown."""
    page = parse(client.get(PATHS[key][language]))
    assert not page.has(data_testid="last-reviewed")
    assert not page.has(data_testid="next-review")
