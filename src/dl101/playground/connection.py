"""One WebSocket and its session: the command loop, the player and the frame sender.

- The session's commands run one at a time (a lock), off the event loop (a thread); a failing
  command sends an error and the session goes on; nothing a session does stops the server.
- While playing, a task runs ``spf`` steps per frame and puts the frame in a mailbox of one
  (:class:`~.frames.Latest`): a newer frame replaces one not sent yet, and the next is computed
  once the page has drawn the last (it answers ``{"cmd": "ack"}``), so nothing queues up.
"""

from __future__ import annotations

import asyncio
import json
import logging
import traceback

from starlette.websockets import WebSocketDisconnect

from ..checks import Dl101Error
from ..train import TrainingDiverged
from . import frames
from .commands import diverged_message

MAX_MESSAGE = 2_000_000   # characters of one message: an upload of 1 MB, a drawing, with room
ACK_TIMEOUT = 2.0         # seconds a frame waits for the page's ack before the next is sent anyway
log = logging.getLogger("dl101.playground")


class Connection:
    """One WebSocket and its session: the command loop, the player and the frame sender."""

    def __init__(self, websocket, session, sid):
        self.websocket, self.session, self.sid = websocket, session, sid
        self.lock, self.send_lock = asyncio.Lock(), asyncio.Lock()
        self.box, self.acked, self.wake = frames.Latest(), asyncio.Event(), asyncio.Event()
        self.acked.set()

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
