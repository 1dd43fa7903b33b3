"""The guide's outline in one language, built once per content generation.

``model`` holds what an outline is (``sections`` what it says about the guide's
sections), ``build`` reads the guide into one, and ``held`` keeps one per language for
the current generation (``outline_for``).

Every page needs the same facts about the rest of the guide: the reading order and
its sections, what comes before and after it, every item's address in each language, where the special
pages are (home, about, privacy, glossary, response, explainer, search, print), the
glossary's definitions, the response categories and each item's sources. They change
only when content changes, so each server builds them once per content generation
(``neuroinfo.generation``, as the search index is) and a page reads them from memory,
its own item too: a page costs no query. The rows are whole (bodies in every
language): a few megabytes per language for a guide of a thousand pages.

Staff previews see drafts: they build a draft outline for each request, never kept.
"""
