""" "Was this page helpful?": on every public page, in both languages, without making
the page uncacheable or setting a cookie; the click on Yes or No is stored at once by a
POST that needs no session or token but must come from this site; one answer per page
per browser (a second click changes it); an optional comment step added to that
answer; limited per client; tallied and read as plain text in the admin."""

import pytest
import reversion
from django.core import signing
from django.core.cache import cache
from django.test import Client, RequestFactory

from neuroinfo import feedback_votes
from neuroinfo.explainer.address import explainer_url
from neuroinfo.generation import GENERATION_KEY
from neuroinfo.links import all_urls, content_models
from neuroinfo.models import Feedback, GuidePage, Treatment
from tests.dom import parse
from tests.helpers import page_language, page_text, staff_user, visible_text

pytestmark = pytest.mark.django_db

ANSWER_URL = {"en": "/en/feedback/answer/", "fr": "/fr/commentaires/reponse/"}
FEEDBACK_URL = {"en": "/en/feedback/", "fr": "/fr/commentaires/"}
SURGERY = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}
# What a browser sends with a form's POST from a page of this site.
FROM_HERE = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
WORDS = {
    "en": {
        "question": "Was this page helpful?",
        "yes": "Yes",
        "no": "No",
        "saved": "Thank you, your answer is saved",
        "your_no": "Your answer: No.",
        "your_yes": "Your answer: Yes.",
        "optional_no": "Optional: tell us what was missing or hard to understand.",
        "optional_yes": "Optional: tell us what helped you.",
        "hint": "Please do not include names or health details: we cannot reply.",
        "no_need": "You do not have to write anything: your answer already counts.",
        "send": "Send",
        "thanks": "Thank you for your comment",
        "back": "Go back to the page you were reading",
        "empty": "Write your comment before you select Send. You do not have to: "
        "your answer is already saved.",
        "too_long": "Your comment has 1,001 characters. Please shorten it to 1,000 "
        "characters or fewer.",
        "limit": "You have sent several answers in a short time. Please try again "
        "in a few minutes.",
        "comment_limit": "You have sent several comments in a short time.",
        "not_a_page": "Your answer is not about a page of this guide",
        "refused": "Your answer did not come from a page of this guide, so we did "
        "not keep it.",
        "expired": "This comment form is more than a day old, so we could not take "
        "your comment. Your Yes or No answer still counts.",
        "choose": "Choose Yes or No.",
        "expired_csrf": "Your form expired, so we could not take it. Please go back "
        "and try again.",
    },
    "fr": {
        "question": "Cette page vous a-t-elle été utile?",
        "yes": "Oui",
        "no": "Non",
        "saved": "Merci, votre réponse est enregistrée",
        "your_no": "Votre réponse : Non.",
        "your_yes": "Votre réponse : Oui.",
        "optional_no": "Facultatif : dites-nous ce qui manquait ou ce qui était "
        "difficile à comprendre.",
        "optional_yes": "Facultatif : dites-nous ce qui vous a aidé.",
        "hint": "Veuillez ne pas inscrire de noms ni de renseignements sur la santé : "
        "nous ne pouvons pas répondre.",
        "no_need": "Un commentaire n'est pas obligatoire : votre réponse compte déjà.",
        "send": "Envoyer",
        "thanks": "Merci de votre commentaire",
        "back": "Retourner à la page que vous lisiez",
        "empty": "Écrivez votre commentaire avant de sélectionner Envoyer. Un "
        "commentaire n'est pas obligatoire : votre réponse est déjà enregistrée.",
        "too_long": "Votre commentaire compte 1 001 caractères. Veuillez le "
        "raccourcir à 1 000 caractères ou moins.",
        "limit": "Vous avez envoyé plusieurs réponses en peu de temps. Veuillez "
        "réessayer dans quelques minutes.",
        "comment_limit": "Vous avez envoyé plusieurs commentaires en peu de temps.",
        "not_a_page": "Votre réponse ne porte pas sur une page de ce guide",
        "refused": "Votre réponse ne vient pas d'une page de ce guide, nous ne "
        "l'avons donc pas gardée.",
        "expired": "Ce formulaire de commentaire date de plus d'une journée, nous "
        "n'avons donc pas pu recevoir votre commentaire. Votre réponse Oui ou Non "
        "compte toujours.",
        "choose": "Choisissez Oui ou Non.",
        "expired_csrf": "Votre formulaire a expiré, nous n'avons donc pas pu le "
        "recevoir. Veuillez revenir en arrière et réessayer.",
    },
}
LANGUAGES = ["en", "fr"]


