"""The kinds of item are listed once (``neuroinfo.kinds``): every model a family reads
is one of them, and the modules that work kind by kind take them from there."""

import pytest
from django.apps import apps
from modeltranslation.translator import translator

from neuroinfo import history, kinds, links
from neuroinfo.contentfiles import schema
from neuroinfo.models.base import TextItem


def test_every_model_families_read_is_a_kind_and_no_other():
    readable = {
        model.__name__
        for model in apps.get_app_config("neuroinfo").get_models()
        if issubclass(model, TextItem)
    }
    assert readable == set(kinds.MODEL_NAMES)
    assert len(set(kinds.REFS)) == len(kinds.KINDS)
    assert len({kind.folder for kind in kinds.KINDS}) == len(kinds.KINDS)


def test_links_files_history_and_translation_follow_the_kinds():
    assert [model.__name__ for model in links.content_models()] == list(
        kinds.MODEL_NAMES
    )
    assert {kind.name for kind in schema.KINDS} == set(kinds.REFS)
    assert set(history.FOLLOW) == set(kinds.MODEL_NAMES)
    registered = {model.__name__ for model in translator.get_registered_models()}
    assert set(kinds.MODEL_NAMES) <= registered


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda kind: kind.ref)
def test_each_kind_round_trips_between_reference_and_model(kind):
    model = kind.model_class
    assert links.model_for(kind.ref) is model
    assert links.kind_of(model(key="x")) == kind.ref
    for row in kind.rows:  # the rows its history follows are the model's own
        assert model._meta.get_field(row).one_to_many
    guide_fields = {"summary", "key_points", "meta_description"}
    own = {field.name for field in model._meta.get_fields()}
    assert guide_fields <= own if kind.guide else not guide_fields & own
