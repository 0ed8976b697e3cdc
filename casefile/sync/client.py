"""Talking to the team server over HTTP (standard library only): JSON requests, files, and the
live channel's server-sent events. Every failure becomes one sentence saying what to do."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

from casefile.errors import CasefileError, ValidationError
from casefile.sync.framing import frame, unframe

API_VERSION = 1
IDLE_S = 20.0  # a kept-alive connection unused this long is not trusted (servers drop them)
KEPT = "your work is kept here"


class SyncError(CasefileError):
    """Syncing failed; the local case was not harmed."""


class ServerUnreachable(SyncError):
    """The server could not be reached (down, no network): work on, sync later."""


class TokenRejected(SyncError):
    """The server refused the token (revoked or mistyped)."""


class NoPermission(SyncError):
    """The user's role does not allow this."""


class CaseNotShared(SyncError):
    """The server has no such case the user may see, or it was deleted there."""


class CaseDeleted(CaseNotShared):
    """An owner deleted the case on the server."""


class ServerTooNew(SyncError):
    """The server speaks a newer protocol than this Casefile."""


class VersionMoved(Exception):
    """A push was based on an old version (412): pull, merge, push again."""

    def __init__(self, version: int):
        super().__init__(version)
        self.version = version


class Client:
    """One server and one token. Keeps a connection open between requests; thread-safe (a
    lock around each request), the live channel uses a connection of its own."""

    def __init__(self, url: str, token: str, *, timeout: float = 60.0):
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(f"{url!r} is not a server address; give one like "
                                  "https://casefile.example.org")
        self.url = url.strip().rstrip("/")
        self.token = token
        self.timeout = timeout
        self._parts = parts
        self._prefix = parts.path.rstrip("/") + "/api/v1"
        self._conn: http.client.HTTPConnection | None = None
        self._used = 0.0
        self._lock = threading.Lock()

    # --- plumbing --------------------------------------------------------------------------

    def _connect(self, timeout: float | None) -> http.client.HTTPConnection:
        p = self._parts
        if p.scheme == "https":
            return http.client.HTTPSConnection(p.hostname, p.port, timeout=timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(p.hostname, p.port, timeout=timeout)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Casefile-Api": str(API_VERSION),
                **(extra or {})}

    def request(self, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """(status, body) of one request. A kept-alive connection idle for a while is replaced
        first, and one the server dropped is retried once: safe for every call of this API,
        a push included (a push carries the id its client chose, and the server answers a
        push it already applied as it did the first time)."""
        with self._lock:
            if self._conn is not None and time.monotonic() - self._used > IDLE_S:
                self.close_locked()
            for attempt in (1, 2):
                if self._conn is None:
                    self._conn = self._connect(self.timeout)
                try:
                    self._conn.request(method, self._prefix + path, body=body,
                                       headers=self._headers(headers))
                    resp = self._conn.getresponse()
                    data = resp.read()
                    self._used = time.monotonic()
                    self._check_api(resp)
                    if resp.getheader("Connection", "").lower() == "close":
                        self.close_locked()
                    return resp.status, data
                except (http.client.RemoteDisconnected, BrokenPipeError,
                        ConnectionResetError) as exc:
                    self.close_locked()
                    if attempt == 2:
                        raise self._unreachable(exc) from exc
                except (OSError, http.client.HTTPException) as exc:
                    self.close_locked()
                    raise self._unreachable(exc) from exc
        raise AssertionError("unreachable")

    def close_locked(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        with self._lock:
            self.close_locked()

    def _unreachable(self, exc: BaseException) -> ServerUnreachable:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else (
            "timed out" if isinstance(exc, socket.timeout) else type(exc).__name__)
        return ServerUnreachable(f"cannot reach the team server at {self.url} ({reason}); "
                                 f"{KEPT} — sync again when the server is back")

    def _check_api(self, resp: http.client.HTTPResponse) -> None:
        theirs = resp.getheader("Casefile-Api")
        if theirs is not None and theirs.isdigit() and int(theirs) > API_VERSION:
            raise ServerTooNew(f"the team server speaks a newer sync protocol ({theirs}) than "
                               f"this Casefile ({API_VERSION}): update Casefile to sync; {KEPT}")

    def call(self, method: str, path: str, payload: Any = None, *,
             headers: dict[str, str] | None = None) -> Any:
        body = None if payload is None else json.dumps(payload).encode("utf-8")
        hdrs = {"Content-Type": "application/json", **(headers or {})} if body else headers
        status, data = self.request(method, path, body=body, headers=hdrs)
        return self._answer(status, data)

    def _answer(self, status: int, data: bytes) -> Any:
        if 200 <= status < 300:
            return json.loads(data) if data else None
        try:
            detail = json.loads(data)
        except ValueError:
            detail = {}
        message = (detail.get("error") if isinstance(detail, dict) else None) or f"HTTP {status}"
        if status == 412:
            raise VersionMoved(int(detail.get("version", -1)))
        if status == 401:
            raise TokenRejected("the team server refused your token (revoked or mistyped): ask "
                                "your team's admin for a new one, then run casefile remote set "
                                f"{self.url} --token TOKEN; {KEPT}")
        if status == 403:
            raise NoPermission(f"the team server says: {message}; ask an owner of the case to "
                               f"change your role; {KEPT}")
        if status == 410:
            raise CaseDeleted("the case was deleted on the team server; your copy here is "
                              "untouched — casefile unshare makes it a plain local case again")
        if status == 404:
            raise CaseNotShared(f"the team server says: {message} (ask an owner of the case to "
                                "add you with casefile member add)")
        if status == 426:
            raise ServerTooNew(f"the team server says: {message}; {KEPT}")
        if status >= 500:
            raise SyncError(f"the team server failed (HTTP {status}); try again later (its "
                            f"admin finds the details in the server's log); {KEPT}")
        raise SyncError(f"the team server refused the request: {message}; {KEPT}")

    # --- the API ---------------------------------------------------------------------------

    def me(self) -> str:
        return self.call("GET", "/me")["user"]

    def share(self, case_id: str) -> int:
        return int(self.call("POST", "/cases", {"case": case_id})["version"])

    def delete_case(self, case_id: str) -> None:
        self.call("DELETE", f"/cases/{quote(case_id)}")

    def pull(self, case_id: str, since: int, *, push: str | None = None) -> dict[str, Any]:
        """The changes after ``since``; with ``push``, also the version at which the server
        applied the push of that id (``"push"``, None when it never did)."""
        extra = f"&push={quote(push)}" if push else ""
        return self.call("GET", f"/cases/{quote(case_id)}/changes?since={int(since)}{extra}")

    def push(self, case_id: str, base: int, changes: list[dict[str, Any]],
             push_id: str | None = None) -> dict[str, Any]:
        headers = {"If-Unmodified-Since-Version": str(base)}
        if push_id:
            headers["Casefile-Push-Id"] = push_id
        return self.call("POST", f"/cases/{quote(case_id)}/changes", {"changes": changes},
                         headers=headers)

    def missing_files(self, case_id: str, shas: list[str]) -> list[str]:
        return self.call("POST", f"/cases/{quote(case_id)}/files/missing",
                         {"sha256": shas})["missing"]

    def put_file(self, case_id: str, sha256: str, data: bytes) -> None:
        status, body = self.request("PUT", f"/cases/{quote(case_id)}/files/{sha256}", body=data,
                                    headers={"Content-Type": "application/octet-stream"})
        self._answer(status, body)

    def put_files(self, case_id: str, files: list[tuple[str, bytes]]) -> int:
        status, body = self.request("POST", f"/cases/{quote(case_id)}/files", body=frame(files),
                                    headers={"Content-Type": "application/octet-stream"})
        return int(self._answer(status, body)["added"])

    def get_files(self, case_id: str, shas: list[str]) -> list[tuple[str, bytes]]:
        """Some of the originals asked for (as many as the server sends at once, in order)."""
        status, body = self.request("POST", f"/cases/{quote(case_id)}/files/fetch",
                                    body=json.dumps({"sha256": shas}).encode(),
                                    headers={"Content-Type": "application/json"})
        if status != 200:
            self._answer(status, body)
        try:
            return unframe(body)
        except ValueError as exc:
            raise SyncError(f"the team server sent files that do not add up ({exc}); {KEPT}"
                            ) from exc

    def get_file(self, case_id: str, sha256: str) -> bytes:
        status, body = self.request("GET", f"/cases/{quote(case_id)}/files/{sha256}")
        if status != 200:
            self._answer(status, body)
        return body

    def members(self, case_id: str) -> list[dict[str, str]]:
        return self.call("GET", f"/cases/{quote(case_id)}/members")

    def set_member(self, case_id: str, user: str, role: str) -> None:
        self.call("PUT", f"/cases/{quote(case_id)}/members/{quote(user)}", {"role": role})

    def remove_member(self, case_id: str, user: str) -> None:
        self.call("DELETE", f"/cases/{quote(case_id)}/members/{quote(user)}")

    def log(self, case_id: str) -> list[dict[str, Any]]:
        return self.call("GET", f"/cases/{quote(case_id)}/log")

    def events(self, case_id: str, *, idle_timeout: float = 45.0) -> Iterator[int]:
        """The versions the server announces for the case, as they come (the current one
        first). Ends when the server closes the channel; raises like the other calls."""
        conn = self._connect(idle_timeout)
        try:
            try:
                conn.request("GET", f"{self._prefix}/cases/{quote(case_id)}/events",
                             headers=self._headers({"Accept": "text/event-stream"}))
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                raise self._unreachable(exc) from exc
            self._check_api(resp)
            if resp.status != 200:
                self._answer(resp.status, resp.read())
            event, data = "message", ""
            while True:
                try:
                    raw = resp.readline()
                except (OSError, http.client.HTTPException) as exc:
                    raise self._unreachable(exc) from exc
                if not raw:
                    return
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if line.startswith(":"):
                    continue
                if line:
                    name, _, value = line.partition(":")
                    if name == "event":
                        event = value.strip()
                    elif name == "data":
                        data = value.strip()
                    continue
                if event == "version" and data.lstrip("-").isdigit():
                    yield int(data)
                elif event == "closed":
                    raise CaseNotShared("the team server ended the live channel: your access "
                                        f"to the case ended; {KEPT}")
                event, data = "message", ""
        finally:
            conn.close()
