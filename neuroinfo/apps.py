"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeuroinfoConfig(AppConfig):
    """The guide's content, pages and editors' admin."""

    name = "neuroinfo"
    verbose_name = _("Neuroblastoma treatment guide")

    def ready(self) -> None:
        from neuroinfo import (  # noqa: F401
            accounts,
            checks,
            history,
            organisation,
            signals,
        )

        signals.connect()
        accounts.connect()
        history.register_models()
