"""The explainer's address in each language, for the pages that link to it.

Kept apart from the view, so the response page, the sitemap and the search results
can link to the explainer without importing its form or its view.
"""

from django.urls import reverse
from django.utils.translation import override

from neuroinfo.links import slug_in
from neuroinfo.models import GuidePage


def explainer_url(page: GuidePage, language: str) -> str:
    """The explainer's address in a language: under the response page's own slug."""
    with override(language):
        return reverse("neuroinfo:explainer", kwargs={"slug": slug_in(page, language)})
