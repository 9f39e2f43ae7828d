from wagtail import hooks

from . import page_cache

hooks.register("before_serve_page", page_cache.mark_if_visitor_page)
