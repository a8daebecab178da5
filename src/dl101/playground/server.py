"""The playground's server: Starlette on uvicorn, one :class:`~.session.Session` per WebSocket.

- Every HTTP and WebSocket request carries the token (``?token=``, the cookie the page's first
  load sets, or the ``X-Dl101-Token`` header): none gives 401, a wrong one 403, as Jupyter does.
- A WebSocket whose ``Origin`` is not the page's own (``http://`` + the Host it asked) is refused
  with 403: a foreign web page must not drive the local server.
- Each socket gets its own session, freed when the socket closes. Its commands run one at a time
  (a lock), off the event loop (a thread); a failing command sends an error and the session goes
  on; nothing a session does stops the server.
- While playing, a task runs ``spf`` steps per frame and puts the frame in a mailbox of one
  (:class:`~.frames.Latest`): a newer frame replaces one not sent yet, and the next is computed
  once the page has drawn the last (it answers ``{"cmd": "ack"}``), so nothing queues up.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
import traceback
import urllib.parse
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from ..checks import Dl101Error
from ..train import TrainingDiverged
from . import exports, frames
from .session import Session, diverged_message

STATIC = Path(__file__).with_name("static")
COOKIE = "dl101_playground_token"
MAX_MESSAGE = 2_000_000   # characters of one message: an upload of 1 MB, a drawing, with room
ACK_TIMEOUT = 2.0         # seconds a frame waits for the page's ack before the next is sent anyway
log = logging.getLogger("dl101.playground")


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


class Connection:
    """One WebSocket and its session: the command loop, the player and the frame sender."""

    def __init__(self, websocket, session, sid):
        self.websocket, self.session, self.sid = websocket, session, sid
        self.lock, self.send_lock = asyncio.Lock(), asyncio.Lock()
        self.box, self.acked, self.wake = frames.Latest(), asyncio.Event(), asyncio.Event()
        self.acked.set()
        self.sent = 0

    async def send(self, message):
        async with self.send_lock:
            if isinstance(message, bytes):
                await self.websocket.send_bytes(message)
            else:
                await self.websocket.send_text(json.dumps(message, allow_nan=False))

    async def run(self):
        tasks = [asyncio.create_task(self.send_frames()), asyncio.create_task(self.play())]
        try:
            await self.send({"type": "hello", "session": self.sid})
            while True:
                raw = await self.websocket.receive()
                if raw["type"] == "websocket.disconnect":
                    break
                await self.on_message(raw.get("text"), raw.get("bytes"))
        except WebSocketDisconnect:
            pass
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def on_message(self, text, data):
        try:
            if text is None:
                raise Dl101Error("messages must be JSON text, not binary")
            if len(text) > MAX_MESSAGE:
                raise Dl101Error(f"a message of {len(text):,} characters is over the limit of "
                                 f"{MAX_MESSAGE:,}; an upload holds at most 1 MB")
            try:
                message = json.loads(text)
            except json.JSONDecodeError as err:
                raise Dl101Error(f"a message is not valid JSON ({err})") from None
            if isinstance(message, dict) and message.get("cmd") == "ack":
                self.acked.set()
                return
            async with self.lock:
                replies = await asyncio.to_thread(self.session.handle, message)
        except Dl101Error as err:
            replies = [{"type": "error", "message": str(err)}]
        except Exception as err:  # a bug must not take the session, let alone the server, down
            log.error("playground session %s: %s", self.sid, traceback.format_exc())
            replies = [{"type": "error", "message": f"internal error ({type(err).__name__}: {err}); "
                                                    f"the session goes on, reset if it looks wrong"}]
        *direct, last = replies
        for reply in direct:
            await self.send(reply)
        if isinstance(last, bytes):  # a session's replies end with its frame, when all went well
            self.box.put(last)
        else:
            await self.send(last)
        self.wake.set()

    async def drawn(self):
        """Until the page has drawn the last frame sent (its ack), or :data:`ACK_TIMEOUT`."""
        try:
            await asyncio.wait_for(self.acked.wait(), ACK_TIMEOUT)
        except asyncio.TimeoutError:
            pass

    async def send_frames(self):
        """Send the latest frame once the page has drawn the previous one (or after a timeout)."""
        while True:
            frame = await self.box.take()
            await self.drawn()
            if self.box.frame is not None:  # a newer frame came while waiting: it wins
                frame = await self.box.take()
            self.acked.clear()
            await self.send(frame)
            self.sent += 1

    async def play(self):
        """While the session plays: a tick (``spf`` steps and a frame) each time the last frame
        has left the mailbox."""
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.session.playing:
                await self.box.taken.wait()
                await self.drawn()
                async with self.lock:
                    if not self.session.playing:
                        break
                    try:
                        frame = await asyncio.to_thread(self.session.tick)
                    except TrainingDiverged as err:
                        await self.send(diverged_message(err, self.session.config.lr))
                        frame = await asyncio.to_thread(self.session.frame)
                    except Exception as err:
                        log.error("playground session %s: %s", self.sid, traceback.format_exc())
                        self.session.playing = False
                        await self.send({"type": "error", "message": f"internal error while playing "
                                                                     f"({type(err).__name__}: {err})"})
                        continue
                self.box.put(frame)
                if not self.session.playing:  # the budget is spent, or it diverged
                    await self.send(self.session.state())


async def socket(websocket: WebSocket):
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
