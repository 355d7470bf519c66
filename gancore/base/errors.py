"""Error types shared by the data modules."""


class DataError(ValueError):
    """A dataset cannot be loaded; the message says why and what to do."""
