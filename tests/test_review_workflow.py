"""Reviewing held changes: the diff page, deciding, who sees what, nothing slipping
through, emails at each step, the front page's to-do list and the review digest."""

import datetime
import io
import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertInHTML
from reversion.models import Version

from neuroinfo.links import content_models
from neuroinfo.models import (
    GlossaryTerm,
    PendingChange,
    ResponseCategory,
    ResponseCriterion,
    Treatment,
)
from tests.dom import parse
from tests.helpers import admin_save, region, signed_in, staff_user, visible_text
from tests.liveadmin import form_fields

pytestmark = pytest.mark.django_db

CHANGES = "/admin/neuroinfo/pendingchange/"
SITE = "https://guide.example.org"


def _user(name: str, role: str | None, **fields):
    return staff_user(name, role, named=True, **fields)


@pytest.fixture
def staff(settings):
    """Two editors, a translator, two reviewers (one without email, one inactive), a
    superuser; a client signed in for each who works."""
    settings.NEUROINFO_SITE_URL = SITE
    people = SimpleNamespace(
        editor=_user("alice", "Editor"),
        other_editor=_user("bob", "Editor"),
        translator=_user("tina", "Translator"),
        reviewer=_user("rita", "Medical reviewer"),
        silent_reviewer=_user("sam", "Medical reviewer", email=False),
        gone_reviewer=_user("gina", "Medical reviewer", is_active=False),
        boss=_user("root", None, is_superuser=True),
    )
    people.as_ = signed_in
    return people


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (emails) as a real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _change_url(item) -> str:
    return f"/admin/neuroinfo/{item._meta.model_name}/{item.pk}/change/"


def _review_url(change) -> str:
    return f"{CHANGES}{change.pk}/change/"


def _surgery() -> Treatment:
    return Treatment.objects.get(key="surgery")


def _hold(client, item, committed, **changes):
    with committed():
        response = admin_save(client, _change_url(item), **changes)
    assert response.status_code == 302, visible_text(response)[:2000]
    return PendingChange.for_item(item)


def _decide(client, change, committed, button: str, comment: str = ""):
    with committed():
        return client.post(_review_url(change), {button: "x", "comment": comment})


