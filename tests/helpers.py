"""Small helpers the tests share."""

import html
import re
from pathlib import Path

NBSP = "\u00a0"


def page_text(response) -> str:
    """A page's HTML with entities decoded and non-breaking spaces as plain spaces."""
    return html.unescape(response.content.decode()).replace(NBSP, " ")


def visible_text(response) -> str:
    """A page's text without tags, whitespace collapsed, for checking facts in sentences."""
    without_tags = re.sub(r"<[^>]+>", " ", page_text(response))
    return re.sub(r"\s+", " ", without_tags)


def links(response) -> list[str]:
    """Every href on a page (links, alternates, styles), entities decoded."""
    from tests.dom import parse

    return [element.get("href") for element in parse(response).find_all(href=True)]


def region(html: str, testid: str) -> str:
    """The element marked with a data-testid, from its opening tag to its closing tag."""
    at = html.index(f'data-testid="{testid}"')
    start = html.rindex("<", 0, at)
    tag = re.match(r"<(\w+)", html[start:]).group(1)
    depth, pos = 0, start
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            pos = start + match.end()
            break
    return html[start:pos]


def browser_newlines(value):
    """A posted value as a browser sends it: every line break as CRLF."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\n", "\r\n")


def admin_save(client, url: str, **changes) -> "object":
    """Save an admin change form as a browser would: every field as shown, some changed,
    line breaks posted as CRLF."""
    from tests.liveadmin import form_fields

    fields = form_fields(client.get(url).content.decode())
    fields.pop("csrfmiddlewaretoken", None)
    posted = {**fields, "_save": "Save", **changes}
    return client.post(url, {k: browser_newlines(v) for k, v in posted.items()})


STAFF_PASSWORD = "Staff-pass-phrase-42"


def person(name: str, *, email: bool = True, **fields):
    """Someone with an account (name@example.org unless email=False) who signs in with
    STAFF_PASSWORD; not staff until a role or is_staff=True makes them so."""
    from django.contrib.auth import get_user_model

    address = f"{name}@example.org" if email else ""
    return get_user_model().objects.create_user(name, address, STAFF_PASSWORD, **fields)


def staff_user(
    name: str,
    role: str | None = None,
    perms: tuple = (),
    *,
    named: bool = False,
    **fields,
):
    """A staff member in a role group (if given) and with extra permissions (codenames);
    named=True gives them a full name ("Rita Tester") for emails and history. The one
    factory every test uses; fields go to create_user (email=False, is_active=False,
    is_superuser=True...)."""
    from django.contrib.auth.models import Group, Permission

    if named:
        fields = {"first_name": name.capitalize(), "last_name": "Tester", **fields}
    user = person(name, is_staff=True, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def signed_in(user, language: str = "en"):
    """A test client signed in as this user, whose browser asks for this language."""
    from django.test import Client

    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def page_language(page) -> str | None:
    """The language a page declares on its html element (a response or its HTML)."""
    from tests.dom import parse

    return parse(page).find("html").get("lang")


def empty_cache() -> None:
    """Empty the shared cache and this process's copy of the generation heard on its
    feed (``neuroinfo.generation_feed``), as a fresh process sees a flushed cache:
    for tests that change content without a commit, so no change is announced."""
    from django.core.cache import cache

    from neuroinfo import generation_feed

    cache.clear()
    generation_feed.forget()


def page_weight(response) -> int:
    """What a phone downloads for a page: its HTML and its own stylesheets and scripts,
    as production serves them (minified when collected: ``neuroinfo.staticfiles``)."""
    from django.contrib.staticfiles import finders

    from neuroinfo.staticfiles import minified

    html = response.content.decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    served = sum(
        len(minified(name, Path(finders.find(name)).read_text()).encode())
        for name in assets
    )
    return len(html.encode()) + served
