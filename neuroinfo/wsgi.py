"""WSGI entry point for application servers: Django, behind the pages this process
keeps (``neuroinfo.pagehits``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neuroinfo.settings")
django_application = get_wsgi_application()

from neuroinfo.pagehits import KeptPages  # noqa: E402 (needs Django set up first)

application = KeptPages(django_application)
