from django import template

register = template.Library()


@register.filter
def phone_for(reception, user):
    """{{ reception|phone_for:user }}: the full number for staff and the recording deputy,
    138****1234 for everyone else."""
    return reception.phone_for(user)


@register.filter
def weekday_cn(day):
    return "一二三四五六日"[day.weekday()] if day else ""
