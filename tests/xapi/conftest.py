"""The test LRS and the classes fixtures, for the tests here."""

from tests.classes.fixtures import instructor, make_session  # noqa: F401
from tests.xapi.lrs import lrs  # noqa: F401
