"""The HTTP service (FastAPI): every request names its user by token, every case request is
checked against the user's role, and each runs in one transaction as that user (row-level
security). ``/events`` streams "new version" notices (server-sent events) from PostgreSQL's
LISTEN/NOTIFY to the members of a case."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from casefile import __version__
from casefile.server import store
from casefile.server.db import CHANNEL, acting, engine_for, libpq_url, user_for_token
from casefile.server.live import Hub
from casefile.sync.framing import frame
from casefile.sync.framing import unframe as _unframe

log = logging.getLogger("casefile.server")
T = TypeVar("T")
MAX_BODY = 1024**3
HEARTBEAT_S = 15.0


class Refused(Exception):
    def __init__(self, status: int, message: str, **extra: Any):
        self.status, self.message, self.extra = status, message, extra


def create_app(db_url: str, *, engine: Engine | None = None) -> FastAPI:
    engine = engine or engine_for(db_url)
    hub = Hub(libpq_url(db_url), CHANNEL)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        hub.start()
        yield
        await hub.stop()
        engine.dispose()

    app = FastAPI(title="Casefile team server", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(Refused)
    async def _refused(_request: Request, exc: Refused) -> JSONResponse:
        return JSONResponse({"error": exc.message, **exc.extra}, status_code=exc.status,
                            headers={"Casefile-Api": str(store.API_VERSION)})

    @app.middleware("http")
    async def _api_header(request: Request, call_next: Callable) -> Response:
        response = await call_next(request)
        response.headers["Casefile-Api"] = str(store.API_VERSION)
        return response

    def user_of(authorization: str | None) -> store.Acting:
        token = (authorization or "").removeprefix("Bearer ").strip()
        with acting(engine, None) as s:
            user = user_for_token(s, token)
            if user is None:
                raise Refused(401, "the server does not accept this token (revoked or "
                                   "mistyped)")
            return store.Acting(user.id, user.name)

    def run(authorization: str | None, fn: Callable[..., T], **kw: Any) -> T:
        user = user_of(authorization)
        try:
            with acting(engine, user.id) as s:
                return fn(s, user=user, **kw)
        except store.StoreError as exc:
            raise Refused(exc.status, exc.message, **exc.extra) from None

    async def body_json(request: Request) -> Any:
        raw = await _body(request)
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise Refused(400, "the request body is not JSON") from exc

    @app.get("/api/v1/info")
    def info() -> dict[str, Any]:
        return {"server": "casefile-server", "version": __version__, "api": store.API_VERSION,
                "format": store.FORMAT_VERSION}

    @app.get("/api/v1/me")
    def me(authorization: str | None = Header(None)) -> dict[str, Any]:
        return {"user": user_of(authorization).name}

    @app.post("/api/v1/cases")
    async def share(request: Request, authorization: str | None = Header(None)) -> Any:
        body = await body_json(request)
        case_id = body.get("case") if isinstance(body, dict) else None
        version = await run_in_threadpool(run, authorization, store.create_case,
                                          case_id=str(case_id or ""))
        return {"case": case_id, "version": version}

    @app.delete("/api/v1/cases/{case_id}")
    def delete(case_id: str, authorization: str | None = Header(None)) -> Any:
        run(authorization, store.delete_case, case_id=case_id)
        return {"case": case_id, "deleted": True}

    @app.get("/api/v1/cases/{case_id}/changes")
    def pull(case_id: str, since: int = 0, push: str | None = None,
             authorization: str | None = Header(None)) -> Any:
        body = run(authorization, store.pull, case_id=case_id, since=since, push=push)
        return Response(body, media_type="application/json")

    @app.post("/api/v1/cases/{case_id}/changes")
    async def push(case_id: str, request: Request, authorization: str | None = Header(None),
                   if_unmodified_since_version: int | None = Header(None),
                   casefile_push_id: str | None = Header(None)) -> Any:
        if if_unmodified_since_version is None:
            raise Refused(428, "a push says which version it was based on "
                               "(If-Unmodified-Since-Version)")
        body = await body_json(request)
        changes = body.get("changes") if isinstance(body, dict) else None
        return await run_in_threadpool(run, authorization, store.push, case_id=case_id,
                                       base=if_unmodified_since_version, changes=changes,
                                       push_id=casefile_push_id)

    @app.post("/api/v1/cases/{case_id}/files/missing")
    async def missing(case_id: str, request: Request,
                      authorization: str | None = Header(None)) -> Any:
        body = await body_json(request)
        shas = body.get("sha256") if isinstance(body, dict) else None
        return {"missing": await run_in_threadpool(run, authorization, store.missing_files,
                                                   case_id=case_id, shas=shas)}

    @app.put("/api/v1/cases/{case_id}/files/{sha256}")
    async def put_file(case_id: str, sha256: str, request: Request,
                       authorization: str | None = Header(None)) -> Any:
        data = await _body(request)
        added = await run_in_threadpool(run, authorization, store.put_file, case_id=case_id,
                                        sha256=sha256, data=data)
        return {"sha256": sha256, "added": added}

    @app.post("/api/v1/cases/{case_id}/files")
    async def put_files(case_id: str, request: Request,
                        authorization: str | None = Header(None)) -> Any:
        files = unframe(await _body(request))
        added = await run_in_threadpool(run, authorization, store.put_files, case_id=case_id,
                                        files=files)
        return {"added": added}

    @app.post("/api/v1/cases/{case_id}/files/fetch")
    async def get_files(case_id: str, request: Request,
                        authorization: str | None = Header(None)) -> Any:
        body = await body_json(request)
        shas = body.get("sha256") if isinstance(body, dict) else None
        found = await run_in_threadpool(run, authorization, store.get_files, case_id=case_id,
                                        shas=shas)
        return Response(frame(found), media_type="application/octet-stream")

    @app.get("/api/v1/cases/{case_id}/files/{sha256}")
    def get_file(case_id: str, sha256: str, authorization: str | None = Header(None)) -> Any:
        data = run(authorization, store.get_file, case_id=case_id, sha256=sha256)
        return Response(data, media_type="application/octet-stream")

    @app.get("/api/v1/cases/{case_id}/members")
    def members(case_id: str, authorization: str | None = Header(None)) -> Any:
        return run(authorization, store.members, case_id=case_id)

    @app.put("/api/v1/cases/{case_id}/members/{name}")
    async def set_member(case_id: str, name: str, request: Request,
                         authorization: str | None = Header(None)) -> Any:
        body = await body_json(request)
        role = body.get("role") if isinstance(body, dict) else None
        await run_in_threadpool(run, authorization, store.set_member, case_id=case_id,
                                name=name, role=str(role))
        return {"user": name, "role": role}

    @app.delete("/api/v1/cases/{case_id}/members/{name}")
    def remove_member(case_id: str, name: str, authorization: str | None = Header(None)) -> Any:
        run(authorization, store.remove_member, case_id=case_id, name=name)
        return {"user": name, "removed": True}

    @app.get("/api/v1/cases/{case_id}/log")
    def audit(case_id: str, authorization: str | None = Header(None)) -> Any:
        return run(authorization, store.audit_log, case_id=case_id)

    @app.get("/api/v1/cases/{case_id}/events")
    async def events(case_id: str, request: Request,
                     authorization: str | None = Header(None)) -> Any:
        version = await run_in_threadpool(run, authorization, store.version_of, case_id=case_id)

        def still_allowed() -> bool:
            try:
                run(authorization, store.version_of, case_id=case_id)
                return True
            except Refused:
                return False

        async def stream() -> AsyncIterator[bytes]:
            queue = hub.subscribe(case_id)
            try:
                yield f"event: version\ndata: {version}\n\n".encode()
                while True:
                    try:
                        payload = await asyncio.wait_for(queue.get(), HEARTBEAT_S)
                    except TimeoutError:
                        payload = None
                    if not await run_in_threadpool(still_allowed):
                        yield b"event: closed\ndata: access ended\n\n"
                        return
                    if payload is None:
                        yield b": keep-alive\n\n"
                    elif payload >= 0:
                        yield f"event: version\ndata: {payload}\n\n".encode()
            finally:
                hub.unsubscribe(case_id, queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache",
                                          "X-Accel-Buffering": "no"})

    return app


def unframe(raw: bytes) -> list[tuple[str, bytes]]:
    """Files sent together (``casefile.sync.client.frame``), refused whole when malformed."""
    try:
        return _unframe(raw)
    except ValueError as exc:
        raise Refused(400, f"the files are not framed as expected ({exc})") from None


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise Refused(413, f"a request body is at most {MAX_BODY:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise Refused(413, f"a request body is at most {MAX_BODY:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
