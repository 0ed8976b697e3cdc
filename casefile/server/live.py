"""The service's ear on PostgreSQL: one LISTEN connection, fanned out to the live channels.

Payloads are ``CASE_ID:VERSION`` (``VERSION`` -1: the case was deleted) or ``*:0`` (tokens or
memberships changed: every open channel checks its access again).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

log = logging.getLogger(__name__)
RECHECK = -2  # queued for "*": check access, report no version


class Hub:
    def __init__(self, conninfo: str, channel: str):
        self.conninfo = conninfo
        self.channel = channel
        self.queues: dict[str, set[asyncio.Queue[int]]] = defaultdict(set)
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._listen())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def subscribe(self, case_id: str) -> asyncio.Queue[int]:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=100)
        self.queues[case_id].add(queue)
        return queue

    def unsubscribe(self, case_id: str, queue: asyncio.Queue[int]) -> None:
        self.queues[case_id].discard(queue)
        if not self.queues[case_id]:
            del self.queues[case_id]

    def publish(self, payload: str) -> None:
        case_id, _, version = payload.partition(":")
        try:
            number = int(version)
        except ValueError:
            return
        targets = ([q for qs in self.queues.values() for q in qs] if case_id == "*"
                   else list(self.queues.get(case_id, ())))
        for queue in targets:
            if queue.full():  # a slow reader only needs the newest version
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(number if case_id != "*" else RECHECK)

    async def _listen(self) -> None:
        import psycopg

        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.conninfo,
                                                                 autocommit=True) as conn:
                    await conn.execute(f"LISTEN {self.channel}")
                    log.info("listening for new versions")
                    delay = 0.5
                    self.publish("*:0")  # anything missed while reconnecting: look again
                    async for note in conn.notifies():
                        self.publish(note.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database went away: retry, never crash the service
                log.warning("LISTEN connection lost (%s); retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
