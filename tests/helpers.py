"""Small helpers the tests share."""

import html
import re

NBSP = "\u00a0"


def page_text(response) -> str:
    """A page's HTML with entities decoded and non-breaking spaces as plain spaces."""
    return html.unescape(response.content.decode()).replace(NBSP, " ")


def visible_text(response) -> str:
    """A page's text without tags, whitespace collapsed, for checking facts in sentences."""
    without_tags = re.sub(r"<[^>]+>", " ", page_text(response))
    return re.sub(r"\s+", " ", without_tags)


def links(response) -> list[str]:
    """Every href on a page."""
    return re.findall(r'href="([^"]*)"', response.content.decode())


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


def staff_user(name: str, role: str | None = None, perms: tuple = ()):
    """A staff member with an email address, in a role group and with extra
    permissions if given; signs in with STAFF_PASSWORD."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    user = get_user_model().objects.create_user(
        name, f"{name}@example.org", STAFF_PASSWORD
    )
    user.is_staff = True
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user
