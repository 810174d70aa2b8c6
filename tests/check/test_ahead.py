"""Work started ahead: each task runs once, on a worker or on whoever needs it first."""

from __future__ import annotations

import threading

import pytest

from report_builder.check.ahead import Task, start


def test_workers_run_the_tasks_once_in_order() -> None:
    runs: list[int] = []
    tasks = [Task(lambda n: runs.append(n) or n * n, n) for n in range(50)]
    start(tasks)
    assert [t.result() for t in tasks] == [n * n for n in range(50)]
    assert sorted(runs) == list(range(50))  # once each, whoever ran them


def test_a_task_nobody_started_is_run_by_the_caller() -> None:
    task = Task(lambda _: threading.current_thread(), None)
    assert task.result() is threading.current_thread()


def test_an_error_reaches_whoever_asks() -> None:
    task = Task(lambda n: 1 // n, 0)
    start([task])
    with pytest.raises(ZeroDivisionError):
        task.result()


def test_a_cancelled_task_never_runs() -> None:
    ran: list[bool] = []
    task = Task(lambda _: ran.append(True), None)
    task.cancel()
    start([task])
    assert task.result() is None and ran == []
