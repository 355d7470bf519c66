"""Text from users made safe to show: a page renders labels as markdown."""

from __future__ import annotations

import re

MARKUP = re.compile(r"[\\`*_\[\]{}<>#|~$!]")  # what makes a label markdown or HTML on a page


def plain(label: str) -> str:
    """A run's label as plain words: an upload's file name or a student's text may not carry
    markdown or HTML onto every page that shows the label (its characters are dropped)."""
    return " ".join(MARKUP.sub(" ", label).split())[:120]
