"""Text as a reader sees it: stored HTML as plain text, and words compared without case
or accents. The one place for both, so search, reading levels, structured data,
glossary order and the admin's pickers read text the same way."""

import html
import re
import unicodedata

# Tags that sit inside a word (« l'<a>immunothérapie</a> », H<sub>2</sub>O): removed
# without a space. Any other tag (a paragraph, a list item, a line break) parts words.
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|code|em|i|mark|span|strong|sub|sup)\b[^>]*>", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain(*parts: str) -> str:
    """The text of some HTML, each part apart from the next, spaces collapsed.

    Tags go before entities are read, so text that shows a tag (``&lt;b&gt;``) keeps it.
    """
    text = " ".join(_TAG.sub(" ", _INLINE_TAG.sub("", part or "")) for part in parts)
    return _SPACE.sub(" ", html.unescape(text)).strip()


def fold(text: str) -> str:
    """Lower case without accents, to compare and sort words as people read them:
    « Chimiothérapie » → "chimiotherapie", and « é » sorts with « e »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