class TestHolding:
    def test_a_held_change_emails_every_active_publisher_with_an_address(
        self, staff, committed, mailoutbox
    ):
        change = _hold(
            staff.as_(staff.editor), _surgery(), committed, title_en="Surgery today"
        )
        assert change.state == "waiting" and change.author == staff.editor
        assert change.data == {"title_en": "Surgery today"}
        assert sorted(m.to[0] for m in mailoutbox) == [
            "rita@example.org",
            "root@example.org",
        ]
        for mail in mailoutbox:
            assert len(mail.to) == 1
            assert "Waiting for your review: Surgery" in mail.subject
            assert "En attente de votre révision : Chirurgie" in mail.subject
            assert "Alice Tester changed “Surgery”" in mail.body
            assert f"{SITE}/admin/neuroinfo/pendingchange/{change.pk}/change/" in (
                mail.body
            )

    def test_editing_a_change_already_waiting_does_not_email_again(
        self, staff, committed, mailoutbox
    ):
        editor = staff.as_(staff.editor)
        _hold(editor, _surgery(), committed, title_en="Surgery today")
        mailoutbox.clear()
        change = _hold(editor, _surgery(), committed, summary_en="A new summary.")
        assert change.data == {
            "title_en": "Surgery today",
            "summary_en": "A new summary.",
        }
        assert mailoutbox == []

    def test_the_author_edits_their_own_change_which_holds_exactly_what_differs(
        self, staff, committed
    ):
        editor = staff.as_(staff.editor)
        surgery = _surgery()
        _hold(editor, surgery, committed, title_en="Surgery (proposed)")
        page = editor.get(_change_url(surgery))
        assert form_fields(page.content.decode())["title_en"] == "Surgery (proposed)"
        assert "You are editing your change waiting for review" in visible_text(page)
        change = _hold(
            editor, surgery, committed, title_en="Surgery", summary_en="Shorter."
        )
        assert change.data == {"summary_en": "Shorter."}
        response = admin_save(
            editor, _change_url(surgery), summary_en=surgery.summary_en
        )
        assert PendingChange.objects.count() == 0  # withdrawn: nothing differs
        assert "your change was withdrawn" in visible_text(editor.get(response.url))
        surgery.refresh_from_db()
        assert (surgery.title_en, surgery.summary_en) == ("Surgery", surgery.summary_en)

    def test_a_translator_keeps_editing_their_change_to_a_criterion(
        self, staff, committed
    ):
        criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
        translator = staff.as_(staff.translator)
        first = criterion.statement_fr.replace("diminué", "bien diminué", 1)
        _hold(translator, criterion, committed, statement_fr=first)
        page = translator.get(_change_url(criterion))
        assert form_fields(page.content.decode())["statement_fr"] == first
        second = first.replace("bien diminué", "nettement diminué")
        change = _hold(translator, criterion, committed, statement_fr=second)
        assert change.data == {"statement_fr": second}
        assert PendingChange.objects.count() == 1
        criterion.refresh_from_db()
        assert "diminué" in criterion.statement_fr and "nettement" not in (
            criterion.statement_fr
        )

    @pytest.mark.parametrize(
        "language, refused",
        [
            ("en", "Nothing was saved: Alice Tester has a change to this item"),
            ("fr", "Rien n’a été enregistré : Alice Tester a un changement"),
        ],
    )
    def test_someone_else_is_refused_while_a_change_is_open(
        self, staff, committed, mailoutbox, language, refused
    ):
        surgery = _surgery()
        change = _hold(
            staff.as_(staff.editor), surgery, committed, title_en="Surgery (Alice)"
        )
        mailoutbox.clear()
        translator = staff.as_(staff.translator, language)
        page = translator.get(_change_url(surgery))
        assert _review_url(change) in page.content.decode()  # the banner's link
        assert "Alice Tester" in visible_text(page)
        with committed():
            response = admin_save(
                translator, _change_url(surgery), title_fr="Chirurgie (Tina)"
            )
        assert response.status_code == 200
        assert refused in visible_text(response)
        assert _review_url(change) in response.content.decode()
        surgery.refresh_from_db()
        assert surgery.title_fr == "Chirurgie"
        assert list(PendingChange.objects.values_list("data", flat=True)) == [
            {"title_en": "Surgery (Alice)"}
        ]
        assert mailoutbox == []


class TestNothingSlipsThrough:
    @pytest.mark.parametrize(
        "language, banner",
        [
            ("en", "A change by Alice Tester is waiting for review"),
            ("fr", "Un changement de Alice Tester est en attente de révision"),
        ],
    )
    def test_a_reviewer_sees_the_published_values_and_a_banner(
        self, staff, committed, language, banner
    ):
        surgery = _surgery()
        change = _hold(
            staff.as_(staff.editor), surgery, committed, title_en="Surgery (held)"
        )
        page = staff.as_(staff.reviewer, language).get(_change_url(surgery))
        assert form_fields(page.content.decode())["title_en"] == "Surgery"
        text = visible_text(page)
        assert banner in text
        assert "Surgery (held)" not in text
        assertInHTML(
            f'<a href="{_review_url(change)}">'
            + ("Review the change" if language == "en" else "Réviser le changement")
            + "</a>",
            page.content.decode(),
        )

    def test_a_reviewers_unrelated_save_leaves_the_held_change_waiting(
        self, staff, committed, client
    ):
        surgery = _surgery()
        change = _hold(
            staff.as_(staff.editor), surgery, committed, title_en="Surgery (held)"
        )
        response = admin_save(
            staff.as_(staff.reviewer), _change_url(surgery), summary_en="Fixed."
        )
        assert response.status_code == 302
        surgery.refresh_from_db()
        assert (surgery.title_en, surgery.summary_en) == ("Surgery", "Fixed.")
        change.refresh_from_db()
        assert change.state == "waiting"
        assert change.data == {"title_en": "Surgery (held)"}
        assert "Surgery (held)" not in visible_text(
            client.get("/en/treatments/surgery/")
        )

    def test_publish_selected_publishes_waiting_changes_but_not_sent_back_ones(
        self, staff, committed
    ):
        surgery = _surgery()
        chemo = Treatment.objects.get(key="chemotherapy")
        editor = staff.as_(staff.editor)
        _hold(editor, surgery, committed, title_en="Surgery (held)")
        sent = _hold(editor, chemo, committed, title_en="Chemo (held)")
        _decide(staff.as_(staff.reviewer), sent, committed, "_send_back", "Not yet.")
        staff.as_(staff.reviewer).post(
            "/admin/neuroinfo/treatment/",
            {"action": "publish_selected", "_selected_action": [surgery.pk, chemo.pk]},
        )
        assert _surgery().title_en == "Surgery (held)"
        assert Treatment.objects.get(key="chemotherapy").title_en == "Chemotherapy"
        sent.refresh_from_db()
        assert sent.state == "sent_back"


