"""Every item staff may link to, found by title: what the admin's related-items
picker asks for (see neuroinfo/admin/pickers.py)."""

from django.http import HttpRequest, JsonResponse

from neuroinfo.kinds import KINDS
from neuroinfo.links import ref_of
from neuroinfo.text import fold

PAGE_SIZE = 20  # as Django's autocomplete


def split_refs(value) -> list[str]:
    """References from stored text (one per line) or from a form's list, in order."""
    if value is None:
        return []
    lines = value.splitlines() if isinstance(value, str) else value
    return list(dict.fromkeys(line.strip() for line in lines if line and line.strip()))


def item_choices(user, term: str = "", exclude: str = "") -> list[tuple[str, str]]:
    """Every item this user may view whose title (either language) or reference
    contains the term, as (reference, "Title (reference)"), kind by kind."""
    wanted = fold(term.strip())
    found = []
    for kind in KINDS:
        model = kind.model_class
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        rows = []
        for item in model.objects.only("key", "title_en", "title_fr"):
            ref = ref_of(item)
            titles = [item.title_en or "", item.title_fr or "", ref]
            if ref != exclude and any(wanted in fold(t) for t in titles):
                rows.append((ref, f"{item.title} ({ref})"))
        found += sorted(rows, key=lambda row: fold(row[1]))
    return found


def related_items_view(request: HttpRequest) -> JsonResponse:
    """Items for the related-items picker, 20 at a time, as Django's autocomplete
    answers: {"results": [{"id": "kind:key", "text": ...}], "pagination": {...}}."""
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    choices = item_choices(
        request.user, request.GET.get("term", ""), request.GET.get("exclude", "")
    )
    start = (page - 1) * PAGE_SIZE
    return JsonResponse(
        {
            "results": [
                {"id": ref, "text": text}
                for ref, text in choices[start : start + PAGE_SIZE]
            ],
            "pagination": {"more": len(choices) > start + PAGE_SIZE},
        }
    )
