"""Every public page, in both languages: it answers, shows its facts, and links across."""

import re

import pytest

from tests.dom import parse
from tests.helpers import NBSP, links, page_weight, region, visible_text

pytestmark = pytest.mark.django_db

# (English path, French path, facts in English, facts in French): the source's numbers
# and terms, each of which must appear on the page.
PAGES = [
    (
        "/en/",
        "/fr/",
        ["treatment plan just for your child", "age", "stage", "risk group",
         "overall health", "An operation can confirm that a child has neuroblastoma",
         "Watchful waiting", "Targeted therapy", "Follow-up care",
         "Clinical trials", "Questions to ask"],
        ["plan de traitement", "âge", "stade", "catégorie de risque",
         "état de santé global", "Une opération peut confirmer qu'un enfant a un "
         "neuroblastome", "Observation vigilante",
         "Traitement ciblé", "Suivi", "Essais cliniques", "Questions à poser"],
    ),
    (
        "/en/treatments/surgery/",
        "/fr/traitements/chirurgie/",
        ["main treatment when the cancer has not spread", "confirm the diagnosis",
         "complete resection", "Second-look surgery", "residual disease"],
        ["principal traitement quand le cancer ne s'est pas propagé",
         "confirmer le diagnostic", "résection complète", "Chirurgie de second regard",
         "maladie résiduelle"],
    ),
    (
        "/en/treatments/chemotherapy/",
        "/fr/traitements/chimiotherapie/",
        ["anticancer drugs", "2 to 4 cycles", "12 to 24 weeks"],
        ["médicaments anticancéreux", "2 à 4 cycles", "12 à 24 semaines"],
    ),
    (
        "/en/treatments/radiation-therapy/",
        "/fr/traitements/radiotherapie/",
        ["high-energy rays or particles"],
        ["rayons ou des particules de haute énergie"],
    ),
    (
        "/en/treatments/high-dose-chemotherapy-and-stem-cell-rescue/",
        "/fr/traitements/chimiotherapie-a-haute-dose-et-greffe-de-cellules-souches/",
        ["high-dose chemotherapy", "bone marrow", "stem cell transplant"],
        ["chimiothérapie à haute dose", "moelle osseuse",
         "greffe de cellules souches"],
    ),
    (
        "/en/treatments/retinoids-and-immunotherapy/",
        "/fr/traitements/retinoides-et-immunotherapie/",
        ["isotretinoin", "prescription medicine", "immune system", "dinutuximab"],
        ["isotrétinoïne", "médicament d'ordonnance", "système immunitaire",
         "dinutuximab"],
    ),
    (
        "/en/treatments/targeted-therapy/",
        "/fr/traitements/traitement-cible/",
        ["specific molecules", "limit harm to normal cells"],
        ["molécules précises", "cellules normales"],
    ),
    (
        "/en/treatments/watchful-waiting/",
        "/fr/traitements/observation-vigilante/",
        ["younger than 6 months", "stage 4S", "favourable prognostic factors",
         "no symptoms"],
        ["moins de 6 mois", "stade 4S", "facteurs pronostiques favorables",
         "aucun symptôme"],
    ),
    (
        "/en/treatments/high-risk-treatment/",
        "/fr/traitements/traitement-risque-eleve/",
        ["induction", "consolidation", "maintenance", "stem cell rescue"],
        ["induction", "consolidation", "traitement d'entretien",
         "greffe de cellules souches"],
    ),
    (
        "/en/risk-factors/age/",
        "/fr/facteurs-pris-en-compte/age/",
        ["6 months", "18 months"],
        ["6 mois", "18 mois"],
    ),
    (
        "/en/risk-factors/stage/",
        "/fr/facteurs-pris-en-compte/stade/",
        ["size and location", "whether it has spread"],
        ["taille et l'emplacement", "s'il s'est propagé"],
    ),
    (
        "/en/risk-factors/risk-group/",
        "/fr/facteurs-pris-en-compte/categorie-de-risque/",
        ["risk group"],
        ["catégorie de risque"],
    ),
    (
        "/en/risk-factors/overall-health/",
        "/fr/facteurs-pris-en-compte/etat-de-sante-global/",
        ["overall health"],
        ["état de santé global"],
    ),
    (
        "/en/response-to-treatment/",
        "/fr/reponse-au-traitement/",
        ["Imaging tests", "CT and MRI scans", "MIBG", "PET", "Complete response",
         "Partial response", "Stable disease", "Progressive disease", "under 10 mm",
         "more than 30% smaller", "down by at least 50%", "grown by 20% or more",
         "2 biopsies and 2 aspirations"],
        ["examens d'imagerie", "La TDM et l'IRM", "MIBG", "TEP", "Réponse complète",
         "Réponse partielle", "Maladie stable", "Maladie évolutive", "moins de 10 mm",
         "plus de 30 %", "au moins 50 %", "20 % ou plus", "2 biopsies et 2 ponctions"],
    ),
    (
        "/en/risk-groups-and-stages/",
        "/fr/categories-de-risque-et-stades/",
        ["Stage L1", "Stage L2", "Stage M", "Stage MS", "younger than 18 months",
         "Low risk", "Intermediate risk", "High risk"],
        ["Stade L1", "Stade L2", "Stade M", "Stade MS", "moins de 18 mois",
         "Risque faible", "Risque intermédiaire", "Risque élevé"],
    ),
    (
        "/en/follow-up-care/",
        "/fr/suivi/",
        ["first 2 years", "late side effects"],
        ["2 ans", "effets secondaires tardifs"],
    ),
    (
        "/en/clinical-trials/",
        "/fr/essais-cliniques/",
        ["new ways to prevent, find and treat cancer"],
        ["nouvelles façons de prévenir, de détecter et de traiter le cancer"],
    ),
    (
        "/en/questions-to-ask/",
        "/fr/questions-a-poser/",
        ["ask the healthcare team anything", "Is a clinical trial an option"],
        ["équipe de soins", "essai clinique"],
    ),
    (
        "/en/glossary/",
        "/fr/glossaire/",
        ["MIBG scan", "PET scan", "Bone marrow aspiration", "Biopsy", "Stem cell",
         "Retinoid", "Immunotherapy", "Metastasis"],
        ["Scintigraphie à la MIBG", "Tomographie par émission de positrons",
         "Ponction de la moelle osseuse", "Biopsie", "Cellule souche", "Rétinoïde",
         "Immunothérapie", "Métastase"],
    ),
]  # fmt: skip
ALL_PATHS = [(en, "en") for en, *_rest in PAGES] + [(fr, "fr") for _e, fr, *_r in PAGES]