def public_paths() -> list[tuple[str, str, str]]:
    """Every published item's own page (no anchors), as (path, language, reference)."""
    return [
        (url, code, ref)
        for ref, urls in all_urls().items()
        for code, url in urls.items()
        if "#" not in url
    ]


def send(client, page: str, helpful: str = "yes", **extra):
    """Click Yes or No on a page, as a browser on that page posts it: to the answer
    URL in the page's language (or ``language``), from this site unless ``extra``
    says otherwise."""
    language = extra.pop("language", None) or page.split("/")[1]
    return client.post(
        ANSWER_URL[language],
        {"page": page, "helpful": helpful},
        **{**FROM_HERE, **extra},
    )


def comment(client, step, text: str, **extra):
    """Send a comment from the comment step a click answered (its form's fields)."""
    form = parse(step).find(data_testid="feedback-form")
    data = {
        field.get("name"): field.get("value")
        for field in form.find_all("input", type="hidden")
    }
    return client.post(
        form.get("action"), {**data, "comment": text}, **{**FROM_HERE, **extra}
    )


def stored() -> list[tuple]:
    return list(
        Feedback.objects.order_by("pk").values_list(
            "page", "ref", "language", "helpful", "comment"
        )
    )


def cache_keys() -> list[str]:
    """Every key in the cache: local memory (the default) or Redis (CI)."""
    store = getattr(cache, "_cache", None)
    if isinstance(store, dict):
        return [str(key) for key in store]
    from django_redis import get_redis_connection

    return [key.decode() for key in get_redis_connection("default").keys("*")]


def textarea(html: str) -> str:
    """What the comment box holds (a browser drops one line break after the tag)."""
    text = parse(html).find("textarea").raw_text
    return text.removeprefix("\n")


def fresh() -> Client:
    """A browser that has never been here: no cookie, and CSRF checked as in life."""
    return Client(enforce_csrf_checks=True)


class TestTheQuestionOnEveryPage:
    def test_every_kind_of_public_page_asks_in_its_language(self, client):
        paths = public_paths()
        kinds = {ref.split(":")[0] for _path, _code, ref in paths}
        assert kinds == {"page", "treatment", "risk-factor"}
        assert {code for _p, code, _r in paths} == set(LANGUAGES)
        assert len(paths) >= 2 * 17
        for path, language, _ref in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            widget = parse(response).find(data_testid="feedback")
            words = WORDS[language]
            form = widget.find("form")
            assert form.get("action") == ANSWER_URL[language], path
            assert form.get("method") == "post"
            page = form.find("input", type="hidden", name="page")
            assert page.get("value") == path
            # Nothing per visitor in it: no token, one hidden field.
            assert [i.get("name") for i in form.find_all("input")] == ["page"]
            text = page_text(response)
            assert words["question"] in text, path
            for answer in ("yes", "no"):
                button = form.find("button", name="helpful", value=answer)
                assert button.text == words[answer], path
                assert button.get("type") == "submit"

    @pytest.mark.parametrize(
        ("language", "path"), [("en", "/en/search/"), ("fr", "/fr/recherche/")]
    )
    def test_the_search_page_asks_too_and_is_answered_about_without_an_item(
        self, client, language, path
    ):
        response = client.get(path, {"q": "chimio" if language == "fr" else "chemo"})
        assert response.status_code == 200
        widget = parse(response).find(data_testid="feedback")
        assert widget.find("input", type="hidden", name="page").get("value") == path
        assert WORDS[language]["question"] in page_text(response)
        assert send(fresh(), path, "yes").status_code == 200
        assert stored() == [(path, "", language, True, "")]

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_explainer_asks_too_and_is_answered_about_without_an_item(
        self, client, language
    ):
        page = explainer_url(
            GuidePage.objects.get(key="response-to-treatment"), language
        )
        widget = parse(client.get(page)).find(data_testid="feedback")
        assert widget.find("input", name="page").get("value") == page
        assert send(fresh(), page, "no").status_code == 200
        assert stored() == [(page, "", language, False, "")]

    def test_the_page_stays_cacheable_and_the_same_for_everyone(self, client):
        for path in SURGERY.values():
            first = client.get(path)
            again = client.get(path, HTTP_COOKIE="csrftoken=someone; sessionid=x")
            for response in (first, again):
                directives = set(response.headers["Cache-Control"].split(", "))
                assert directives == {"public", "max-age=0", "must-revalidate",
                                      "s-maxage=5"}  # fmt: skip
                assert not response.cookies
                assert "Set-Cookie" not in response.headers
                assert "csrfmiddlewaretoken" not in response.content.decode()
                assert "Cookie" not in response.headers.get("Vary", "")
            assert first.content == again.content

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_after_a_click_the_page_is_still_the_same_for_everyone(self, language):
        browser = fresh()
        before = browser.get(SURGERY[language])
        assert send(browser, SURGERY[language], "no").status_code == 200
        assert "feedback" in browser.cookies  # (the test client sends it everywhere)
        after = browser.get(SURGERY[language])
        assert after.content == before.content
        assert not after.cookies
        assert "public" in after.headers["Cache-Control"]

    def test_not_on_the_404_page_nor_on_staff_previews(self, client, admin_client):
        for code in LANGUAGES:
            missing = client.get(f"/{code}/no-such-page/")
            assert missing.status_code == 404
            assert not parse(missing).has(data_testid="feedback")
        preview = admin_client.get("/en/preview/treatment/surgery/")
        assert preview.status_code == 200
        assert parse(preview).has(data_testid="preview-banner")
        assert not parse(preview).has(data_testid="feedback")


