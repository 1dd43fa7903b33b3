"""What a PDF printed by Chromium (``page.pdf()``) says: the text of each page.

Enough of PDF to read Chromium's own output, with the standard library only: the
page tree in order, each page's content streams (Flate-compressed), the fonts they
select (Type0, Identity-H) and their ToUnicode maps from glyph to character.
Words come back split where the printer kerned them, and with its ligatures:
compare text through ``squeezed``.
"""

import re
import unicodedata
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(stream\r?\n|endobj)", re.S)
_REF = rb"(\d+) 0 R"
_SHOW = re.compile(
    rb"/([\w.+-]+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj"
)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Every object: its dictionary, and its stream decoded (b"" if none)."""
    found = {}
    for match in _OBJECT.finditer(data):
        head, stream = match[2], b""
        if match[3].startswith(b"stream"):
            length = int(re.search(rb"/Length (\d+)", head)[1])
            stream = data[match.end() : match.end() + length]
            if b"/FlateDecode" in head:
                stream = zlib.decompress(stream)
        found[int(match[1])] = (head, stream)
    return found


def _unicode_map(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap as glyph -> text."""
    text = cmap.decode("latin-1")
    mapped: dict[int, str] = {}

    def chars(hexes: str) -> str:
        return bytes.fromhex(hexes).decode("utf-16-be", "replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for glyph, target in re.findall(r"<(\w+)>\s*<(\w+)>", block):
            mapped[int(glyph, 16)] = chars(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for first, last, target in re.findall(
            r"<(\w+)>\s*<(\w+)>\s*(<\w+>|\[[^\]]*\])", block
        ):
            glyphs = range(int(first, 16), int(last, 16) + 1)
            if target.startswith("["):
                targets = re.findall(r"<(\w+)>", target)
                for glyph, each in zip(glyphs, targets, strict=True):
                    mapped[glyph] = chars(each)
            else:
                start = int(target[1:-1], 16)
                for offset, glyph in enumerate(glyphs):
                    mapped[glyph] = chr(start + offset)
    return mapped


def _page_refs(objects: dict, number: int) -> list[int]:
    """The pages under a node of the page tree, in reading order."""
    head = objects[number][0]
    if re.search(rb"/Type\s*/Page\b", head):
        return [number]
    kids = re.search(rb"/Kids\s*\[([^\]]*)\]", head)[1]
    return [p for kid in re.findall(_REF, kids) for p in _page_refs(objects, int(kid))]


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, in page order."""
    assert data.startswith(b"%PDF-"), data[:20]
    objects = _objects(data)
    catalog = next(h for h, _s in objects.values() if b"/Type /Catalog" in h)
    root = int(re.search(rb"/Pages " + _REF, catalog)[1])
    fonts: dict[int, dict[int, str]] = {}
    pages = []
    for number in _page_refs(objects, root):
        head = objects[number][0]
        font_refs = re.search(rb"/Font\s*<<(.*?)>>", head, re.S)
        named = font_refs[1] if font_refs else b""
        by_name = {
            name: int(ref) for name, ref in re.findall(rb"/([\w.+-]+) " + _REF, named)
        }
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|" + _REF + rb")", head)[1]
        words, glyphs = [], {}
        for ref in re.findall(_REF, contents):
            for match in _SHOW.finditer(objects[int(ref)][1]):
                if match[1]:
                    font = by_name[match[1]]
                    if font not in fonts:
                        unicode = re.search(rb"/ToUnicode " + _REF, objects[font][0])
                        fonts[font] = _unicode_map(objects[int(unicode[1])][1])
                    glyphs = fonts[font]
                    continue
                for hexes in _HEX.findall(match[2] or b"") or [match[3]]:
                    code = hexes.decode()
                    words.append(
                        "".join(
                            glyphs.get(int(code[i : i + 4], 16), "\ufffd")
                            for i in range(0, len(code), 4)
                        )
                    )
                words.append(" ")
        pages.append("".join(words))
    return pages


def squeezed(text: str) -> str:
    """Text without any space or ligature (« ﬀ » as "ff"), to compare what a PDF says
    with what a page says."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