@pytest.mark.parametrize(("path", "language"), ALL_PATHS)
def test_every_page_answers_in_its_language(client, path, language):
    response = client.get(path)
    assert response.status_code == 200
    assert parse(response).find("html").get("lang") == language


@pytest.mark.parametrize(("en_path", "fr_path", "en_facts", "fr_facts"), PAGES)
def test_every_page_shows_its_facts_in_both_languages(
    client, en_path, fr_path, en_facts, fr_facts
):
    for path, facts in ((en_path, en_facts), (fr_path, fr_facts)):
        text = visible_text(client.get(path))
        missing = [fact for fact in facts if fact not in text]
        assert not missing, f"{path} lacks {missing}"


TWINS = [(en, fr, "fr") for en, fr, *_rest in PAGES] + [
    (fr, en, "en") for en, fr, *_rest in PAGES
]


@pytest.mark.parametrize(("path", "other_path", "other"), TWINS)
def test_language_switch_and_hreflang_point_at_the_same_item(
    client, path, other_path, other
):
    page = parse(client.get(path))
    assert page.find(data_testid="language-switch").get("href") == other_path
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in page.find_all("link", rel="alternate")
    }
    assert alternates[other] == f"http://testserver{other_path}"
    canonical = page.find("link", rel="canonical").get("href")
    assert canonical == f"http://testserver{path}"


@pytest.mark.parametrize(("path", "_language"), ALL_PATHS)
def test_every_page_carries_the_family_essentials(client, path, _language):
    page = parse(client.get(path))
    for testid in ("care-team-reminder", "prev-next", "who-to-call", "publisher"):
        assert page.find(data_testid=testid).text, (path, testid)
    # The review as recorded: its date, or plainly that there has been none.
    reviewed = page.has(data_testid="last-reviewed")
    assert reviewed != page.has(data_testid="not-reviewed"), path
    if path not in ("/en/", "/fr/"):
        assert page.find(data_testid="breadcrumbs").links()


def test_the_reminder_to_talk_with_the_team_is_in_the_reader_language(client):
    assert "healthcare team" in visible_text(client.get("/en/treatments/surgery/"))
    assert "équipe de soins" in visible_text(client.get("/fr/traitements/chirurgie/"))


def test_no_english_interface_text_on_a_french_page(client):
    text = visible_text(client.get("/fr/traitements/chirurgie/"))
    for english in (
        "You are here",
        "Last reviewed",
        "Find out more",
        "Previous",
        "Next",
    ):
        assert english not in text


