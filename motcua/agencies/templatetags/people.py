from django import template

from motcua.agencies.selectors import person_name

register = template.Library()
register.filter("person_name", person_name)
