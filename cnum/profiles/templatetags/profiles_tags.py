from django import template

from cnum.profiles.todo import todo_for

register = template.Library()


@register.inclusion_tag("profiles/_todo.html")
def todo_block(user):
    """The "À faire" block of a landing page: counts and links for each of the person's roles."""
    return {"sections": todo_for(user)}
