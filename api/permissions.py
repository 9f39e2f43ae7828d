"""Each view names the scope it needs for reading and for writing."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .callers import Caller


class HasScope(BasePermission):
    message = "This token does not carry the scope this needs."

    def has_permission(self, request, view) -> bool:
        if getattr(view, "public", False):
            return True
        caller = request.auth
        if not isinstance(caller, Caller):
            return False
        needed = view.read_scope if request.method in SAFE_METHODS else view.write_scope
        return needed in caller.scopes
