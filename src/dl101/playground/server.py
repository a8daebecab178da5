"""The playground's server: Starlette on uvicorn, one :class:`~.session.Session` per WebSocket.

- Every HTTP and WebSocket request carries the token (``?token=``, the cookie the page's first
  load sets, or the ``X-Dl101-Token`` header): none gives 401, a wrong one 403, as Jupyter does.
- A WebSocket whose ``Origin`` is not the page's own (``http://`` + the Host it asked) is refused
  with 403: a foreign web page must not drive the local server.
- Each socket gets its own session, freed when the socket closes; its loop, the player and the
  frame sender are :class:`~.connection.Connection`'s.

This module holds the routes (the page, the downloads, the socket's door) and the gate in front.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import urllib.parse
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket

from ..checks import Dl101Error
from . import exports
from .connection import Connection
from .session import Session

STATIC = Path(__file__).with_name("static")
COOKIE = "dl101_playground_token"


def new_token() -> str:
    return secrets.token_hex(24)


def _given_token(scope):
    query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0]
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    if "x-dl101-token" in headers:
        return headers["x-dl101-token"]
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


class TokenGate:
    """ASGI middleware: no token → 401, a wrong one → 403, for HTTP and WebSocket alike."""

    def __init__(self, app, token):
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        given = _given_token(scope)
        if given is not None and hmac.compare_digest(given.encode(), self.token.encode()):
            return await self.app(scope, receive, send)
        status = 401 if given is None else 403
        response = PlainTextResponse(
            "dl101 playground: this page needs the token printed by `dl101 playground` "
            "(open the URL it printed)" if status == 401 else "dl101 playground: wrong token",
            status_code=status)
        if scope["type"] == "http":
            return await response(scope, receive, send)
        await deny(WebSocket(scope, receive, send), response)


async def deny(websocket, response):
    """Refuse a WebSocket before accepting it: with an HTTP response where the server can send
    one (uvicorn, Starlette's TestClient), else by closing it (the handshake then gets 403)."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(response)
    else:
        await websocket.close(code=1008)


def same_origin(websocket) -> bool:
    """Whether the socket's Origin is the page's: ``http://`` and the Host the request names."""
    origin, host = websocket.headers.get("origin"), websocket.headers.get("host")
    return origin is not None and host is not None and origin in (f"http://{host}", f"https://{host}")


async def page(request: Request):
    """The page; its first load with ``?token=`` leaves the token in a cookie for the modules."""
    response = FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})
    token = request.query_params.get("token")
    if token:
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
    return response


async def download(request: Request):
    """``/download/model.npz?session=ID`` and the other :data:`.exports.FILES`."""
    name = request.path_params["name"]
    connection = request.app.state.connections.get(request.query_params.get("session", ""))
    if connection is None:
        return PlainTextResponse("no such session: open the page and use its Save buttons",
                                 status_code=404)
    try:
        async with connection.lock:
            content = await asyncio.to_thread(exports.download, connection.session, name)
    except Dl101Error as err:
        return PlainTextResponse(str(err), status_code=400)
    return Response(content, media_type=exports.FILES[name],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def socket(websocket: WebSocket):
    """The door of ``/ws``: the page's own Origin only; then a new session and its loop."""
    if not same_origin(websocket):
        return await deny(websocket, PlainTextResponse(
            "dl101 playground: this WebSocket's Origin is not the page's own", status_code=403))
    await websocket.accept()
    state = websocket.app.state
    sid = secrets.token_urlsafe(12)
    try:
        session = await asyncio.to_thread(Session, None, state.start)
    except Exception as err:
        await websocket.send_text(json.dumps({"type": "error", "message": f"cannot start: {err}"}))
        await websocket.close()
        return
    connection = Connection(websocket, session, sid)
    state.connections[sid] = connection
    try:
        await connection.run()
    finally:
        del state.connections[sid]  # a closed tab frees its session


def create_app(token, start=None) -> Starlette:
    """The ASGI application; ``start`` is a finished run every new session starts from."""
    app = Starlette(routes=[Route("/", page), Route("/download/{name}", download),
                            WebSocketRoute("/ws", socket),
                            Mount("/static", StaticFiles(directory=STATIC), name="static")])
    app.state.start, app.state.connections = start, {}
    app.add_middleware(TokenGate, token=token)
    return app
