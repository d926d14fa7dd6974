"""The site's main navigation: the links the registered apps add (`cities.registry.NavLink`)."""

from __future__ import annotations

from django import template

from cities.selectors import NavEntry, nav_links

register = template.Library()


@register.simple_tag
def portal_nav_links() -> list[NavEntry]:
    return nav_links()