class TestTheFirstClickCounts:
    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("answer", ["yes", "no"])
    def test_a_click_with_no_session_or_cookie_is_stored_at_once(
        self, language, answer
    ):
        browser = fresh()
        page = SURGERY[language]
        response = send(browser, page, answer)
        assert response.status_code == 200
        assert stored() == [(page, "treatment:surgery", language, answer == "yes", "")]
        # The reply is the optional comment step, in the page's language.
        html = response.content.decode()
        words = WORDS[language]
        assert page_language(html) == language
        assert parse(html).find("h1").text == words["saved"]
        form = parse(html).find(data_testid="feedback-form")
        assert form.get("method") == "post"
        assert form.get("action") == FEEDBACK_URL[language]
        assert form.find(data_testid="feedback-answer").text == words[f"your_{answer}"]
        label = form.find("label", for_="feedback-comment")
        assert label.text == words[f"optional_{answer}"]
        assert label.text.startswith({"en": "Optional:", "fr": "Facultatif"}[language])
        assert form.find("textarea", id="feedback-comment").get("maxlength") == "1000"
        text = visible_text(response)
        for key in ("hint", "no_need", "send"):
            assert words[key] in text, key
        assert (words["back"], page) in parse(html).find("main").links()
        assert "csrfmiddlewaretoken" not in html
        assert not parse(html).has(data_testid="feedback")  # no question about it
        # Never shared, never indexed.
        control = response.headers["Cache-Control"]
        assert "private" in control and "no-store" in control
        assert "public" not in control
        assert response.headers["X-Robots-Tag"] == "noindex"

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_one_cookie_it_sets_is_narrow_and_holds_nothing_personal(
        self, settings, language
    ):
        response = send(fresh(), SURGERY[language], "no", REMOTE_ADDR="203.0.113.77")
        assert set(response.cookies) == {"feedback"}
        cookie = response.cookies["feedback"]
        assert cookie["path"] == ANSWER_URL[language]
        assert cookie["samesite"] == "Strict"
        assert cookie["httponly"]
        assert cookie["max-age"] == settings.FEEDBACK_RETENTION_DAYS * 24 * 60 * 60
        answer = Feedback.objects.get()
        # The answer's number, signed, nothing else.
        assert cookie.value.split(":")[0] == str(answer.pk)
        request = RequestFactory().get("/", HTTP_COOKIE=f"feedback={cookie.value}")
        assert feedback_votes.remembered(request) == [answer.pk]
        assert "203.0.113" not in cookie.value and "surgery" not in cookie.value

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_second_click_from_the_same_browser_changes_the_answer(self, language):
        browser, page = fresh(), SURGERY[language]
        send(browser, page, "yes")
        send(browser, page, "yes")
        assert Feedback.objects.get().helpful is True
        assert send(browser, page, "no").status_code == 200  # changed their mind
        assert stored() == [(page, "treatment:surgery", language, False, "")]
        # Another page is another answer; coming back to the first changes it again.
        other = {"en": "/en/glossary/", "fr": "/fr/glossaire/"}[language]
        send(browser, other, "yes")
        send(browser, page, "yes")
        assert sorted(Feedback.objects.values_list("page", "helpful")) == sorted(
            [(page, True), (other, True)]
        )
        # Another browser is another answer (from another address: five clicks a
        # client, in ten minutes).
        send(fresh(), page, "no", REMOTE_ADDR="10.0.0.2")
        assert Feedback.objects.filter(page=page).count() == 2

    def test_a_cookie_not_signed_here_names_no_answer(self):
        first = fresh()
        send(first, SURGERY["en"], "yes")
        theirs = Feedback.objects.get()
        browser = fresh()
        browser.cookies["feedback"] = str(theirs.pk)  # unsigned: ignored
        send(browser, SURGERY["en"], "no")
        theirs.refresh_from_db()
        assert theirs.helpful is True
        assert Feedback.objects.count() == 2

    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_ORIGIN": "https://evil.example"},
            {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
            {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "cross-site"},
            {"HTTP_SEC_FETCH_SITE": "cross-site"},
            {"HTTP_SEC_FETCH_SITE": "none", "HTTP_ORIGIN": "http://testserver"},
            {"HTTP_REFERER": "https://evil.example/en/treatments/surgery/"},
            {"HTTP_ORIGIN": "null"},
            {"HTTP_ORIGIN": "http://testserver.evil.example"},
            {"HTTP_ORIGIN": "https://testserver"},  # another scheme: another origin
            {},  # no Origin, Referer nor Sec-Fetch-Site: not a browser on our page
        ],
    )  # fmt: skip
    def test_a_post_from_another_site_is_refused_and_stores_nothing(
        self, language, headers
    ):
        browser = fresh()
        response = browser.post(
            ANSWER_URL[language],
            {"page": SURGERY[language], "helpful": "no"},
            **headers,
        )
        assert response.status_code == 403
        assert page_language(response) == language
        assert WORDS[language]["refused"] in visible_text(response).replace("’", "'")
        assert not response.cookies
        assert not Feedback.objects.exists()

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_REFERER": "http://testserver/en/treatments/surgery/"},
            {"HTTP_ORIGIN": "http://testserver"},  # an older browser
            {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-site"},
        ],
    )
    def test_a_post_from_this_site_is_taken_without_every_header(self, headers):
        response = fresh().post(
            ANSWER_URL["en"], {"page": SURGERY["en"], "helpful": "no"}, **headers
        )
        assert response.status_code == 200
        assert Feedback.objects.count() == 1

    def test_an_origin_the_settings_trust_is_taken(self, settings):
        settings.CSRF_TRUSTED_ORIGINS = ["https://guide.example.org"]
        origin = {"HTTP_ORIGIN": "https://guide.example.org"}
        assert send(fresh(), SURGERY["en"], **origin).status_code == 200
        assert Feedback.objects.count() == 1

    @pytest.mark.parametrize(
        "page",
        ["", "/admin/", "/en/preview/treatment/surgery/", "/en/feedback/",
         "/fr/commentaires/", "/en/feedback/answer/",
         "/en/treatments/no-such-treatment/", "//evil.example/en/",
         "https://evil.example/en/", "/de/", "/en/glossary/?q=1",
         "/en/treatments/surgery", "/fr/treatments/surgery/", "/en/guide/print/"],
    )  # fmt: skip
    def test_only_pages_of_the_guide_are_answered_about(self, client, page):
        for language in LANGUAGES:
            asked = client.get(FEEDBACK_URL[language], {"page": page, "helpful": "no"})
            sent = send(client, page, "no", language=language)
            for response in (asked, sent):
                assert response.status_code == 400, page
                assert WORDS[language]["not_a_page"] in page_text(response)
                assert not response.cookies
        assert not Feedback.objects.exists()

    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("helpful", ["maybe", "", "YES", "true"])
    def test_only_yes_or_no_is_taken(self, client, language, helpful):
        response = send(client, SURGERY[language], helpful)
        assert response.status_code == 400
        assert WORDS[language]["choose"] in visible_text(response)
        question = parse(response).find(data_testid="feedback-question")
        assert question.get("action") == ANSWER_URL[language]
        assert question.has("button", name="helpful", value="no")
        assert not response.cookies
        assert not Feedback.objects.exists()

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_get_shows_the_question_and_stores_nothing(self, client, language):
        """A link from an older copy of a page (which asked with a GET) still works."""
        page = SURGERY[language]
        for url in (FEEDBACK_URL[language], ANSWER_URL[language]):
            response = client.get(url, {"page": page, "helpful": "no"})
            assert response.status_code == 200
            html = parse(response)
            assert html.find("h1").text == WORDS[language]["question"]
            question = html.find(data_testid="feedback-question")
            assert question.get("method") == "post"
            assert question.get("action") == ANSWER_URL[language]
            assert question.find("input", name="page").get("value") == page
            assert (WORDS[language]["back"], page) in html.find("main").links()
            assert not response.cookies
            assert "no-store" in response.headers["Cache-Control"]
        assert not Feedback.objects.exists()


