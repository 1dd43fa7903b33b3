"""Names other modules still import from here while they are moved to the outline
and the frame (``neuroinfo.frame.page_frame``); nothing else lives here.

The guide's views are in ``neuroinfo.pages``. Once search, the explainer and the
admin's preview import from their new homes, this module goes.
"""

from neuroinfo.frame import language_alternates
from neuroinfo.pagekeys import ABOUT as ABOUT_KEY
from neuroinfo.pagekeys import PRIVACY as PRIVACY_KEY
from neuroinfo.pages.previews import preview_page

__all__ = ["ABOUT_KEY", "PRIVACY_KEY", "language_alternates", "preview_page"]
