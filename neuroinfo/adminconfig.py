"""The admin app, configured with the guide's own admin site."""

from django.contrib.admin.apps import AdminConfig


class NeuroinfoAdminConfig(AdminConfig):
    """django.contrib.admin whose site lists reviews due and translation status."""

    default_site = "neuroinfo.adminsite.NeuroinfoAdminSite"
