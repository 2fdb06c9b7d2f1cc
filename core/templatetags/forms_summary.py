"""`{% error_summary form [other_form …] %}`: at the top of a refused form, every problem in one
list, each linking to its field (GOV.UK's error summary). `base.html` shows it for the page's
`form`; a page whose form has another name includes it itself."""

from django import template

register = template.Library()


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms):
    problems = []
    for form in forms:
        if not getattr(form, "errors", None):
            continue
        for error in form.non_field_errors():
            problems.append({"anchor": "", "label": "", "message": error})
        for field in form:
            for error in field.errors:
                # A group of radios or checkboxes has no label target: the first one gets the focus.
                anchor = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
                problems.append({"anchor": anchor, "label": field.label, "message": error})
    return {"problems": problems}
