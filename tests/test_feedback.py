""" "Was this page helpful?": on every public page, in both languages, without making
the page uncacheable; two steps (ask, then send with a CSRF token); limited per
client; stored with page and language; tallied and read as plain text in the admin."""

import re

import pytest
import reversion
from django.core.cache import cache
from django.test import Client

from neuroinfo.generation import GENERATION_KEY
from neuroinfo.links import all_urls, content_models
from neuroinfo.models import Feedback, Treatment
from tests.dom import parse
from tests.helpers import page_language, page_text, staff_user, visible_text

pytestmark = pytest.mark.django_db

FEEDBACK_URL = {"en": "/en/feedback/", "fr": "/fr/commentaires/"}
SURGERY = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}
WORDS = {
    "en": {
        "question": "Was this page helpful?",
        "yes": "Yes",
        "no": "No",
        "more": "Thank you. Tell us more (optional)",
        "hint": "Please do not include names or health details: we cannot reply.",
        "send": "Send",
        "thanks": "Thank you for your answer",
        "back": "Go back to the page you were reading",
        "too_long": "Your comment has 1,001 characters. Please shorten it to 1,000 "
        "characters or fewer.",
        "limit": "You have sent several answers in a short time. Please try again "
        "in a few minutes.",
        "not_a_page": "Your answer is not about a page of this guide",
        "expired": "Your form expired, so we could not take it. Please go back and "
        "try again.",
    },
    "fr": {
        "question": "Cette page vous a-t-elle été utile?",
        "yes": "Oui",
        "no": "Non",
        "more": "Merci. Dites-nous-en plus (facultatif)",
        "hint": "Veuillez ne pas inscrire de noms ni de renseignements sur la santé : "
        "nous ne pouvons pas répondre.",
        "send": "Envoyer",
        "thanks": "Merci de votre réponse",
        "back": "Retourner à la page que vous lisiez",
        "too_long": "Votre commentaire compte 1 001 caractères. Veuillez le "
        "raccourcir à 1 000 caractères ou moins.",
        "limit": "Vous avez envoyé plusieurs réponses en peu de temps. Veuillez "
        "réessayer dans quelques minutes.",
        "not_a_page": "Votre réponse ne porte pas sur une page de ce guide",
        "expired": "Votre formulaire a expiré, nous n'avons donc pas pu le recevoir. "
        "Veuillez revenir en arrière et réessayer.",
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


def send(client, page: str, helpful: str = "yes", comment: str = "", **extra):
    """Post an answer to the feedback URL in the page's language (or ``language``)."""
    language = extra.pop("language", None) or page.split("/")[1]
    return client.post(
        FEEDBACK_URL[language],
        {"page": page, "helpful": helpful, "comment": comment},
        **extra,
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
            assert form.get("action") == FEEDBACK_URL[language], path
            assert form.get("method") == "get"
            page = form.find("input", type="hidden", name="page")
            assert page.get("value") == path
            text = page_text(response)
            assert words["question"] in text, path
            for answer in ("yes", "no"):
                button = form.find("button", name="helpful", value=answer)
                assert button.text == words[answer], path

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
        assert send(client, path, "yes").status_code == 303
        answer = Feedback.objects.get()
        assert (answer.page, answer.ref, answer.language) == (path, "", language)

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

    def test_not_on_the_404_page_nor_on_staff_previews(self, client, admin_client):
        for code in LANGUAGES:
            missing = client.get(f"/{code}/no-such-page/")
            assert missing.status_code == 404
            assert not parse(missing).has(data_testid="feedback")
        preview = admin_client.get("/en/preview/treatment/surgery/")
        assert preview.status_code == 200
        assert parse(preview).has(data_testid="preview-banner")
        assert not parse(preview).has(data_testid="feedback")


class TestTellUsMore:
    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("answer", ["yes", "no"])
    def test_the_form_carries_the_token_and_the_choice(self, client, language, answer):
        page = SURGERY[language]
        response = client.get(FEEDBACK_URL[language], {"page": page, "helpful": answer})
        assert response.status_code == 200
        html = response.content.decode()
        words = WORDS[language]
        assert page_language(html) == language
        form = parse(html).find(data_testid="feedback-form")
        assert form.get("method") == "post"
        assert form.has("input", type="hidden", name="csrfmiddlewaretoken")
        assert form.find(name="page").get("value") == page
        radios = form.find_all("input", type="radio")
        assert len(radios) == 2
        for radio in radios:
            assert (radio.get("checked") is not None) == (radio.get("value") == answer)
        assert form.find("textarea").get("maxlength") == "1000"
        text = page_text(response)
        for key in ("more", "question", "hint", "send"):
            assert words[key] in text, key
        # Never shared, never indexed; the page of the step is not in the page cache.
        control = response.headers["Cache-Control"]
        assert "private" in control and "no-store" in control
        assert "public" not in control
        assert response.headers["X-Robots-Tag"] == "noindex"
        assert parse(html).find("meta", name="robots").get("content") == "noindex"
        # No question about the question.
        assert not parse(html).has(data_testid="feedback")

    def test_without_a_choice_nothing_is_preselected(self, client):
        html = client.get(FEEDBACK_URL["en"], {"page": SURGERY["en"]}).content.decode()
        form = parse(html).find(data_testid="feedback-form")
        assert not form.has(checked=True)

    @pytest.mark.parametrize(
        "page",
        ["", "/admin/", "/en/preview/treatment/surgery/", "/en/feedback/",
         "/fr/commentaires/", "/en/treatments/no-such-treatment/",
         "//evil.example/en/", "https://evil.example/en/", "/de/", "/en/glossary/?q=1",
         "/en/treatments/surgery", "/fr/treatments/surgery/", "/en/guide/print/"],
    )  # fmt: skip
    def test_only_pages_of_the_guide_are_answered_about(self, client, page):
        for language in LANGUAGES:
            asked = client.get(FEEDBACK_URL[language], {"page": page, "helpful": "no"})
            sent = send(client, page, "no", language=language)
            for response in (asked, sent):
                assert response.status_code == 400, page
                assert WORDS[language]["not_a_page"] in page_text(response)
                assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not Feedback.objects.exists()


class TestSending:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_an_answer_is_stored_with_page_reference_and_language(
        self, client, language
    ):
        page = SURGERY[language]
        response = send(client, page, "no", "The words were\r\nhard to follow.")
        assert response.status_code == 303
        answer = Feedback.objects.get()
        assert answer.page == page
        assert answer.ref == "treatment:surgery"
        assert answer.language == language
        assert answer.helpful is False
        assert answer.comment == "The words were\nhard to follow."
        thanks = client.get(response.url)
        assert thanks.status_code == 200
        text = page_text(thanks)
        assert WORDS[language]["thanks"] in text
        assert (WORDS[language]["back"], page) in parse(thanks).find("main").links()
        assert thanks.headers["X-Robots-Tag"] == "noindex"

    def test_both_languages_of_a_page_share_its_reference(self, client):
        send(client, "/en/", "yes")
        send(client, "/fr/", "no")
        send(client, "/fr/glossaire/", "yes")
        refs = list(Feedback.objects.order_by("pk").values_list("ref", "language"))
        assert refs == [
            ("page:introduction", "en"),
            ("page:introduction", "fr"),
            ("page:glossary", "fr"),
        ]

    def test_a_comment_is_optional(self, client):
        assert send(client, "/en/risk-factors/age/", "yes").status_code == 303
        answer = Feedback.objects.get()
        assert (answer.ref, answer.helpful, answer.comment) == (
            "risk-factor:age",
            True,
            "",
        )

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_comment_over_1000_characters_is_refused_and_kept(self, client, language):
        comment = "é" * 1001
        response = send(client, SURGERY[language], "yes", comment)
        assert response.status_code == 400
        assert WORDS[language]["too_long"] in page_text(response)
        html = response.content.decode()
        assert textarea(html) == comment  # what they typed is still there
        assert parse(html).find("textarea").get("aria-invalid") == "true"
        assert parse(html).has("input", name="csrfmiddlewaretoken")
        assert not Feedback.objects.exists()

    def test_1000_characters_fit_with_line_breaks_counted_once(self, client):
        comment = "\r\n".join(["x" * 99] * 10) + "x"  # 1,000 as the browser counts
        assert len(comment) == 1009
        assert send(client, SURGERY["en"], "yes", comment).status_code == 303
        assert len(Feedback.objects.get().comment) == 1000

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_missing_choice_is_asked_for_again(self, client, language):
        response = client.post(
            FEEDBACK_URL[language], {"page": SURGERY[language], "comment": "Hello"}
        )
        assert response.status_code == 400
        message = {"en": "Choose Yes or No.", "fr": "Choisissez Oui ou Non."}
        assert message[language] in page_text(response)
        assert textarea(response.content.decode()) == "Hello"
        assert not Feedback.objects.exists()

    def test_the_thanks_page_links_only_to_pages_of_the_guide(self, client):
        response = client.get(
            FEEDBACK_URL["en"], {"sent": "1", "page": "//evil.example/"}
        )
        assert response.status_code == 200
        assert "evil" not in response.content.decode()
        assert (WORDS["en"]["back"], "/en/") in parse(response).find("main").links()


class TestCsrf:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_post_without_the_token_is_refused_politely(self, language):
        client = Client(enforce_csrf_checks=True)
        page = SURGERY[language]
        response = send(client, page, "yes", "Hi")
        assert response.status_code == 403
        html = response.content.decode()
        assert page_language(html) == language
        assert WORDS[language]["expired"] in page_text(response)
        # A link to a fresh form for the same page and answer.
        again = parse(html).find(data_testid="form-expired").find("a").get("href")
        assert again.startswith(FEEDBACK_URL[language] + "?")
        assert "helpful=yes" in again
        assert not Feedback.objects.exists()

    def test_the_two_steps_work_with_the_token(self):
        client = Client(enforce_csrf_checks=True)
        asked = client.get(FEEDBACK_URL["fr"], {"page": SURGERY["fr"], "helpful": "no"})
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', asked.content.decode()
        ).group(1)
        response = client.post(
            FEEDBACK_URL["fr"],
            {"csrfmiddlewaretoken": token, "page": SURGERY["fr"], "helpful": "no"},
        )
        assert response.status_code == 303
        assert Feedback.objects.get().language == "fr"

    def test_the_admin_sign_in_gets_the_same_page(self):
        response = Client(enforce_csrf_checks=True).post(
            "/admin/login/", {"username": "a", "password": "b"}
        )
        assert response.status_code == 403
        assert WORDS["en"]["expired"] in page_text(response)


class TestRateLimit:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_sixth_answer_in_ten_minutes_is_refused_politely(self, client, language):
        page = SURGERY[language]
        for _ in range(5):
            assert send(client, page, REMOTE_ADDR="10.0.0.1").status_code == 303
        refused = send(client, page, "no", "spam", REMOTE_ADDR="10.0.0.1")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 600
        assert WORDS[language]["limit"] in page_text(refused)
        assert page_language(refused) == language
        assert Feedback.objects.count() == 5
        assert not Feedback.objects.filter(comment="spam").exists()
        # Another client is still welcome.
        assert send(client, page, REMOTE_ADDR="10.0.0.2").status_code == 303
        assert Feedback.objects.count() == 6

    def test_the_limit_and_window_come_from_settings(self, client, settings):
        settings.FEEDBACK_RATE_LIMIT = 2
        settings.FEEDBACK_RATE_WINDOW = 60
        for _ in range(2):
            assert send(client, SURGERY["en"]).status_code == 303
        refused = send(client, SURGERY["en"])
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60

    def test_forms_with_mistakes_do_not_use_up_the_limit(self, client, settings):
        settings.FEEDBACK_RATE_LIMIT = 1
        for _ in range(3):
            assert send(client, SURGERY["en"], "yes", "x" * 1001).status_code == 400
        assert send(client, SURGERY["en"]).status_code == 303

    def test_behind_the_proxy_each_client_is_counted_apart(self, client, settings):
        settings.TRUSTED_PROXIES = ["10.0.0.9"]  # DJANGO_TRUSTED_PROXIES: the nginx
        settings.FEEDBACK_RATE_LIMIT = 1
        proxy = {"REMOTE_ADDR": "10.0.0.9"}
        first = {"HTTP_X_FORWARDED_FOR": "203.0.113.5", **proxy}  # nginx: $remote_addr
        second = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", **proxy}
        assert send(client, SURGERY["en"], **first).status_code == 303
        assert send(client, SURGERY["en"], **first).status_code == 429
        assert send(client, SURGERY["en"], **second).status_code == 303

    def test_the_address_is_stored_nowhere(self, client):
        send(client, SURGERY["en"], REMOTE_ADDR="203.0.113.77")
        fields = {f.name for f in Feedback._meta.get_fields()}
        assert fields == {"id", "page", "ref", "language", "helpful", "comment",
                          "created_at"}  # fmt: skip
        stored = Feedback.objects.values().get()
        assert "203.0.113.77" not in repr(stored)
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
            send(client, SURGERY["en"], "no", "Too long.")
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
    for helpful, page, language, comment in [
        (True, SURGERY["en"], "en", ""),
        (True, SURGERY["en"], "en", ""),
        (False, SURGERY["fr"], "fr", "<b>x</b><script>alert(1)</script>"),
        (False, "/en/glossary/", "en", ""),
    ]:
        ref = "treatment:surgery" if "glossary" not in page else "page:glossary"
        Feedback.objects.create(
            page=page, ref=ref, language=language, helpful=helpful, comment=comment
        )


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
        counts = {
            row.get("data-page"): {
                cell.get("data-count"): cell.text
                for cell in row.find_all(data_count=True)
            }
            for row in rows
        }
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
