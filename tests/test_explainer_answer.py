"""The explainer's answer as a parent reads it, in both languages: the answer first, in a
panel of its own, then the category it matched with its criteria, then the others;
each criterion's state in words; the care team's role said once; the way there from
the response page and back; and the page's description, Open Graph tags and JSON-LD,
like every content page's (for the empty form, whatever the answers)."""

import json
from urllib.parse import urlencode

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import RequestFactory

from neuroinfo.models import ResponseCategory
from neuroinfo.pagecache import _page_key
from tests.dom import Element, parse
from tests.helpers import NBSP
from tests.test_explainer_page import BASE as BASE_PATHS
from tests.test_explainer_page import CASES

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
EXPLAINER = BASE_PATHS
RESPONSE = {"en": "/en/response-to-treatment/", "fr": "/fr/reponse-au-traitement/"}
BASE = "http://testserver"
# Partial response for a child without spread to the bones: a criterion met, one not
# met, one not known and one that does not apply, on one page.
ALL_STATES = {**CASES["partial-response"], "bone_spread": "no"}
ANSWERS = {
    "progressive-disease": {"new_spots": "yes"},
    "partial-response": ALL_STATES,
    "stable-disease": CASES["stable-disease"],
}
CANNOT_TELL = {"new_spots": "no"}
STATES = {
    "en": {
        "met": "Met:",
        "unmet": "Not met:",
        "unknown": "Not known:",
        "not-applicable": "Does not apply:",
    },
    "fr": {
        "met": f"Rempli{NBSP}:",
        "unmet": f"Non rempli{NBSP}:",
        "unknown": f"Inconnu{NBSP}:",
        "not-applicable": f"Ne s'applique pas{NBSP}:",
    },
}
# The words that say who decides what results mean, in each language.
CARE_TEAM_DECIDES = {
    "en": "healthcare team decides what the results mean",
    "fr": "équipe de soins de votre enfant qui décide ce que veulent dire",
}
TITLE = {
    "en": "Response to treatment: what the findings mean",
    "fr": f"Réponse au traitement{NBSP}: ce que veulent dire les résultats",
}
SITE = {"en": "Treatments for neuroblastoma", "fr": "Traitements du neuroblastome"}
OG_LOCALE = {"en": "en_CA", "fr": "fr_CA"}


def _page(client, language: str, query: dict | None = None) -> Element:
    path = EXPLAINER[language] + (f"?{urlencode(query)}" if query else "")
    response = client.get(path)
    assert response.status_code == 200
    return parse(response)


def _meta(page: Element, name: str) -> list[str]:
    return [m["content"] for m in page.find_all("meta", property=name)]


