"""Privacy: public pages set no cookie, the privacy page states the facts in both
languages (retention and contact from settings), and purge_feedback keeps its promise."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from neuroinfo.guide import sequence
from neuroinfo.links import item_url
from neuroinfo.models import Feedback, GuidePage
from tests.browser.helpers import all_public_urls
from tests.dom import parse
from tests.helpers import links, page_language, visible_text

pytestmark = pytest.mark.django_db

PRIVACY_URL = {"en": "/en/privacy/", "fr": "/fr/confidentialite/"}
CONTACT_FALLBACK = {
    "en": "ask your child’s healthcare team or the clinic",
    "fr": "posez-la à l’équipe de soins de votre enfant ou à la clinique",
}


def cookie_free_urls() -> list[str]:
    """Every public address that must set no cookie: the pages of the guide, search,
    the printable guide, the explainer, the feedback question and thanks, the 404
    page, the language redirect, and the sitemap and robots.txt where they exist. Only
    a click on Yes or No (a POST) sets one: the feedback cookie."""
    urls = [u.url for u in all_public_urls()]
    urls.append("/")
    for extra in ("/sitemap.xml", "/robots.txt"):
        try:
            resolve(extra)
        except Resolver404:
            continue
        urls.append(extra)
    return urls


def answer(client, language: str):
    """Click No on the privacy page, as a browser on it does."""
    with translation.override(language):
        url = reverse("neuroinfo:feedback_answer")
    return client.post(
        url,
        {"page": PRIVACY_URL[language], "helpful": "no"},
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )


class TestNoCookieOnPublicPages:
    def test_the_list_covers_every_kind_of_page_in_both_languages(self):
        urls = cookie_free_urls()
        for language in ("en", "fr"):
            assert PRIVACY_URL[language] in urls
            assert sum(u.startswith(f"/{language}/") for u in urls) > 20
        assert any("/explainer/" in u or "/explication/" in u for u in urls)
        assert any(u.endswith("/no-such-page/") for u in urls)

    def test_a_first_visit_gets_no_cookie_built_or_cached(self, client):
        for url in cookie_free_urls():
            for attempt in ("built", "cached"):
                response = client.get(url)
                assert response.status_code in (200, 301, 302, 404), url
                assert not response.cookies, f"{url} ({attempt}): {response.cookies}"
                assert "Set-Cookie" not in response.headers, url

    def test_a_visitor_holding_cookies_is_given_no_new_one(self, client):
        assert "feedback" in answer(client, "fr").cookies  # now the visitor holds one
        client.cookies["sessionid"] = "not-a-session"
        for url in cookie_free_urls():
            response = client.get(url)
            assert not response.cookies, f"{url}: {response.cookies}"

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_a_click_on_yes_or_no_sets_the_feedback_cookie_only(self, client, language):
        response = answer(client, language)
        assert response.status_code == 200
        assert set(response.cookies) == {"feedback"}  # no CSRF or session cookie
        assert response.cookies["feedback"]["httponly"]
        assert response.cookies["feedback"]["samesite"] == "Strict"
        assert "private" in response.headers["Cache-Control"]


class TestPrivacyPage:
    @pytest.mark.parametrize(
        ("language", "facts"),
        [
            (
                "en",
                [
                    "The pages of this guide do not set any cookies.",
                    "We do not use cookies to follow you.",
                    'your browser keeps one cookie, named "feedback"',
                    "It holds only the numbers of your answers",
                    "It is sent only when you answer.",
                    "the page you were reading",
                    "your answer (yes or no)",
                    "We do not keep your internet address (IP address) with your answer.",
                    "It does not write your internet address.",
                    "They are saved only in your own browser.",
                    "We delete each answer to “Was this page helpful?”, with its "
                    "comment, 2 years after it is sent.",
                ],
            ),
            (
                "fr",
                [
                    "Les pages de ce guide ne déposent aucun témoin.",
                    "Nous n'utilisons pas de témoins pour vous suivre.",
                    "votre navigateur garde un témoin, appelé « feedback »",
                    "Il contient seulement les numéros de vos réponses",
                    "Il est envoyé seulement quand vous répondez.",
                    "la page que vous lisiez;",
                    "votre réponse (oui ou non);",
                    "Nous ne gardons pas votre adresse Internet (adresse IP) avec "
                    "votre réponse.",
                    "Il n'écrit pas votre adresse Internet.",
                    "Elles sont enregistrées seulement dans votre propre navigateur.",
                    "Nous effaçons chaque réponse à « Cette page vous a-t-elle été "
                    "utile? », avec son commentaire, 2 ans après son envoi.",
                ],
            ),
        ],
    )
    def test_states_the_facts_in_each_language(self, client, language, facts):
        response = client.get(PRIVACY_URL[language])
        assert response.status_code == 200
        assert page_language(response) == language
        text = visible_text(response).replace("'", "'").replace("’", "'")
        for fact in facts:
            assert fact.replace("’", "'") in text, fact
        assert "csrftoken" not in text  # families are never given one
        assert not response.cookies

    @pytest.mark.parametrize(
        ("days", "language", "words"),
        [
            (365, "en", "1 year after"),
            (365, "fr", "1 an après"),
            (1095, "en", "3 years after"),
            (1095, "fr", "3 ans après"),
            (90, "en", "90 days after"),
            (90, "fr", "90 jours après"),
            (1, "en", "1 day after"),
            (1, "fr", "1 jour après"),
        ],
    )
    def test_the_retention_period_comes_from_the_setting(
        self, client, settings, days, language, words
    ):
        settings.FEEDBACK_RETENTION_DAYS = days
        page = parse(client.get(PRIVACY_URL[language]))
        section = page.find(data_testid="privacy-retention").text
        assert words in section
        assert "730" not in section and "2 years" not in section

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_without_a_contact_address_it_points_to_the_care_team(
        self, client, settings, language
    ):
        settings.NEUROINFO_PRIVACY_CONTACT = ""
        contact = parse(client.get(PRIVACY_URL[language])).find(
            data_testid="privacy-contact"
        )
        heading = {"en": "Contact", "fr": "Nous joindre"}[language]
        assert contact.find("h2").text == heading
        assert CONTACT_FALLBACK[language] in contact.text
        assert not any(href.startswith("mailto:") for _t, href in contact.links())

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_a_contact_address_is_shown_and_linked(self, client, settings, language):
        settings.NEUROINFO_PRIVACY_CONTACT = "vie-privee@clinique.example.org"
        contact = parse(client.get(PRIVACY_URL[language])).find(
            data_testid="privacy-contact"
        )
        assert (
            "vie-privee@clinique.example.org",
            "mailto:vie-privee@clinique.example.org",
        ) in contact.links()
        assert CONTACT_FALLBACK[language] not in contact.text

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_the_sections_from_settings_follow_the_body(self, client, language):
        """The contents list is the body's, as on every page; the two sections built
        from settings come after the body, before the page's footer."""
        page = parse(client.get(PRIVACY_URL[language]))
        body = page.find(class_="prose")
        first_section = body.find("h2", id=True).get("id")
        contents = page.find(data_testid="contents")
        assert contents.has("a", href=f"#{first_section}")  # the body's contents list
        assert not page.has("a", href="#retention-heading")
        retention = page.find("h2", id="retention-heading")
        assert body < retention and body not in retention.ancestors()
        assert retention < page.find("h2", id="contact-heading")

    def test_what_feedback_keeps_is_what_the_page_says(self):
        """The page lists what an answer holds; a new field must update the page."""
        fields = {f.name for f in Feedback._meta.get_fields()}
        assert fields == {
            "id",
            "page",
            "ref",
            "language",
            "helpful",
            "comment",
            "created_at",
        }

    def test_it_ends_the_guide_after_about(self, client):
        outline = sequence()
        assert [getattr(i, "key", "") for i in outline[-2:]] == ["about", "privacy"]
        about = GuidePage.objects.get(key="about")
        assert item_url(about, "fr") in links(client.get(PRIVACY_URL["fr"]))

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_the_twin_pages_link_each_other(self, client, language):
        other = "fr" if language == "en" else "en"
        assert PRIVACY_URL[other] in links(client.get(PRIVACY_URL[language]))