@pytest.fixture
def held_category(staff, committed):
    """An editor's change to a response category and a translator's to one of its
    criteria, both waiting."""
    category = ResponseCategory.objects.get(key="partial-response")
    criterion = category.criteria.get(key="pr-all-tumours")
    change = _hold(
        staff.as_(staff.editor), category, committed, title_en="Partial response (PR)"
    )
    old = criterion.statement_fr
    new = old.replace("diminué", "nettement diminué", 1)
    assert new != old
    row_change = _hold(
        staff.as_(staff.translator), criterion, committed, statement_fr=new
    )
    return SimpleNamespace(
        category=category,
        criterion=criterion,
        change=change,
        row_change=row_change,
        old_statement=old,
        new_statement=new,
    )


class TestReviewPage:
    @pytest.mark.parametrize(
        "language, labels",
        [
            ("en", ["Title (EN)", "Statement (FR)", "Waiting for review", "Before"]),
            ("fr", ["Titre (EN)", "Énoncé (FR)", "En attente de révision", "Avant"]),
        ],
    )
    def test_it_shows_every_changed_field_of_the_item_and_its_rows(
        self, staff, held_category, language, labels
    ):
        held = held_category
        response = staff.as_(staff.reviewer, language).get(_review_url(held.change))
        assert response.status_code == 200
        html = response.content.decode()
        text = visible_text(response)
        for label in labels:
            assert label in text
        assert "Alice Tester" in text and "Tina Tester" in text
        assertInHTML(
            '<td class="field-diffs__new">Partial response<ins> (PR)</ins></td>', html
        )
        assertInHTML('<td class="field-diffs__old">Partial response</td>', html)
        assert "<ins> nettement</ins> diminué" in html
        page = parse(html)
        assert len(page.find_all(data_testid="field-diffs")) == 2
        links = [href for _t, href in page.find(data_testid="review-links").links()]
        assert _change_url(held.category) in links
        for code in ("en", "fr"):
            assert f"/{code}/preview/response/partial-response/" in links
        # The live pages too, in both languages.
        assert any(href.startswith("/en/response-to-treatment/#") for href in links)
        assert any(href.startswith("/fr/reponse-au-traitement/#") for href in links)
        decision = page.find(data_testid="review-decision")
        assert decision.has("input", type="submit", name="_publish")
        assert decision.has("input", type="submit", name="_send_back")
        assert decision.has("input", name="csrfmiddlewaretoken")

    @pytest.mark.parametrize(
        "language, said",
        [
            ("en", "is published: families see the change now"),
            ("fr", "est publié : les familles voient maintenant le changement"),
        ],
    )
    def test_publishing_from_the_page_applies_every_waiting_change(
        self, staff, held_category, committed, mailoutbox, client, language, said
    ):
        held = held_category
        mailoutbox.clear()
        reviewer = staff.as_(staff.reviewer, language)
        response = _decide(
            reviewer, held.change, committed, "_publish", "Checked against sources."
        )
        assert response.status_code == 302
        assert response.url == f"{CHANGES}?state__exact=waiting"
        assert said in visible_text(reviewer.get(response.url))
        category = ResponseCategory.objects.get(pk=held.category.pk)
        assert category.title_en == "Partial response (PR)"
        criterion = ResponseCriterion.objects.get(pk=held.criterion.pk)
        assert criterion.statement_fr == held.new_statement
        for change in (held.change, held.row_change):
            change.refresh_from_db()
            assert change.state == "published"
            assert change.decided_by == staff.reviewer
            assert change.comment == "Checked against sources."
        assert PendingChange.for_item(category) is None
        revision = Version.objects.get_for_object(category)[0].revision
        assert revision.user == staff.reviewer
        assert revision.comment == "Checked against sources."
        assert sorted(m.to[0] for m in mailoutbox) == [
            "alice@example.org",
            "tina@example.org",
        ]
        alice = next(m for m in mailoutbox if m.to == ["alice@example.org"])
        assert "Published: Partial response (PR)" in alice.subject
        assert "Checked against sources." in alice.body
        assert f"{SITE}{_review_url(held.change)}" in alice.body
        assert "Partial response (PR)" in visible_text(
            client.get("/en/response-to-treatment/")
        )
        # Decided changes stay, and show what they replaced.
        page = reviewer.get(_review_url(held.change))
        assertInHTML(
            '<td class="field-diffs__old">Partial response</td>', page.content.decode()
        )
        assert 'data-testid="review-decision"' not in page.content.decode()

    def test_sending_back_needs_a_comment_then_tells_the_author(
        self, staff, held_category, committed, mailoutbox
    ):
        held = held_category
        mailoutbox.clear()
        reviewer = staff.as_(staff.reviewer)
        response = _decide(reviewer, held.change, committed, "_send_back", "  ")
        assert response.status_code == 200
        assert "Say what to fix" in visible_text(response)
        held.change.refresh_from_db()
        assert held.change.state == "waiting" and mailoutbox == []
        response = _decide(
            reviewer, held.change, committed, "_send_back", "Spell out PR."
        )
        assert response.status_code == 302
        held.change.refresh_from_db()
        assert held.change.state == "sent_back"
        assert held.change.comment == "Spell out PR."
        assert ResponseCategory.objects.get(pk=held.category.pk).title_en == (
            "Partial response"
        )
        (mail_alice, mail_tina) = sorted(mailoutbox, key=lambda m: m.to)
        assert mail_alice.to == ["alice@example.org"]
        assert "Sent back to you: Partial response" in mail_alice.subject
        assert "Renvoyé pour correction : Réponse partielle" in mail_alice.subject
        assert "Spell out PR." in mail_alice.body
        assert f"{SITE}{_change_url(held.category)}" in mail_alice.body
        assert mail_tina.to == ["tina@example.org"]

    def test_the_author_sees_the_comment_and_resubmits(
        self, staff, held_category, committed, mailoutbox
    ):
        held = held_category
        _decide(
            staff.as_(staff.reviewer), held.change, committed, "_send_back", "Why PR?"
        )
        editor = staff.as_(staff.editor)
        listing = editor.get(f"{CHANGES}?state__exact=sent_back&mine=1")
        assert _review_url(held.change) in listing.content.decode()
        page = editor.get(_review_url(held.change))
        assert page.status_code == 200
        assert "Why PR?" in region(page.content.decode(), "review-comment")
        assert "Sent back" in visible_text(page)
        assert 'data-testid="review-decision"' not in page.content.decode()
        form = editor.get(_change_url(held.category))
        assert "Rita Tester sent your change back" in visible_text(form)
        mailoutbox.clear()
        change = _hold(
            editor, held.category, committed, title_en="Partial response, PR"
        )
        assert change.pk == held.change.pk and change.state == "waiting"
        assert change.data == {"title_en": "Partial response, PR"}
        assert sorted(m.to[0] for m in mailoutbox) == [
            "rita@example.org",
            "root@example.org",
        ]

    @pytest.mark.parametrize("who", ["editor", "translator"])
    def test_people_who_may_not_publish_cannot_decide(
        self, staff, held_category, committed, mailoutbox, who
    ):
        held = held_category
        mailoutbox.clear()
        author = getattr(staff, who)
        own = held.change if who == "editor" else held.row_change
        for button in ("_publish", "_send_back"):
            response = _decide(staff.as_(author), own, committed, button, "Mine.")
            assert response.status_code == 403
        for change in (held.change, held.row_change):
            change.refresh_from_db()
            assert change.state == "waiting" and change.decided_by is None
        assert ResponseCategory.objects.get(pk=held.category.pk).title_en == (
            "Partial response"
        )
        assert mailoutbox == []

    def test_authors_list_and_open_only_their_own_changes(self, staff, held_category):
        held = held_category
        editor = staff.as_(staff.editor)
        listing = editor.get(CHANGES)
        assert listing.status_code == 200
        assert _review_url(held.change) in listing.content.decode()
        assert _review_url(held.row_change) not in listing.content.decode()
        assert editor.get(_review_url(held.change)).status_code == 200
        assert editor.get(_review_url(held.row_change)).status_code == 403
        assert editor.get(f"{CHANGES}999999/change/").status_code == 404
        everything = staff.as_(staff.reviewer).get(CHANGES).content.decode()
        assert _review_url(held.change) in everything
        assert _review_url(held.row_change) in everything
        mine = staff.as_(staff.reviewer).get(f"{CHANGES}?mine=1").content.decode()
        assert _review_url(held.change) not in mine
        published = staff.as_(staff.reviewer).get(f"{CHANGES}?state__exact=published")
        assert _review_url(held.change) not in published.content.decode()

    def test_nobody_adds_or_edits_a_change_directly(self, staff, held_category):
        reviewer = staff.as_(staff.reviewer)
        assert reviewer.get(f"{CHANGES}add/").status_code == 403


