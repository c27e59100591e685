"""Forms render with labels, an error summary and field-linked errors."""

from django import forms
from django.template import Context, Template


class ExampleForm(forms.Form):
    name = forms.CharField(label="Name you want us to use", max_length=20)
    note = forms.CharField(label="Anything else", required=False, help_text="Optional.")


def test_it_labels_every_field_and_marks_optional_ones():
    html = str(ExampleForm())
    assert '<label for="id_name">Name you want us to use</label>' in html
    assert "(optional)" in html
    assert "error-summary" not in html


def test_it_summarises_errors_at_the_top_linking_to_each_field():
    form = ExampleForm(data={"name": "x" * 30})
    assert not form.is_valid()
    html = str(form)
    summary = html.index("error-summary")
    assert summary < html.index('<label for="id_name">')
    assert 'href="#id_name"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_error"' in html
    assert 'id="id_name_error"' in html


def test_it_keeps_what_was_typed_after_a_failed_submit():
    form = ExampleForm(data={"name": "x" * 30, "note": "keep me"})
    form.is_valid()
    html = Template("{{ form }}").render(Context({"form": form}))
    assert 'value="keep me"' in html
    assert 'value="' + "x" * 30 + '"' in html