class TestFooterLink:
    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_every_page_links_the_privacy_page(self, client, language):
        name = {"en": "Privacy", "fr": "Confidentialité"}[language]
        checked = 0
        for public in all_public_urls():
            if public.language != language or public.status != 200:
                continue
            if public.label.startswith("feedback") or public.label == "printable guide":
                continue  # no about link there either (404 too): see the test below
            link = parse(client.get(public.url)).find(data_testid="privacy-link")
            assert link.get("href") == PRIVACY_URL[language], public.url
            assert link.text == name, public.url
            assert "site-footer" in {c for e in link.ancestors() for c in e.classes}
            checked += 1
        assert checked > 20

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_pages_without_the_about_link_degrade_the_same_way(self, client, language):
        """The 404 page and the feedback steps know neither page: their footer still
        renders, with neither link (the printable guide has no footer)."""
        for public in all_public_urls():
            if public.language != language or not (
                public.status == 404
                or public.label == "printable guide"
                or public.label.startswith("feedback")
            ):
                continue
            page = parse(client.get(public.url))
            if public.label != "printable guide":  # which has no footer at all
                assert page.has("footer", class_="site-footer"), public.url
            assert not page.has(data_testid="about-link"), public.url
            assert not page.has(data_testid="privacy-link"), public.url

    def test_without_a_published_privacy_page_the_footer_has_no_link(self, client):
        GuidePage.objects.filter(key="privacy").update(status="draft")
        page = parse(client.get("/en/"))
        assert not page.has(data_testid="privacy-link")
        assert page.has(data_testid="about-link")


