"""Form rendering shared by every app: labelled fields and an error summary at the top."""

from django.forms.renderers import DjangoTemplates


class AccessibleFormRenderer(DjangoTemplates):
    """Renders forms with an error summary linking to each field (GOV.UK pattern), so a
    screen-reader or keyboard user learns at once what to fix and can jump there."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
