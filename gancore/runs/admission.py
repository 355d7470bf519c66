"""Room for one more run: the caps a new run must fit under, each refusal in the words of what to do.

A mixin of :class:`gancore.runs.registry.Registry` (its runs, slots and backend), checked under
the registry's lock when a run is created.
"""

from __future__ import annotations

from gancore.base.errors import RegistryFull, SlotsBusy
from gancore.base.i18n import _
from gancore.models import catalog
from gancore.runs.protocol import Backend

MAX_STORED_RUNS = 80  # a class of thirty: each a toy run, many an image run too
MAX_STORED_PER_OWNER = 8
MAX_TOY_LIVE = 40  # toy runs on the toy host at once (they hold no training slot)


class Admission:
    """The checks :meth:`Registry.create` makes before a run is built."""

    def _check_room(self, owner: str, model_cfg, free: int) -> None:
        """Raise RegistryFull (or SlotsBusy, which offers a place in line) when ``owner``'s new run
        of ``model_cfg`` does not fit: the owner's share, the runs kept, the device's slots, a Ray
        cluster's ``free`` places, the toy host's cap, the registry's size."""
        live = [e for e in self._runs.values() if self._holds_slot(e.run)]
        mine = [e for e in self._runs.values() if e.owner == owner]
        per_owner = self.max_live_per_owner
        # A toy run for the toy host holds no slot, so the slots' checks are not its: with the two
        # image slots taken, a student pressing Start in the 2D lab was refused "2 runs are training".
        hosted = self._toys is not None and catalog.of(model_cfg).tiny and self.backend is not Backend.RAY
        if not hosted and sum(e in live for e in mine) >= per_owner:
            raise RegistryFull(
                _(
                    "you already have {per_owner} run(s) training, your share of this server's {max_live}. Pause or stop one of yours first."
                ).format(per_owner=per_owner, max_live=self.max_live)
            )
        if len(mine) >= MAX_STORED_PER_OWNER:
            raise RegistryFull(
                _("you have {n_mine} runs kept here (at most {MAX_STORED_PER_OWNER}). Save and remove finished ones first.").format(
                    n_mine=len(mine), MAX_STORED_PER_OWNER=MAX_STORED_PER_OWNER
                )
            )
        if not hosted and len(live) >= self.max_live:
            raise SlotsBusy(
                _(
                    "{n_live} runs are already training on this {value} (the limit here is {max_live}). Pause or stop one, or wait for it to finish."
                ).format(
                    n_live=len(live),
                    value=_("Ray cluster") if self.backend is Backend.RAY else self.device.type.upper(),
                    max_live=self.max_live,
                )
            )
        if free < 1:
            raise SlotsBusy(
                _(
                    "the Ray cluster has no free {value} for another run now ({free} free of {max_live}). Pause or stop a run, or wait for one to finish."
                ).format(value="GPU" if self.device.type == "cuda" else "CPUs", free=free, max_live=self.max_live)
            )
        if self._toys is not None and catalog.of(model_cfg).tiny and self._toys.live_runs >= MAX_TOY_LIVE:
            raise RegistryFull(
                _("{MAX_TOY_LIVE} toy runs are training on this server. Pause or stop one, or wait for one to finish.").format(
                    MAX_TOY_LIVE=MAX_TOY_LIVE
                )
            )
        if len(self._runs) >= MAX_STORED_RUNS:
            raise RegistryFull(
                _("{MAX_STORED_RUNS} runs are kept in memory. Save the ones you need and remove finished ones first.").format(
                    MAX_STORED_RUNS=MAX_STORED_RUNS
                )
            )