def _to_do(client) -> dict[str, tuple[str, int, str]]:
    page = client.get("/admin/").content.decode()
    found = re.findall(
        r'<a href="([^"]*)" data-testid="to-do-([\w-]+)" data-count="(\d+)">([^<]*)</a>',
        page,
    )
    return {
        key: (unescape(label), int(count), unescape(href))
        for href, key, count, label in found
    }


class TestFrontPage:
    @pytest.mark.parametrize(
        "language, waiting, due",
        [
            ("en", "Waiting for your review (1)", "Reviews due (1)"),
            ("fr", "En attente de votre révision (1)", "Révisions à faire (1)"),
        ],
    )
    def test_a_reviewer_is_told_what_waits_for_them(
        self, staff, committed, language, waiting, due
    ):
        _hold(staff.as_(staff.editor), _surgery(), committed, title_en="Held")
        GlossaryTerm.objects.filter(key="biopsy").update(
            last_reviewed=datetime.date.today() - datetime.timedelta(days=3 * 366),
            next_review_due=datetime.date.today() - datetime.timedelta(days=3),
        )
        tasks = _to_do(staff.as_(staff.reviewer, language))
        assert set(tasks) == {"waiting", "reviews-due"}
        assert tasks["waiting"][0] == waiting
        assert tasks["waiting"][2] == f"{CHANGES}?state__exact=waiting"
        assert tasks["reviews-due"][0] == due

    @pytest.mark.parametrize(
        "language, labels",
        [
            ("en", ["Sent back to you (1)", "Your changes waiting (1)"]),
            ("fr", ["Renvoyés pour correction (1)", "Vos changements en attente (1)"]),
        ],
    )
    def test_an_author_is_told_what_came_back_and_what_waits(
        self, staff, committed, language, labels
    ):
        editor = staff.as_(staff.editor)
        _hold(editor, _surgery(), committed, title_en="Held")
        chemo = Treatment.objects.get(key="chemotherapy")
        back = _hold(editor, chemo, committed, title_en="Back")
        _decide(staff.as_(staff.reviewer), back, committed, "_send_back", "No.")
        _hold(staff.as_(staff.other_editor), GlossaryTerm.objects.get(key="biopsy"),
              committed, title_en="Someone else's")  # fmt: skip
        tasks = _to_do(staff.as_(staff.editor, language))
        assert set(tasks) == {"sent-back", "mine-waiting", "translate-fr"}
        assert [tasks["sent-back"][0], tasks["mine-waiting"][0]] == labels
        assert tasks["sent-back"][2] == f"{CHANGES}?state__exact=sent_back&mine=1"
        listing = editor.get(tasks["sent-back"][2]).content.decode()
        assert _review_url(back) in listing

    @pytest.mark.parametrize(
        "language, label", [("en", "French to update"), ("fr", "Français à mettre")]
    )
    def test_a_translator_is_told_how_much_french_to_update(
        self, staff, language, label
    ):
        before = _to_do(staff.as_(staff.translator))["translate-fr"][1]
        chemo = Treatment.objects.get(key="chemotherapy")
        chemo.title_en = "Chemotherapy (drugs)"
        chemo.save()
        label_text, count, url = _to_do(staff.as_(staff.translator, language))[
            "translate-fr"
        ]
        assert count == before + 1
        assert label_text.startswith(label)
        assert url == "/admin/translation-status/?to_update=fr"
        # The link lists exactly the items whose French needs work, this one among them.
        listing = parse(staff.as_(staff.translator, language).get(url))
        # One French cell per row.
        assert len(listing.find_all("td", data_state=True)) == count
        hrefs = [href for _text, href in listing.links()]
        assert f"/admin/neuroinfo/treatment/{chemo.pk}/change/" in hrefs
        assert not listing.has(data_state="complete")


