"""URLs: the admin, and the guide under /en/ and /fr/ with translated paths."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from neuroinfo import (
    feedback,
    operations,
    printable,
    seo,
)
from neuroinfo.explainer import view as explainer_view
from neuroinfo.pages import previews, views
from neuroinfo.search import view as search

guide_patterns = [
    path("", views.home, name="home"),
    path(_("treatments/<slug:slug>/"), views.treatment, name="treatment"),
    path(_("risk-factors/<slug:slug>/"), views.risk_factor, name="risk_factor"),
    path(_("search/"), search.results, name="search"),
    path(_("guide/print/"), printable.guide, name="print"),
    path(_("feedback/"), feedback.submit, name="feedback"),
    path(_("feedback/answer/"), feedback.answer, name="feedback_answer"),
    path("preview/<slug:kind>/<slug:key>/", previews.preview, name="preview"),
    path(_("<slug:slug>/explainer/"), explainer_view.explainer, name="explainer"),
    path("<slug:slug>/", views.guide_page, name="page"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", operations.healthz, name="healthz"),
    path("favicon.ico", operations.favicon),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("robots.txt", seo.robots, name="robots"),
    *i18n_patterns(path("", include((guide_patterns, "neuroinfo")))),
]
if settings.BENCH_VIEWS:
    urlpatterns.append(path("bench/constant/", operations.constant))

handler404 = "neuroinfo.pages.views.not_found"
handler500 = "neuroinfo.operations.server_error"
