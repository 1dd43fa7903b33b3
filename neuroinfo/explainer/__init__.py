"""The response-to-treatment explainer: what a report says, in, which category the
source's criteria describe, out.

``engine`` decides (from the criteria editors own); ``numbers`` reads a number as the
reader types it; ``fields`` and ``questions`` ask; ``form`` checks the answers
together and turns them into findings; ``view`` serves the page, ``head`` its
description, Open Graph tags and JSON-LD; ``address`` gives its address to the pages
that link to it.
"""
