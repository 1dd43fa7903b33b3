"""One outline per language per server, rebuilt after a content change."""

import threading

from neuroinfo.generation import generation as current_generation
from neuroinfo.outline.build import build
from neuroinfo.outline.model import Outline

_lock = threading.Lock()
_outlines: dict[str, tuple[str, Outline]] = {}


def forget() -> None:
    """Drop the outlines this process holds: the next page reads the guide again."""
    with _lock:
        _outlines.clear()


def outline_for(language: str, drafts: bool = False) -> Outline:
    """This language's outline of the current content, built at most once per change
    (a draft outline, for a staff preview, is built every time)."""
    if drafts:
        return build(language, drafts=True)
    generation = current_generation()
    held = _outlines.get(language)
    if held is not None and held[0] == generation:
        return held[1]
    with _lock:  # one build per change, not one per concurrent request
        held = _outlines.get(language)
        if held is not None and held[0] == generation:
            return held[1]
        outline = build(language)
        _outlines[language] = (generation, outline)
        return outline