# --- order: the answer, its category, the others -----------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("category", list(ANSWERS))
def test_the_answer_comes_first_then_its_category_then_the_others(
    client, language, category
):
    page = _page(client, language, ANSWERS[category])
    main = page.find("main")
    answer = main.testid("explainer-answer")
    matched = main.testid("explainer-matched")
    others = main.testid("explainer-others")
    form = main.testid("explainer-form")
    assert answer < matched < others < form
    # Nothing but the way back to the response page stands between the page's
    # title and the answer (no introduction, no notice).
    title = main.find("h1")
    way_back = main.testid("explainer-back-top").parent
    between = [
        e for e in main.iter() if title < e < answer and title not in e.ancestors()
    ]
    assert between and all(e is way_back or way_back in e.ancestors() for e in between)
    # A panel of its own with its own heading, not a notice.
    assert answer.tag == "section" and answer["data-category"] == category
    assert not answer.classes & {"notice", "explainer-notice"}
    assert not main.has(data_testid="explainer-notice")
    heading = page.by_id(answer["aria-labelledby"])
    assert heading.tag == "h2" and heading in answer.iter()
    with_category = ResponseCategory.objects.get(key=category)
    name = getattr(with_category, f"title_{language}")
    assert heading.text_with_nbsp.endswith(name)
    # The matched category is the answer's, with its criteria; it is not among the
    # others, which are folded (the reader opens them).
    assert matched.find("h3").text_with_nbsp == name
    assert matched.find_all("li", class_="verdict")
    folded = others.find_all("details", data_testid="explainer-other")
    titles = [d.find(class_="explainer-other__title").text_with_nbsp for d in folded]
    assert len(titles) == 3 and name not in titles
    assert not any("open" in d.attrs for d in folded)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_others_come_in_the_response_pages_order_not_progressive_disease_first(
    client, language
):
    page = _page(client, language, ANSWERS["partial-response"])
    titles = [
        e.text_with_nbsp
        for e in page.testid("explainer-others").find_all(
            class_="explainer-other__title"
        )
    ]
    listed = [
        getattr(c, f"title_{language}")
        for c in ResponseCategory.objects.published().order_by("order", "key")
    ]
    assert titles == [t for t in listed if t != listed[1]]  # partial response is 2nd
    assert (
        titles[-1] == {"en": "Progressive disease", "fr": "Maladie évolutive"}[language]
    )
    # The order the criteria check them in is still said, as a list of names.
    checked = [
        li.text_with_nbsp
        for li in page.find("ol", class_="explainer-order").find_all("li")
    ]
    assert checked[0] == titles[-1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_cannot_tell_shows_every_category_after_the_answer_the_open_ones_unfolded(
    client, language
):
    page = _page(client, language, CANNOT_TELL)
    answer = page.testid("explainer-answer")
    assert answer["data-outcome"] == "cannot_tell"
    assert not page.has(data_testid="explainer-matched")
    others = page.testid("explainer-others")
    assert answer < others
    folded = others.find_all("details", data_testid="explainer-other")
    assert len(folded) == 4
    cannot = {"en": "Cannot tell yet.", "fr": "Impossible de le dire pour l'instant."}
    for details in folded:
        status = details.find(class_="explainer-other__status").text
        assert ("open" in details.attrs) == (status == cannot[language]), status


# --- each criterion's state, in words ---------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_criterion_says_its_state_in_words(client, language):
    page = _page(client, language, ALL_STATES)
    found = {}
    for item in page.testid("explainer-categories").find_all("li", class_="verdict"):
        (state,) = [c.removeprefix("verdict--") for c in item.classes if "--" in c]
        words = item.find("strong", class_="verdict__state").text_with_nbsp
        found.setdefault(state, set()).add(words)
        # The words come first, then the statement; the icon is drawn by the
        # stylesheet, so it is no text a screen reader could read.
        assert item.text_with_nbsp.startswith(words + " ")
    assert found == {state: {words} for state, words in STATES[language].items()}


def test_the_icons_are_drawn_with_no_text_for_screen_readers():
    with open(finders.find("css/explainer.css"), encoding="utf-8") as sheet:
        css = sheet.read()
    for state in ("met", "unmet", "unknown", "not-applicable"):
        rule = css.split(f".verdict--{state} .verdict__state::before {{", 1)[1]
        rule = rule.split("}", 1)[0]
        # Alternative text "" (CSS generated content): seen, never read aloud.
        assert '/ "";' in rule, state
    assert "--explainer-error" not in css.split(".verdict {", 1)[1].split("@media")[0]


# --- the care team's role, once --------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "query",
    [
        None,
        ANSWERS["progressive-disease"],
        ANSWERS["partial-response"],
        CANNOT_TELL,
        {"primary_mm": "-1"},
    ],
    ids=["form", "progressive", "partial", "cannot-tell", "problems"],
)
def test_the_care_team_decides_is_said_once(client, language, query):
    page = _page(client, language, query)
    text = page.find("body").text_with_nbsp
    assert text.count(CARE_TEAM_DECIDES[language]) == 1, text
    if query and "primary_mm" not in query:
        said = page.testid("explainer-answer").testid("explainer-care-team")
        assert CARE_TEAM_DECIDES[language] in said.text_with_nbsp
        words = {"en": "not a diagnosis", "fr": "pas un diagnostic"}[language]
        assert words in said.text_with_nbsp


