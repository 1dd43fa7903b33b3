"""Changing one of a mirrored pair: the admin's warning carries a button that changes
the other criterion too. The value is worked out on the server (a posted one is
ignored) and saved the way the criterion's own form saves it: roles, review holds,
one author per held change, the history."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from reversion.models import Version

from neuroinfo.mirrors import mismatches
from neuroinfo.models import PendingChange, ResponseCriterion, Status
from tests.helpers import NBSP, admin_save, signed_in, staff_user, visible_text

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
BUTTON = {
    "en": "Change “sd-all-tumours” to “at most 40%” too",
    "fr": f"Modifier aussi «{NBSP}sd-all-tumours{NBSP}» pour «{NBSP}au plus 40{NBSP}%{NBSP}»",
}
CHANGED = {
    "en": "“sd-all-tumours” now says “at most 40%”: it meets “pr-all-tumours” again.",
    "fr": f"« sd-all-tumours » indique maintenant « au plus 40{NBSP}% » : il concorde "
    "de nouveau avec « pr-all-tumours ».",
}
WAITING = {
    "en": "Your change to “sd-all-tumours” (“at most 40%”, to meet “pr-all-tumours”) "
    "is saved and waiting for a medical reviewer.",
    "fr": f"Votre changement à « sd-all-tumours » (« au plus 40{NBSP}% », pour "
    "concorder avec « pr-all-tumours ») est enregistré et attend une réviseure ou un "
    "réviseur médical.",
}
ALREADY = {
    "en": "“sd-all-tumours” already meets “pr-all-tumours”: nothing was changed.",
    "fr": "« sd-all-tumours » concorde déjà avec « pr-all-tumours » : rien n’a été "
    "modifié.",
}
NOT_YOURS = {
    "en": "Nothing was changed: your role may not change a criterion's comparison "
    "or threshold.",
    "fr": "Rien n’a été modifié : votre rôle ne permet pas de modifier la "
    "comparaison ou le seuil d’un critère.",
}
HELD_BY_BOB = {
    "en": "Nothing was changed: Bob Tester has a change to “sd-all-tumours” that is "
    "not published yet",
    "fr": "Rien n’a été modifié : Bob Tester a un changement à « sd-all-tumours » "
    "qui n’est pas encore publié",
}


class Offers(HTMLParser):
    """The forms in the page's messages: action, fields and the button's words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.in_messages = self.in_button = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ul" and "messagelist" in (a.get("class") or ""):
            self.in_messages = True
        elif tag == "form" and self.in_messages:
            self.forms.append(
                {
                    "action": a["action"],
                    "method": a["method"],
                    "fields": {},
                    "label": "",
                }
            )
        elif tag == "input" and self.in_messages and self.forms:
            self.forms[-1]["fields"][a["name"]] = a.get("value", "")
        elif tag == "button" and self.in_messages and self.forms:
            self.in_button = True

    def handle_endtag(self, tag):
        if tag == "ul":
            self.in_messages = False
        elif tag == "button":
            self.in_button = False

    def handle_data(self, data):
        if self.in_button:
            self.forms[-1]["label"] += data


def offers(response) -> list[dict]:
    parser = Offers()
    parser.feed(response.content.decode())
    return parser.forms


def _criterion(key: str) -> ResponseCriterion:
    return ResponseCriterion.objects.get(key=key)


def _url(key: str, rest: str = "change/") -> str:
    return f"/admin/neuroinfo/responsecriterion/{_criterion(key).pk}/{rest}"


def _change_and_take_the_offer(client: Client) -> tuple:
    """Save pr-all-tumours at 40 through its form, then press the warning's button as
    a browser would (its action and fields, from the page it came back to)."""
    response = admin_save(client, _url("pr-all-tumours"), threshold="40")
    assert response.status_code == 302
    page = client.get(response.url)
    html = page.content.decode()
    listed = html[html.index('class="messagelist"') :]
    listed = listed[: listed.index("</ul>")]
    # Strict CSP: the offer is plain markup, no inline script, style or handler.
    assert not re.search(r"<script|<style|\sstyle=|\son\w+=", listed), listed
    found = offers(page)
    assert len(found) == 1, visible_text(page)[:2000]
    form = found[0]
    assert form["method"].lower() == "post"
    assert form["action"] == _url("sd-all-tumours", "mirror/")
    came_from = f"http://testserver{response.url}"
    client.handler.enforce_csrf_checks = True  # the button's form carries its token
    taken = client.post(form["action"], form["fields"], headers={"referer": came_from})
    return form, taken, came_from