class TestTheOptionalComment:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_comment_is_added_to_the_answer_not_counted_again(self, language):
        browser, page = fresh(), SURGERY[language]
        step = send(browser, page, "no")
        response = comment(fresh(), step, "The words were\r\nhard to follow.")
        assert response.status_code == 303  # no cookie, session nor token needed
        assert stored() == [
            (page, "treatment:surgery", language, False,
             "The words were\nhard to follow.")
        ]  # fmt: skip
        thanks = browser.get(response.url)
        assert thanks.status_code == 200
        assert parse(thanks).find("h1").text == WORDS[language]["thanks"]
        assert (WORDS[language]["back"], page) in parse(thanks).find("main").links()
        assert thanks.headers["X-Robots-Tag"] == "noindex"
        assert not thanks.cookies

    def test_a_second_comment_replaces_the_first(self, client):
        step = send(client, "/en/risk-factors/age/", "yes")
        assert comment(client, step, "First.").status_code == 303
        assert comment(client, step, "Second.").status_code == 303
        assert stored() == [("/en/risk-factors/age/", "risk-factor:age", "en", True,
                             "Second.")]  # fmt: skip

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_an_empty_comment_says_so_and_the_answer_still_counts(
        self, client, language
    ):
        step = send(client, SURGERY[language], "no")
        response = comment(client, step, " \r\n ")
        assert response.status_code == 400
        html = response.content.decode()
        assert WORDS[language]["empty"] in visible_text(response)
        box = parse(html).find("textarea")
        assert box.get("aria-invalid") == "true"
        assert "feedback-comment-error" in box.tokens("aria-describedby")
        assert stored() == [(SURGERY[language], "treatment:surgery", language, False,
                             "")]  # fmt: skip

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_comment_over_1000_characters_is_refused_and_kept(self, client, language):
        text = "é" * 1001
        step = send(client, SURGERY[language], "yes")
        response = comment(client, step, text)
        assert response.status_code == 400
        assert WORDS[language]["too_long"] in page_text(response)
        html = response.content.decode()
        assert textarea(html) == text  # what they typed is still there
        assert parse(html).find("textarea").get("aria-invalid") == "true"
        # The same answer is still named: sending it shortened adds it there.
        assert comment(client, response, "é" * 1000).status_code == 303
        assert Feedback.objects.get().comment == "é" * 1000

    def test_1000_characters_fit_with_line_breaks_counted_once(self, client):
        text = "\r\n".join(["x" * 99] * 10) + "x"  # 1,000 as the browser counts
        assert len(text) == 1009
        step = send(client, SURGERY["en"], "yes")
        assert comment(client, step, text).status_code == 303
        assert len(Feedback.objects.get().comment) == 1000

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_an_old_or_altered_form_is_refused_and_the_answer_stands(
        self, client, language, monkeypatch
    ):
        real = signing.TimestampSigner.timestamp
        monkeypatch.setattr(  # a comment step served 25 hours ago
            signing.TimestampSigner,
            "timestamp",
            lambda self: signing.b62_encode(signing.b62_decode(real(self)) - 90_000),
        )
        old = send(client, SURGERY[language], "no")
        monkeypatch.undo()
        form = parse(old).find(data_testid="feedback-form")
        token = form.find("input", name="vote").get("value")
        pk = str(Feedback.objects.get().pk)
        assert token.startswith(pk + ":")
        other = str(
            Feedback.objects.create(page="/en/", language="en", helpful=True).pk
        )
        for response in (
            comment(client, old, "Too late."),
            client.post(  # someone else's answer, by changing the number
                FEEDBACK_URL[language],
                {"vote": other + token[len(pk) :], "page": SURGERY[language],
                 "comment": "Not mine."},
                **FROM_HERE,
            ),
            client.post(
                FEEDBACK_URL[language],
                {"page": SURGERY[language], "comment": "No token."},
                **FROM_HERE,
            ),
        ):  # fmt: skip
            assert response.status_code == 400
            text = visible_text(response).replace("’", "'")
            assert WORDS[language]["expired"] in text
            links = parse(response).find("main").links()
            assert (WORDS[language]["back"], SURGERY[language]) in links
        assert set(Feedback.objects.values_list("comment", flat=True)) == {""}

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_comment_from_another_site_is_refused(self, client, language):
        step = send(client, SURGERY[language], "no")
        response = comment(
            client,
            step,
            "Spam",
            HTTP_ORIGIN="https://evil.example",
            HTTP_SEC_FETCH_SITE="cross-site",
        )
        assert response.status_code == 403
        assert WORDS[language]["refused"] in visible_text(response).replace("’", "'")
        assert Feedback.objects.get().comment == ""

    def test_a_comment_needs_no_csrf_cookie_and_sets_none(self):
        step = send(fresh(), SURGERY["fr"], "no")
        response = comment(fresh(), step, "Merci.")
        assert response.status_code == 303
        assert not response.cookies
        assert Feedback.objects.get().comment == "Merci."


