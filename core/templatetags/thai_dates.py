"""``{% load thai_dates %}``: the filters ``thai_date`` and ``thai_datetime`` (core.thai_dates)."""

from django import template

from core.thai_dates import format_thai_date, format_thai_datetime

register = template.Library()


@register.filter
def thai_date(value):
    return format_thai_date(value)


@register.filter
def thai_datetime(value):
    return format_thai_datetime(value)
