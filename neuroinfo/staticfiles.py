"""Static files as production serves them: the site's CSS and JavaScript minified.

Every public page must stay within 50 KB with its stylesheets and scripts, so what a
phone downloads is what counts: comments and spacing help whoever edits the files in
``static/`` and no one who reads a page. ``collectstatic`` minifies the site's own
``css/`` and ``js/`` files (rcssmin and rjsmin, which only drop what a browser ignores)
before WhiteNoise names them by their content and compresses them. Files of other apps
(the admin's) are collected as they come.
"""

import rcssmin
import rjsmin
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

OWN = ("css/", "js/")  # the site's own folders under static/


def minified(name: str, text: str) -> str:
    """The text of a static file as it is served."""
    if name.startswith(OWN) and name.endswith(".css"):
        return rcssmin.cssmin(text)
    if name.startswith(OWN) and name.endswith(".js"):
        return rjsmin.jsmin(text)
    return text


class MinifiedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage (content-hashed names, gzip and brotli copies), with the
    site's CSS and JavaScript minified as they are collected."""

    def _save(self, name: str, content) -> str:
        if name.startswith(OWN) and name.endswith((".css", ".js")):
            content.seek(0)  # hashing the file may have read it already
            text = content.read().decode("utf-8")
            content = ContentFile(minified(name, text).encode("utf-8"))
        return super()._save(name, content)