class TestTheAdminSignInStillChecksCsrf:
    def test_the_admin_sign_in_gets_the_expired_form_page(self):
        response = fresh().post("/admin/login/", {"username": "a", "password": "b"})
        assert response.status_code == 403
        assert WORDS["en"]["expired_csrf"] in page_text(response)
        again = parse(response).find(data_testid="form-expired").find("a")
        assert again.get("href") == "/admin/login/"


class TestRateLimit:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_sixth_click_in_ten_minutes_is_refused_politely(self, language):
        page = SURGERY[language]
        for _ in range(5):  # five browsers behind one address
            assert send(fresh(), page, REMOTE_ADDR="10.0.0.1").status_code == 200
        refused = send(fresh(), page, "no", REMOTE_ADDR="10.0.0.1")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 600
        assert WORDS[language]["limit"] in page_text(refused)
        assert page_language(refused) == language
        assert not refused.cookies
        assert Feedback.objects.count() == 5
        assert not Feedback.objects.filter(helpful=False).exists()
        # Another client is still welcome.
        assert send(fresh(), page, REMOTE_ADDR="10.0.0.2").status_code == 200
        assert Feedback.objects.count() == 6

    def test_a_changed_answer_is_a_click_too(self, client, settings):
        settings.FEEDBACK_RATE_LIMIT = 2
        assert send(client, SURGERY["en"], "yes").status_code == 200
        assert send(client, SURGERY["en"], "no").status_code == 200
        assert send(client, SURGERY["en"], "yes").status_code == 429
        assert stored() == [(SURGERY["en"], "treatment:surgery", "en", False, "")]

    def test_the_limit_and_window_come_from_settings(self, client, settings):
        settings.FEEDBACK_RATE_LIMIT = 2
        settings.FEEDBACK_RATE_WINDOW = 60
        for _ in range(2):
            assert send(fresh(), SURGERY["en"]).status_code == 200
        refused = send(fresh(), SURGERY["en"])
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60

    def test_refused_and_mistaken_posts_do_not_use_up_the_limit(self, settings):
        settings.FEEDBACK_RATE_LIMIT = 1
        for _ in range(3):
            assert send(fresh(), SURGERY["en"], "maybe").status_code == 400
            evil = {"HTTP_ORIGIN": "https://evil.example"}
            assert send(fresh(), SURGERY["en"], **evil).status_code == 403
        assert send(fresh(), SURGERY["en"]).status_code == 200

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_comments_are_limited_apart_from_answers(self, settings, language):
        settings.FEEDBACK_RATE_LIMIT = 1
        browser = fresh()
        step = send(browser, SURGERY[language], "no")
        assert comment(browser, step, "One.").status_code == 303  # not a second click
        refused = comment(browser, step, "Two.")
        assert refused.status_code == 429
        assert WORDS[language]["comment_limit"] in visible_text(refused)
        assert Feedback.objects.get().comment == "One."

    def test_behind_the_proxy_each_client_is_counted_apart(self, client, settings):
        settings.TRUSTED_PROXIES = ["10.0.0.9"]  # DJANGO_TRUSTED_PROXIES: the nginx
        settings.FEEDBACK_RATE_LIMIT = 1
        proxy = {"REMOTE_ADDR": "10.0.0.9"}
        first = {"HTTP_X_FORWARDED_FOR": "203.0.113.5", **proxy}  # nginx: $remote_addr
        second = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", **proxy}
        assert send(client, SURGERY["en"], **first).status_code == 200
        assert send(client, SURGERY["en"], **first).status_code == 429
        assert send(client, SURGERY["en"], **second).status_code == 200

    def test_the_address_is_stored_nowhere(self, client):
        send(client, SURGERY["en"], REMOTE_ADDR="203.0.113.77")
        fields = {f.name for f in Feedback._meta.get_fields()}
        assert fields == {"id", "page", "ref", "language", "helpful", "comment",
                          "created_at"}  # fmt: skip
        answer = Feedback.objects.values().get()
        assert "203.0.113.77" not in repr(answer)
        keys = cache_keys()
        assert any(":rate:feedback:" in key for key in keys)
        assert not any("203.0.113.77" in key for key in keys)