# --- from the response page and back -------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_response_page_offers_the_explainer_near_its_top(client, language):
    response = client.get(RESPONSE[language])
    assert response.status_code == 200
    main = parse(response).find("main")
    cta = main.testid("explainer-cta")
    link = cta.testid("explainer-cta-link")
    assert link.tag == "a" and link["href"] == EXPLAINER[language]
    assert (
        link.text
        == {
            "en": "Explain a report's findings",
            "fr": "Expliquer les résultats d'un rapport",
        }[language]
    )
    # One line says what it does, in the reader's language.
    line = cta.find("p").text
    assert {"en": "report", "fr": "rapport"}[language] in line
    # Before the key points and every section of the page.
    assert main.find("h1") < cta < main.testid("key-points")
    assert all(cta < h for h in main.find_all("h2"))
    # Styled as a button by a stylesheet of its own on this page only.
    sheets = [e["href"] for e in parse(response).find_all("link", rel="stylesheet")]
    assert "/static/css/explainer-cta.css" in sheets
    assert "/static/css/explainer-cta.css" not in [
        e["href"] for e in _page(client, language).find_all("link", rel="stylesheet")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_explainer_links_back_at_the_top_and_after_the_answer(client, language):
    back = {
        "en": "Back to Response to treatment",
        "fr": "Retour à Réponse au traitement",
    }
    page = _page(client, language, ANSWERS["partial-response"])
    main = page.find("main")
    top = main.testid("explainer-back-top")
    answer = main.testid("explainer-answer")
    after = main.testid("explainer-back")
    assert main.find("h1") < top < answer < after < main.testid("explainer-matched")
    assert top["href"] == RESPONSE[language]
    assert top.text == f"‹ {back[language]}"
    # After an answer: to the matched category's own section of the response page.
    category = ResponseCategory.objects.get(key="partial-response")
    slug = getattr(category, f"slug_{language}")
    assert after["href"] == f"{RESPONSE[language]}#{slug}"
    assert parse(client.get(RESPONSE[language])).by_id(slug).tag == "h2"
    # Without a category (cannot tell yet), and on the empty form: the page itself.
    cannot = _page(client, language, CANNOT_TELL)
    assert cannot.testid("explainer-back")["href"] == RESPONSE[language]
    empty = _page(client, language)
    assert empty.testid("explainer-back-top")["href"] == RESPONSE[language]
    assert empty.testid("explainer-back")["href"] == RESPONSE[language]
    assert empty.testid("explainer-back").text == back[language]


# --- description, Open Graph, JSON-LD ---------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "query", [None, ANSWERS["stable-disease"]], ids=["form", "answer"]
)
def test_open_graph_and_json_ld_describe_the_empty_form(client, language, query):
    path = EXPLAINER[language] + (f"?{urlencode(query)}" if query else "")
    response = client.get(path)
    page = parse(response)
    url = BASE + EXPLAINER[language]
    other = "fr" if language == "en" else "en"
    description = [m["content"] for m in page.find_all("meta", name="description")]
    assert len(description) == 1 and description[0]
    assert _meta(page, "og:title") == [TITLE[language]]
    assert _meta(page, "og:description") == description
    assert _meta(page, "og:type") == ["website"]
    assert _meta(page, "og:url") == [url]
    assert _meta(page, "og:locale") == [OG_LOCALE[language]]
    assert _meta(page, "og:locale:alternate") == [OG_LOCALE[other]]
    assert _meta(page, "og:site_name") == [SITE[language]]
    (block,) = page.find_all("script", type="application/ld+json")
    data = json.loads(block.raw_text)
    assert data["@type"] == "MedicalWebPage"
    assert data["@context"] == "https://schema.org"
    assert data["name"] == TITLE[language]
    assert data["url"] == url
    assert data["inLanguage"] == language
    assert data["description"] == description[0]
    assert data["isPartOf"]["url"] == f"{BASE}/{language}/"
    steps = data["breadcrumb"]["itemListElement"]
    assert steps[-2]["item"] == BASE + RESPONSE[language]
    assert steps[-1] == {
        "@type": "ListItem",
        "position": len(steps),
        "name": TITLE[language],
        "item": url,
    }
    # No answer, no finding of the reader's, in what previews and search engines read.
    head = response.content.decode().split("</head>")[0]
    assert "size_percent" not in head.split('rel="alternate"')[0]
    assert "size_percent" not in block.raw_text
    # An answer is never stored in the page cache; it names no canonical address.
    assert cache.get(_page_key(RequestFactory().get(path))) is None
    assert page.has("link", rel="canonical") == (query is None)
