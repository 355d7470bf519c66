"""Every error a person can see, in one place: each says what went wrong and what to do, in one
sentence a student understands. Pages and the CLI catch these (never a bare Exception) and show
the message; anything else is a bug."""

# ----------------------------------------------------------------------------- configuration


class ConfigError(ValueError):
    """A configuration value is outside its allowed range."""


class FamilyError(ConfigError):
    """No family of that name is registered."""


class PresetError(KeyError):
    """No preset of that name; the message lists the known ones."""

    def __str__(self) -> str:
        return str(self.args[0])


# ----------------------------------------------------------------------------- data and inputs


class DataError(ValueError):
    """A dataset cannot be loaded; the message says why and what to do."""


class SamplerError(ValueError):
    """The dataset cannot give batches of the requested size."""


class TextError(ValueError):
    """A sentence the model cannot read (none of its words are known)."""


class PictureError(ValueError):
    """An uploaded or drawn picture that cannot be used, in words."""


class CheckpointError(ValueError):
    """A checkpoint cannot be saved or loaded; the message says why."""


# ----------------------------------------------------------------------------- runs


class RunError(RuntimeError):
    """A command that does not fit the run's state; the message says what to do instead."""


class RayUnavailable(RunError):
    """The Ray backend was asked for but Ray is missing or its cluster cannot be reached."""


class RegistryFull(RunError):
    """No room for another run; the message says how to make room."""


class SlotsBusy(RegistryFull):
    """Every training slot is taken: a place in line is offered instead."""


class NotOwner(RunError):
    """A session tried to steer a run it only watches."""


class NotTeacher(RunError):
    """Someone other than the teacher tried to pin a run for the class."""


class BadName(ValueError):
    """A nickname the class view will not show; the message says why."""


# ----------------------------------------------------------------------------- the command line


class CLIError(Exception):
    """A user mistake on the command line: printed as one line, exit code 2."""


class LearnError(CLIError):
    """A bad option value of ``python -m gancore learn``: printed as one line, exit code 2."""
