"""What the types' editor blocks share."""

from wagtail import blocks


def block_error(block_errors: dict) -> blocks.StructBlockValidationError:
    """A block's validation error, each message shown at its field."""
    return blocks.StructBlockValidationError(block_errors=block_errors)
