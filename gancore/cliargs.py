"""argparse types that refuse a bad value with the reason, instead of replacing it."""

from __future__ import annotations

import argparse
import math


class Parser(argparse.ArgumentParser):
    """Mistakes in the options print one line, ``error: …``, like every other refusal (exit 2)."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def positive(kind: type):
    """A finite number above 0: 0, NaN and infinity are refused, never replaced by a default."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {'whole ' if kind is int else ''}number") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"must be a finite number above 0, not {text}")
        return value

    return parse


def floats(text: str) -> tuple[float, ...]:
    """Comma-separated finite numbers, e.g. ``-2,2``."""
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"numbers must be finite, got {text!r}")
    return values