class TestNotContent:
    def test_an_answer_does_not_make_cached_pages_stale(
        self, client, django_capture_on_commit_callbacks, django_assert_num_queries
    ):
        client.get(SURGERY["en"])
        generation = cache.get(GENERATION_KEY)
        assert generation
        with django_capture_on_commit_callbacks(execute=True):
            step = send(client, SURGERY["en"], "no")
            comment(client, step, "Too long.")
            Feedback.objects.get().delete()
        assert cache.get(GENERATION_KEY) == generation
        with django_assert_num_queries(0):
            assert client.get(SURGERY["en"]).status_code == 200
        # Whereas a content change does.
        with django_capture_on_commit_callbacks(execute=True):
            Treatment.objects.get(key="surgery").save()
        assert cache.get(GENERATION_KEY) != generation

    def test_answers_are_not_content(self):
        assert Feedback not in content_models()
        assert not reversion.is_registered(Feedback)


def _answers() -> None:
    """Surgery: 2 Yes in English, 1 No in French with a comment; the glossary: 1 No."""
    for helpful, page, language, text in [
        (True, SURGERY["en"], "en", ""),
        (True, SURGERY["en"], "en", ""),
        (False, SURGERY["fr"], "fr", "<b>x</b><script>alert(1)</script>"),
        (False, "/en/glossary/", "en", ""),
    ]:
        ref = "treatment:surgery" if "glossary" not in page else "page:glossary"
        Feedback.objects.create(
            page=page, ref=ref, language=language, helpful=helpful, comment=text
        )


