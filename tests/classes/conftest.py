"""The classes fixtures, for the tests here."""

from tests.classes.fixtures import instructor, make_session  # noqa: F401