class TestPurgeFeedback:
    def make(self, age_days: float) -> Feedback:
        answer = Feedback.objects.create(
            page="/en/", ref="page:introduction", language="en", helpful=True
        )
        Feedback.objects.filter(pk=answer.pk).update(
            created_at=timezone.now() - timedelta(days=age_days)
        )
        return answer

    def run(self, *args: str) -> str:
        out = StringIO()
        call_command("purge_feedback", *args, stdout=out)
        return out.getvalue()

    def test_deletes_only_answers_older_than_the_retention_period(self):
        assert settings.FEEDBACK_RETENTION_DAYS == 730
        old = [self.make(731), self.make(2000)]
        kept = [self.make(729), self.make(0)]
        output = self.run()
        assert "Deleted 2 feedback answers older than 730 days." in output
        remaining = set(Feedback.objects.values_list("pk", flat=True))
        assert remaining == {a.pk for a in kept}
        assert not remaining & {a.pk for a in old}

    def test_dry_run_counts_and_deletes_nothing(self):
        for age in (800, 900, 10):
            self.make(age)
        output = self.run("--dry-run")
        assert "Would delete 2 feedback answers older than 730 days." in output
        assert Feedback.objects.count() == 3

    def test_follows_the_setting(self, settings):
        settings.FEEDBACK_RETENTION_DAYS = 30
        self.make(31)
        self.make(29)
        assert "Deleted 1 feedback answers older than 30 days." in self.run()
        assert Feedback.objects.count() == 1

    def test_nothing_to_delete(self):
        self.make(1)
        assert "Deleted 0 feedback answers" in self.run()
        assert Feedback.objects.count() == 1

    def test_refuses_a_period_that_would_delete_everything(self, settings):
        settings.FEEDBACK_RETENTION_DAYS = 0
        self.make(0)
        with pytest.raises(CommandError, match="1 or more"):
            self.run()
        assert Feedback.objects.count() == 1

    def test_the_environment_variable_sets_the_period(self, monkeypatch):
        import importlib

        import neuroinfo.settings as module

        monkeypatch.setenv("NEUROINFO_FEEDBACK_RETENTION_DAYS", "90")
        monkeypatch.setenv("NEUROINFO_PRIVACY_CONTACT", " privacy@example.org ")
        monkeypatch.setenv("DJANGO_SECRET_KEY", "x")
        try:
            reloaded = importlib.reload(module)
            assert reloaded.FEEDBACK_RETENTION_DAYS == 90
            assert reloaded.NEUROINFO_PRIVACY_CONTACT == "privacy@example.org"
        finally:
            monkeypatch.delenv("NEUROINFO_FEEDBACK_RETENTION_DAYS")
            monkeypatch.delenv("NEUROINFO_PRIVACY_CONTACT")
            importlib.reload(module)


class TestSignInRetentionOnThePrivacyPage:
    """Staff sign-in records (addresses included) are kept for the period in settings,
    and the privacy page says so in each language, from that same setting."""

    @pytest.mark.parametrize(
        ("days", "language", "words"),
        [
            (30, "en", "30 days after"),
            (30, "fr", "30 jours après"),
            (7, "en", "7 days after"),
            (7, "fr", "7 jours après"),
            (365, "en", "1 year after"),
            (365, "fr", "1 an après"),
        ],
    )
    def test_the_period_comes_from_the_setting(
        self, client, settings, days, language, words
    ):
        settings.SIGNIN_RETENTION_DAYS = days
        page = parse(client.get(PRIVACY_URL[language]))
        section = page.find(data_testid="privacy-signin").text
        assert words in section, section
        assert f"{days} " not in section.replace(words, "")

    @pytest.mark.parametrize(
        ("language", "heading", "facts"),
        [
            (
                "en",
                "Staff sign-ins",
                ["guessing staff passwords", "the internet address",
                 "We delete each record 30 days after the last attempt it holds."],
            ),
            (
                "fr",
                "Connexions du personnel",
                ["devine les mots de passe du personnel", "l'adresse Internet",
                 "Nous effaçons chaque enregistrement 30 jours après la dernière "
                 "tentative qu'il contient."],
            ),
        ],
    )  # fmt: skip
    def test_states_what_is_kept_and_for_how_long(
        self, client, language, heading, facts
    ):
        page = parse(client.get(PRIVACY_URL[language]))
        section = page.find(data_testid="privacy-signin")
        assert section.find("h2").text == heading
        text = section.text.replace("’", "'")
        for fact in facts:
            assert fact in text, fact
        assert (
            page.find("h2", id="retention-heading")
            < page.find("h2", id="signin-heading")
            < page.find("h2", id="contact-heading")
        )
