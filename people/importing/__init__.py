"""Importing people from a CSV or XLSX file: read it, plan every change and every
problem (with line and column), then write the plan all at once, or nothing.

``preview(data, filename, options)`` reads and plans without writing;
``apply(plan, actor)`` writes a plan that has no problems. Re-running the same
file plans nothing to change: people are matched by e-mail, ignoring case.
"""

from .applying import apply
from .columns import COLUMNS, canonical_header
from .planning import ImportOptions, Plan, preview

__all__ = ["COLUMNS", "ImportOptions", "Plan", "apply", "canonical_header", "preview"]
