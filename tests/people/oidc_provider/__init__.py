"""A separate, minimal OpenID provider built with django-oauth-toolkit, run in its
own process on 127.0.0.1 by the single sign-on tests (see ``serve.py``)."""
