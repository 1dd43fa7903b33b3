"""Keeping stored HTML in step with the items it links to.

A body's HTML holds the URLs of the items it links to and marks the glossary terms
it uses, so a changed slug, a new item or a changed term means other bodies need
rendering again. The site is small: re-rendering every body costs milliseconds, and
only rows whose HTML changed are written.
"""

from django.conf import settings

from neuroinfo.links import all_urls, content_models
from neuroinfo.pagecache import content_changed
from neuroinfo.terms import Glossary


def rerender_all() -> int:
    """Render every body again; return how many items' HTML changed.

    The glossary is loaded once here: a renamed, added or unpublished term changes the
    marks in every body that uses it.
    """
    changed = 0
    fields = [f"body_html_{code}" for code, _name in settings.LANGUAGES]
    urls = all_urls()
    glossary = Glossary.load()

    def resolve(ref: str, language: str) -> str | None:
        return urls.get(ref, {}).get(language)

    for model in content_models():
        for item in model.objects.all():
            if item.render(resolve, glossary):
                # update() skips save(): no second render and no change to updated_at.
                model.objects.filter(pk=item.pk).update(
                    **{field: getattr(item, field) for field in fields}
                )
                changed += 1
    if changed:
        content_changed()  # update() sends no signal
    return changed


def rescore_all() -> int:
    """Score every item's reading level again; return how many scores changed.

    Saving an item scores it; this catches items a load leaves unchanged after the
    scoring itself changed (a new formula, a better syllable count).
    """
    changed = 0
    for model in content_models():
        for item in model.objects.all():
            scores = item.score_reading()
            if scores != item.reading_score:
                model.objects.filter(pk=item.pk).update(reading_score=scores)
                changed += 1
    return changed
