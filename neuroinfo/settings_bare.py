"""The site's settings with no middleware and one URL: ``neuroinfo.bare``, the bench's
"Django with nothing in the way"."""

from neuroinfo.settings import *  # noqa: F403 (every setting, then two replaced)

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "neuroinfo.bare"
