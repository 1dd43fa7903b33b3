"""Staff previews: any item as families would see it, drafts and waiting changes
included, built from a draft outline made for the request. Never indexed or cached."""

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from neuroinfo import pagekeys
from neuroinfo.links import model_for
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    PendingChange,
    ResponseCategory,
    Treatment,
)
from neuroinfo.outline.held import outline_for
from neuroinfo.pages.builders import build_page
from neuroinfo.renderer import render_preview


@never_cache
@staff_member_required
def preview(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """A staff preview of any item, draft or published, with changes waiting for review."""
    model = model_for(kind)
    item = model.objects.filter(key=key).first() if model else None
    if item is None:
        raise Http404(_("No page has this address."))
    pending = PendingChange.for_item(item)
    if pending:
        pending.apply_to(item)
        render_preview(item)  # the waiting Markdown, rendered for this preview only
    return preview_page(request, item)


def preview_page(
    request: HttpRequest, item: Model, unsaved: bool = False
) -> HttpResponse:
    """An item's page as families would see it, drafts included, for staff only: the
    item may be ``unsaved`` (the admin's preview of a form, which says so on the page).
    Never indexed or cached."""
    request.preview_unsaved = unsaved
    container = _container(item)
    outline = outline_for(get_language(), drafts=True)
    response = build_page(
        request, container or item, outline, preview=item if container else None
    )
    response.headers["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def _container(item: Model) -> Model | None:
    """The page an item is shown inside (sub-sections, categories, glossary terms)."""
    if isinstance(item, Treatment) and item.parent_id:
        return item.parent
    if isinstance(item, ResponseCategory):
        return GuidePage.objects.filter(key=pagekeys.RESPONSE).first()
    if isinstance(item, GlossaryTerm):
        return GuidePage.objects.filter(key=pagekeys.GLOSSARY).first()
    return None