def tally_counts(response) -> dict[str, dict[str, str]]:
    rows = (
        parse(response)
        .find(data_testid="feedback-tallies")
        .find_all("tr", data_page=True)
    )
    return {
        row.get("data-page"): {
            cell.get("data-count"): cell.text for cell in row.find_all(data_count=True)
        }
        for row in rows
    }


class TestAdmin:
    def test_comments_are_shown_as_plain_text(self, admin_client):
        _answers()
        html = admin_client.get("/admin/neuroinfo/feedback/").content.decode()
        assert "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>x</b>" not in html and "<script>alert" not in html
        answer = Feedback.objects.exclude(comment="").get()
        detail = admin_client.get(f"/admin/neuroinfo/feedback/{answer.pk}/change/")
        assert detail.status_code == 200
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail.content.decode()
        assert "<script>alert" not in detail.content.decode()

    def test_answers_are_read_and_deleted_never_added_or_changed(self, admin_client):
        _answers()
        answer = Feedback.objects.exclude(comment="").get()
        base = "/admin/neuroinfo/feedback/"
        assert admin_client.get(f"{base}add/").status_code == 403
        response = admin_client.post(
            f"{base}{answer.pk}/change/", {"comment": "edited", "helpful": "on"}
        )
        assert response.status_code == 403
        answer.refresh_from_db()
        assert answer.comment.startswith("<b>x</b>")
        admin_client.post(f"{base}{answer.pk}/delete/", {"post": "yes"})
        assert not Feedback.objects.filter(pk=answer.pk).exists()

    def test_filters_by_answer_language_and_page(self, admin_client):
        _answers()
        base = "/admin/neuroinfo/feedback/"
        filters = parse(admin_client.get(base)).find(id="changelist-filter").links()
        hrefs = [href for _text, href in filters]
        assert "?helpful__exact=0" in hrefs and "?language__exact=fr" in hrefs
        assert ("Surgery", "?about=treatment%3Asurgery") in filters
        assert "4 feedback answers" in visible_text(admin_client.get(base))
        for query, count in [
            ("?about=treatment%3Asurgery", 3),
            ("?about=page%3Aglossary", 1),
            ("?helpful__exact=0", 2),
            ("?language__exact=fr", 1),
            ("?about=treatment%3Asurgery&with_comment=yes", 1),
        ]:
            response = admin_client.get(base + query)
            assert response.status_code == 200, query
            assert response.context["cl"].result_count == count, query

    def test_tallies_per_page(self, admin_client):
        _answers()
        response = admin_client.get("/admin/feedback-tallies/")
        assert response.status_code == 200
        table = parse(response).find(data_testid="feedback-tallies")
        rows = table.find_all("tr", data_page=True)
        # Most "No" first; on a tie, the least helpful.
        pages = [row.get("data-page") for row in rows]
        assert pages == ["page:glossary", "treatment:surgery"]
        counts = tally_counts(response)
        assert counts["treatment:surgery"] == {
            "yes": "2",
            "no": "1",
            "percent": "67%",
            "comments": "1",
        }
        assert counts["page:glossary"] == {
            "yes": "0",
            "no": "1",
            "percent": "0%",
            "comments": "0",
        }
        assert (
            "Surgery",
            "/admin/neuroinfo/feedback/?about=treatment%3Asurgery",
        ) in rows[1].links()

    def test_tallies_count_first_clicks_in_both_languages(self, admin_client):
        """Clicks with no comment count; a changed mind counts once, as its last
        answer; a comment adds no answer."""
        english, french, undecided = fresh(), fresh(), fresh()
        send(english, SURGERY["en"], "yes")
        send(french, SURGERY["fr"], "no")
        send(undecided, SURGERY["fr"], "yes")
        send(undecided, SURGERY["fr"], "no")
        comment(french, send(french, "/fr/glossaire/", "no"), "Trop court.")
        counts = tally_counts(admin_client.get("/admin/feedback-tallies/"))
        assert counts == {
            "treatment:surgery": {
                "yes": "1", "no": "2", "percent": "33%", "comments": "0"
            },
            "page:glossary": {"yes": "0", "no": "1", "percent": "0%", "comments": "1"},
        }  # fmt: skip
        french_tallies = admin_client.get(
            "/admin/feedback-tallies/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9"
        )
        assert "Chaque Oui ou Non compte dès qu'on clique dessus" in visible_text(
            french_tallies
        ).replace("’", "'")
        assert tally_counts(french_tallies)["treatment:surgery"]["no"] == "2"

    def test_tallies_and_labels_in_french(self, admin_client):
        _answers()
        french = {"HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9"}
        response = admin_client.get("/admin/feedback-tallies/", **french)
        text = page_text(response)
        assert "Cette page vous a-t-elle été utile? Réponses par page" in text
        table = parse(response).find(data_testid="feedback-tallies")
        assert table.has("a", text="Chirurgie")
        assert "67 %" in text
        listing = admin_client.get("/admin/neuroinfo/feedback/", **french)
        page = parse(listing)
        assert "4 avis" in visible_text(listing)
        headers = [
            th.text for th in page.find("table", id="result_list").find_all("th")
        ]
        for label in ("Utile", "Langue", "Commentaire"):
            assert label in headers, label
        filters = page.find(id="changelist-filter")
        assert filters.has("a", text="Avec un commentaire")
        assert filters.has("a", text="Chirurgie")

    def test_only_staff_allowed_to_read_answers_see_the_tallies(self, client):
        _answers()
        for role, allowed in [
            ("Editor", True),
            ("Medical reviewer", True),
            ("Translator", False),
            (None, False),
        ]:
            client.force_login(staff_user((role or "staff").replace(" ", "-"), role))
            tallies = client.get("/admin/feedback-tallies/")
            listing = client.get("/admin/neuroinfo/feedback/")
            index = parse(client.get("/admin/"))
            expected = 200 if allowed else 403
            assert tallies.status_code == expected, role
            assert listing.status_code == expected, role
            assert index.has(data_testid="feedback-tallies-link") == allowed, role
        client.logout()
        response = client.get("/admin/feedback-tallies/")
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")

    def test_editors_may_remove_spam(self, client):
        _answers()
        client.force_login(staff_user("editor", "Editor"))
        spam = Feedback.objects.exclude(comment="").get()
        response = client.post(
            f"/admin/neuroinfo/feedback/{spam.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 302
        assert not Feedback.objects.filter(pk=spam.pk).exists()
        assert Feedback.objects.count() == 3