def _state(key: str) -> tuple:
    row = _criterion(key)
    return row.comparison, row.threshold, Version.objects.get_for_object(row).count()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reviewer_takes_the_offer_and_the_pair_meets_again(language):
    rita = staff_user("rita", "Medical reviewer")
    client = signed_in(rita, language)
    versions = Version.objects.get_for_object(_criterion("sd-all-tumours")).count()
    form, taken, came_from = _change_and_take_the_offer(client)
    assert form["label"].strip() == BUTTON[language]
    assert set(form["fields"]) == {"csrfmiddlewaretoken", "source"}
    assert form["fields"]["source"] == str(_criterion("pr-all-tumours").pk)
    assert taken.status_code == 302 and taken.url == came_from
    page = visible_text(client.get(taken.url))
    assert CHANGED[language].replace(NBSP, " ") in page, page[:2000]
    sd, pr = _criterion("sd-all-tumours"), _criterion("pr-all-tumours")
    assert (sd.comparison, sd.threshold) == ("lte", Decimal(40))
    assert (pr.comparison, pr.threshold) == ("gt", Decimal(40))
    assert mismatches(sd) == [] and mismatches(pr) == []
    history = Version.objects.get_for_object(sd)
    assert history.count() == versions + 1
    revision = history.first().revision
    assert revision.user == rita
    assert "pr-all-tumours" in revision.comment
    assert PendingChange.objects.count() == 0
    # Nothing left to offer: pressing again changes nothing and says so.
    again = client.post(form["action"], form["fields"], headers={"referer": came_from})
    assert again.status_code == 302
    assert ALREADY[language] in visible_text(client.get(again.url))
    assert Version.objects.get_for_object(sd).count() == versions + 1
    # Without the form's token (a post from another site), nothing happens.
    forged = client.post(form["action"], {"source": form["fields"]["source"]})
    assert forged.status_code == 403


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_editors_offer_on_a_published_category_waits_for_review(language):
    alice = staff_user("alice", "Editor", named=True)
    assert _criterion("sd-all-tumours").category.status == Status.PUBLISHED
    client = signed_in(alice, language)
    form, taken, came_from = _change_and_take_the_offer(client)
    assert form["label"].strip() == BUTTON[language]
    assert taken.status_code == 302 and taken.url == came_from
    page = visible_text(client.get(taken.url))
    assert WAITING[language].replace(NBSP, " ") in page, page[:2000]
    sd = _criterion("sd-all-tumours")
    assert (sd.comparison, sd.threshold) == ("lte", Decimal(30))  # live: unchanged
    change = PendingChange.for_item(sd)
    assert change.author == alice and change.state == PendingChange.State.WAITING
    assert change.values(ResponseCriterion) == {"threshold": Decimal(40)}
    # Her held version of the pair meets: a reviewer publishing both sees no gap.
    held = change.apply_to(sd)
    assert (
        held.threshold
        == PendingChange.for_item(_criterion("pr-all-tumours")).values(
            ResponseCriterion
        )["threshold"]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_someone_elses_open_change_on_the_mirror_refuses_the_offer(language):
    bob = staff_user("bob", "Editor", named=True)
    admin_save(signed_in(bob, "en"), _url("sd-all-tumours"), order="9")
    bobs = PendingChange.for_item(_criterion("sd-all-tumours"))
    assert bobs.author == bob
    client = signed_in(staff_user("alice", "Editor", named=True), language)
    _form, taken, came_from = _change_and_take_the_offer(client)
    assert taken.url == came_from
    page = visible_text(client.get(taken.url))
    assert HELD_BY_BOB[language] in page, page[:2000]
    assert _criterion("sd-all-tumours").threshold == Decimal(30)
    bobs.refresh_from_db()
    assert bobs.author == bob and bobs.data == {"order": 9}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translators_post_is_refused_and_changes_nothing(language):
    rita = staff_user("rita", "Medical reviewer")
    admin_save(signed_in(rita, "en"), _url("pr-all-tumours"), threshold="40")
    before = _state("sd-all-tumours")
    tina = staff_user("tina", "Translator", named=True)
    client = Client(headers={"accept-language": language})
    client.force_login(tina)
    source = str(_criterion("pr-all-tumours").pk)
    back = "http://testserver/admin/neuroinfo/responsecriterion/"
    response = client.post(
        _url("sd-all-tumours", "mirror/"),
        {"source": source, "threshold": "40"},
        headers={"referer": back},
    )
    assert response.status_code == 302 and response.url == back
    assert NOT_YOURS[language] in visible_text(client.get(back))
    assert _state("sd-all-tumours") == before
    assert PendingChange.objects.count() == 0


def test_a_posted_value_is_ignored_and_the_mirror_is_worked_out_again():
    rita = staff_user("rita", "Medical reviewer")
    client = Client()
    client.force_login(rita)
    admin_save(client, _url("pr-all-tumours"), threshold="40")
    response = client.post(
        _url("sd-all-tumours", "mirror/"),
        {"source": str(_criterion("pr-all-tumours").pk), "threshold": "5",
         "comparison": "gt", "unit": "mm", "value": "5"},
    )  # fmt: skip
    assert response.status_code == 302
    sd = _criterion("sd-all-tumours")
    assert (sd.comparison, sd.threshold, sd.unit) == ("lte", Decimal(40), "percent")
    # A pair that is not one, and a pair that already meets, change nothing.
    before = _state("cr-bone-marrow")
    client.post(
        _url("cr-bone-marrow", "mirror/"),
        {"source": str(_criterion("pr-all-tumours").pk)},
    )
    assert _state("cr-bone-marrow") == before
    before = _state("sd-mibg-pet")
    client.post(
        _url("sd-mibg-pet", "mirror/"),
        {"source": str(_criterion("pr-bone-metastases").pk)},
    )
    assert _state("sd-mibg-pet") == before


def test_the_offer_only_takes_a_post():
    client = Client()
    client.force_login(staff_user("rita", "Medical reviewer"))
    response = client.get(_url("sd-all-tumours", "mirror/"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_the_category_forms_warning_offers_it_too_but_never_a_comparison_change():
    """Saved in the category's criteria inline: a threshold-only fix is offered
    there too; when the comparison is what keeps the pair apart, nothing is offered
    (the other criterion's statement words its comparison, so a person changes both)
    and a hand-made post changes nothing."""
    client = signed_in(staff_user("rita", "Medical reviewer"), "en")
    category = _criterion("sd-mibg-pet").category
    url = f"/admin/neuroinfo/responsecategory/{category.pk}/change/"
    rows = [row.key for row in category.criteria.order_by("order", "key")]
    index = rows.index("sd-mibg-pet")
    response = admin_save(client, url, **{f"criteria-{index}-threshold": "60"})
    assert response.status_code == 302
    (form,) = offers(client.get(response.url))
    assert form["action"] == _url("pr-bone-metastases", "mirror/")
    # A Referer from elsewhere is not followed back: the criteria list instead.
    taken = client.post(
        form["action"],
        form["fields"],
        headers={"referer": "https://elsewhere.example/"},
    )
    assert taken.url == "/admin/neuroinfo/responsecriterion/"
    pr = _criterion("pr-bone-metastases")
    assert (pr.comparison, pr.threshold) == ("gte", Decimal(60))
    assert mismatches(pr) == []

    response = admin_save(client, url, **{f"criteria-{index}-comparison": "lte"})
    assert response.status_code == 302
    assert offers(client.get(response.url)) == []
    refused = client.post(form["action"], form["fields"], follow=True)
    assert "must also change its comparison" in visible_text(refused)
    pr = _criterion("pr-bone-metastases")
    assert (pr.comparison, pr.threshold) == ("gte", Decimal(60))
