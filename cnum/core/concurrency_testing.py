"""Concurrency tests on PostgreSQL: several calls in real threads and connections, released at
the same instant, to prove that a row lock lets exactly the right ones through."""

import threading

from django.db import connections


def race(calls, refused=Exception):
    """Run each call in its own thread; returns the sorted outcomes: "ok", or the name of the
    `refused` exception a call raised (anything else fails the test)."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except refused as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)