def test_previous_and_next_walk_the_guide_in_order(client):
    nav = parse(client.get("/en/treatments/chemotherapy/")).find(
        data_testid="prev-next"
    )
    previous, following = nav.find("a", rel="prev"), nav.find("a", rel="next")
    assert previous.get("href") == "/en/treatments/surgery/"
    assert previous.text == "Previous page Surgery"
    assert following.get("href") == "/en/treatments/radiation-therapy/"
    assert following.text == "Next page Radiation therapy"


@pytest.mark.parametrize(
    ("path", "anchor", "title"),
    [
        ("/en/treatments/surgery/", "second-look-surgery", "Second-look surgery"),
        (
            "/fr/traitements/chirurgie/",
            "chirurgie-de-second-regard",
            "Chirurgie de second regard",
        ),
    ],
)
def test_sub_sections_are_part_of_their_parent_page(client, path, anchor, title):
    page = parse(client.get(path))
    assert page.find("h2", id=anchor).text == title


def test_links_between_items_resolve_to_the_reader_language(client):
    assert "/en/treatments/chemotherapy/" in links(
        client.get("/en/treatments/surgery/")
    )
    fr_links = links(client.get("/fr/traitements/chirurgie/"))
    assert "/fr/traitements/chimiotherapie/" in fr_links
    assert "/fr/glossaire/#tumeur" in fr_links


def test_french_numbers_carry_a_non_breaking_space(client):
    html = client.get("/fr/reponse-au-traitement/").content.decode()
    for number in ("10 mm", "30 %", "50 %", "20 %"):
        assert number.replace(" ", NBSP) in html
    english = client.get("/en/response-to-treatment/").content.decode()
    assert "30%" in english and f"10{NBSP}mm" in english


def test_glossary_lists_terms_a_to_z_with_anchors(client):
    page = parse(client.get("/fr/glossaire/"))
    assert page.find("dt", id="tumeur").text == "Tumeur"
    assert page.find("dt", id="biopsie").text == "Biopsie"
    terms = [dt.text for dt in page.find_all("dt")]
    positions = [
        terms.index(t) for t in ("Biopsie", "Cellule souche", "Métastase", "Tumeur")
    ]
    assert positions == sorted(positions)


NOT_FOUND = {"en": "not found", "fr": "introuvable"}


@pytest.mark.parametrize(
    ("language", "path"),
    [
        ("en", "/en/treatments/nope/"),
        ("en", "/en/nope/"),
        ("en", "/en/risk-factors/x/"),
        ("fr", "/fr/traitements/nope/"),
        ("fr", "/fr/nope/"),
        ("fr", "/fr/facteurs-pris-en-compte/x/"),
    ],
)
def test_unknown_paths_are_a_404_in_their_language(client, language, path):
    response = client.get(path)
    assert response.status_code == 404
    assert parse(response).find("html").get("lang") == language
    assert NOT_FOUND[language] in visible_text(response).lower()


def test_root_redirects_to_the_browser_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").url == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9").url == "/en/"


def test_a_slug_from_the_other_language_redirects_to_this_language(client):
    response = client.get("/fr/traitements/surgery/")
    assert response.status_code == 301
    assert response.url == "/fr/traitements/chirurgie/"


@pytest.mark.parametrize(("path", "_language"), ALL_PATHS)
def test_pages_reference_no_other_host_and_stay_small(client, path, _language):

    response = client.get(path)
    html = response.content.decode()
    own = html  # links to the pages cited under "Sources" are meant to leave the site
    if 'data-testid="sources"' in html:
        own = html.replace(region(html, "sources"), "")
    urls = re.findall(r'(?:href|src)="([^"]*)"', own)
    external = [u for u in urls if u.startswith(("http:", "https:", "//"))]
    assert all(u.startswith("http://testserver/") for u in external), external
    assert page_weight(response) < 50_000


@pytest.mark.parametrize(
    ("path", "headings"),
    [
        ("/en/response-to-treatment/",
         ["Primary tumour", "Target lymph nodes", "Spread seen on MIBG or PET scan",
          "Bone marrow"]),
        ("/fr/reponse-au-traitement/",
         ["Tumeur primitive", "Ganglions lymphatiques cibles",
          "Propagation visible à la scintigraphie à la MIBG ou à la TEP",
          "Moelle osseuse"]),
    ],
)  # fmt: skip
def test_response_criteria_are_grouped_by_what_is_measured(client, path, headings):
    html = client.get(path).content.decode()
    complete = html.split('class="section response"')[1]  # the first category
    found = re.findall(r'<h3 class="response__measure">([^<]+)</h3>', complete)
    assert found == headings
    # Each statement sits under its measure, with its number formatted for the language.
    primary = complete.split(headings[0])[1].split("<h3")[0]
    assert "10\u00a0mm" in primary
