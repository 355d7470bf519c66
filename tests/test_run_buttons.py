"""The run buttons' callback (``ui.train.panels.command``) against a run that moves on its own.

The training loop sets a run's status a moment before it publishes the snapshot, and another tab
can pause the run between this page's check and its command: neither is a refusal to show."""

from types import SimpleNamespace

import pytest

from gancore.base.errors import RunError
from gancore.runs.snapshot import Status
from ui.train import panels


class Run:
    """A run whose status and snapshot can disagree, as they do for a moment in the real loop."""

    def __init__(self, status: Status, shown: Status):
        self.status, self.snapshot = status, SimpleNamespace(status=shown, step=7)
        self.sent: list[str] = []

    def pause(self, becomes: Status | None = None) -> None:
        if becomes is not None:  # paused elsewhere while this command was on its way
            self.status = becomes
        if self.status is not Status.RUNNING:
            raise RunError("the run is already paused")
        self.sent.append("pause")

    def step(self) -> None:
        raise RunError("pause the run first; single steps are for a paused run")


@pytest.fixture
def session(monkeypatch):
    state: dict = {}
    monkeypatch.setattr(panels, "st", SimpleNamespace(session_state=state))
    monkeypatch.setattr(panels, "settle", lambda run, verb: lambda: None)
    return state


def test_a_run_already_paused_but_not_yet_published_is_no_refusal(session):
    run = Run(Status.PAUSED, shown=Status.RUNNING)
    panels.command(run, "pause", run.pause)
    assert "ctl.refused" not in session and run.sent == []


def test_a_run_paused_by_another_tab_during_the_command_is_no_refusal(session):
    run = Run(Status.RUNNING, shown=Status.RUNNING)
    panels.command(run, "pause", lambda: run.pause(becomes=Status.PAUSED))
    assert "ctl.refused" not in session


class ProcessRun:
    """A run in a training process: its status is its snapshot's, and the snapshot that shows the
    pause made elsewhere arrives only after the process has refused this page's pause."""

    def __init__(self):
        self.refused, self.reads_since = False, 0

    @property
    def snapshot(self):
        self.reads_since += self.refused
        shown = Status.PAUSED if self.reads_since > 2 else Status.RUNNING  # it arrives a few reads after the refusal
        return SimpleNamespace(status=shown, step=7)

    @property
    def status(self) -> Status:
        return self.snapshot.status

    def pause(self) -> None:
        self.refused = True
        raise RunError("the run is already paused")


def test_a_process_runs_refusal_waits_for_the_snapshot_that_explains_it(session):
    run = ProcessRun()
    panels.command(run, "pause", run.pause)
    assert run.refused and "ctl.refused" not in session


def test_a_running_run_is_paused_and_a_real_refusal_is_kept(session):
    run = Run(Status.RUNNING, shown=Status.RUNNING)
    panels.command(run, "pause", run.pause)
    assert run.sent == ["pause"] and "ctl.refused" not in session
    panels.command(run, "step", run.step)
    assert "pause the run first" in session["ctl.refused"]


def test_arrived_knows_only_the_verbs_with_a_goal():
    assert panels.arrived(Run(Status.RUNNING, Status.RUNNING), "resume")
    assert not panels.arrived(Run(Status.RUNNING, Status.RUNNING), "pause")
    assert not panels.arrived(Run(Status.PAUSED, Status.PAUSED), "stop")