def _nothing_due() -> None:
    far = datetime.date.today() + datetime.timedelta(days=800)
    for model in content_models():
        model.objects.update(next_review_due=far, last_reviewed=datetime.date.today())


class TestReviewDigest:
    def test_each_reviewer_gets_the_items_due(self, staff, mailoutbox):
        _nothing_due()
        Treatment.objects.filter(key="surgery").update(
            next_review_due=datetime.date.today() - datetime.timedelta(days=1)
        )
        GlossaryTerm.objects.filter(key="biopsy").update(
            next_review_due=datetime.date.today() + datetime.timedelta(days=20)
        )
        out = io.StringIO()
        call_command("review_digest", stdout=out)
        assert sorted(m.to[0] for m in mailoutbox) == [
            "rita@example.org",
            "root@example.org",
        ]
        mail = mailoutbox[0]
        assert "Medical reviews due: 2 items" in mail.subject
        assert "Révisions médicales à faire : 2 éléments" in mail.subject
        surgery = _surgery()
        biopsy = GlossaryTerm.objects.get(key="biopsy")
        assert f"{SITE}{_change_url(surgery)}" in mail.body
        assert f"{SITE}{_change_url(biopsy)}" in mail.body
        assert mail.body.index("Surgery") < mail.body.index("Biopsy")  # most urgent
        assert "Chirurgie" in mail.body and "overdue since" in mail.body
        assert "Sent 2 emails" in out.getvalue()

    def test_nothing_is_sent_when_nothing_is_due(self, staff, mailoutbox):
        _nothing_due()
        out = io.StringIO()
        call_command("review_digest", stdout=out)
        assert mailoutbox == []
        assert "nothing sent" in out.getvalue()

    def test_a_dry_run_prints_the_emails_and_sends_none(self, staff, mailoutbox):
        _nothing_due()
        Treatment.objects.filter(key="surgery").update(
            next_review_due=datetime.date.today() - datetime.timedelta(days=1)
        )
        out = io.StringIO()
        call_command("review_digest", "--dry-run", stdout=out)
        assert mailoutbox == []
        assert "To: rita@example.org" in out.getvalue()
        assert "Surgery" in out.getvalue()
        assert "Would send 2 emails" in out.getvalue()


class TestEmailSettings:
    def test_local_work_prints_emails_and_production_sends_them_by_smtp(self):
        from tests.test_settings import settings_in

        local = settings_in({"DJANGO_DEBUG": "1"}, "s.EMAIL_BACKEND")
        assert local.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
        production = settings_in(
            {
                "DJANGO_SECRET_KEY": "k" * 50,
                "EMAIL_HOST": "smtp.example.org",
                "EMAIL_PORT": "587",
                "EMAIL_USE_TLS": "1",
                "DEFAULT_FROM_EMAIL": "guide@example.org",
            },
            "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, "
            "s.DEFAULT_FROM_EMAIL, s.SERVER_EMAIL",
        )
        assert production.stdout.split() == [
            "django.core.mail.backends.smtp.EmailBackend",
            "smtp.example.org",
            "587",
            "True",
            "guide@example.org",
            "guide@example.org",
        ]
