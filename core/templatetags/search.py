"""{{ text|highlight:terms }} and {{ text|snippet:terms }}: the words a search found, marked
with <mark> in escaped text (core.search)."""

from django import template

from core import search

register = template.Library()


@register.filter
def highlight(text, terms):
    return search.highlight(text, terms or ())


@register.filter
def snippet(text, terms):
    return search.snippet(text, terms or ())
