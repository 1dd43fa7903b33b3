"""Word-level diffs shown to reviewers."""

from neuroinfo.diffs import word_diff


def test_changed_words_are_marked_on_each_side():
    diff = word_diff(
        "Surgery removes the tumour.", "Surgery removes most of the tumour."
    )
    assert diff.old == "Surgery removes the tumour."
    assert diff.new == "Surgery removes <ins>most of </ins>the tumour."
    assert diff.changed


def test_a_replaced_word_is_deleted_on_the_left_and_inserted_on_the_right():
    diff = word_diff("over 30 % smaller", "over 40 % smaller")
    assert diff.old == "over <del>30</del> % smaller"
    assert diff.new == "over <ins>40</ins> % smaller"


def test_markup_in_the_text_is_escaped_not_run():
    diff = word_diff("", "<script>alert(1)</script> & more")
    assert "<script>" not in diff.new
    assert "&lt;script&gt;" in diff.new


def test_empty_and_none_are_the_same_and_unchanged():
    diff = word_diff(None, "")
    assert diff.old == diff.new == ""
    assert not diff.changed


def test_line_breaks_are_kept():
    diff = word_diff("one\ntwo", "one\nthree")
    assert diff.old == "one\n<del>two</del>"
    assert diff.new == "one\n<ins>three</ins>"


def test_field_diffs_name_the_field_and_its_language():
    from neuroinfo.diffs import field_diffs
    from neuroinfo.models import Treatment

    # In the model's field order; unchanged fields are left out.
    rows = field_diffs(
        Treatment,
        {"title_en": "Surgery", "title_fr": "Chirurgie", "order": 1},
        {"title_en": "Surgery", "title_fr": "La chirurgie", "order": 2},
    )
    assert [(r.name, r.label, r.language) for r in rows] == [
        ("title_fr", "title", "fr"),
        ("order", "order", ""),
    ]
    assert rows[0].diff.old == "<del>Chirurgie</del>"
    assert rows[0].diff.new == "<ins>La chirurgie</ins>"
