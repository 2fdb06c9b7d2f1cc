"""`{% error_summary form [other_form …] %}`: at the top of a refused form, every problem in one
list, each linking to its field (GOV.UK's error summary). `{% page_error_summary %}` (in
`base.html`) does it for every form of the page's context whatever its name (`form`,
`rating_form`, `plan_form` …); a panel rendered on its own (the station page's opinion form)
includes `error_summary` itself."""

from django import forms, template

register = template.Library()


@register.inclusion_tag("_error_summary.html", takes_context=True)
def page_error_summary(context):
    forms_with_errors, seen = [], set()
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm) and value.is_bound and id(value) not in seen:
            seen.add(id(value))
            forms_with_errors.append(value)
    return error_summary(*forms_with_errors)


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms):
    problems = []
    for form in forms:
        if not getattr(form, "is_bound", False) or not form.errors:
            continue
        for error in form.non_field_errors():
            problems.append({"anchor": "", "label": "", "message": error})
        for field in form:
            for error in field.errors:
                # A group of radios or checkboxes has no label target: the first one gets the focus.
                anchor = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
                problems.append({"anchor": anchor, "label": field.label, "message": error})
    return {"problems": problems}
