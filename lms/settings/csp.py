"""The two Content-Security-Policies (the middleware is ``lms.security``)."""

from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE


def origin(url: str) -> str:
    """``https://idp.example.com`` from any URL on it; "" for anything else."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def site_policy(*, form_targets=(), media_origins=()) -> dict:
    """The strict policy for every page outside the admin.

    ``form_targets`` are origins a form may lead to (an identity provider's sign-in
    page after the SSO button's POST); ``media_origins`` serve uploaded images
    (an S3 bucket's domain)."""
    return {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *media_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, *media_origins],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *form_targets],
    }


def admin_policy(site: dict) -> dict:
    """The admin's policy: the site's, loosened only where Wagtail needs it."""
    return {
        **site,
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [*site["img-src"], "blob:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
    }
