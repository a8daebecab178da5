"""``dl101 playground``: the lecture's network learning live in the browser (see :mod:`dl101.playground`)."""

HELP = ("watch the lecture's network learn, live in the browser: 2D sets, your own points, "
        "regression, digits and MNIST, back-propagation step by step")


def add_arguments(parser):
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one "
                        "(default: %(default)s)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on; anything but "
                        "127.0.0.1 lets others who have the token use it (default: %(default)s)")
    parser.add_argument("--no-browser", action="store_true", help="print the URL, do not open a browser")
    from ..jobs.latest import LATEST
    parser.add_argument("--run", metavar="RUN", nargs="?", const=LATEST,
                        help="start from a finished `dl101 mnist` run folder (draw a digit, the "
                             "stepper, its curves); --run alone: the latest run, runs/latest")


def run(args):
    import errno
    import socket
    import sys
    import threading
    import webbrowser

    from ..checks import Dl101Error
    from ..playground.server import create_app, new_token
    from ..playground.runs import open_finished_run

    if not 0 <= args.port <= 65535:
        raise Dl101Error(f"--port must lie in [0, 65535], got {args.port}")
    from ..jobs import latest
    if args.run is latest.LATEST:
        args.run = str(latest.resolve(None))
    start = open_finished_run(args.run) if args.run else None
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"dl101 playground: warning: listening on {args.host}: anyone who can reach this port "
              f"and has the token can use the playground", file=sys.stderr)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise Dl101Error(f"port {args.port} is in use; choose another with --port, or --port 0 "
                             f"for a free one") from None
        raise Dl101Error(f"cannot listen on {args.host}:{args.port}: {err.strerror}") from None
    sock.listen(128)  # connections wait in the backlog until uvicorn takes over the socket
    port = sock.getsockname()[1]
    token = new_token()
    shown = "127.0.0.1" if args.host in ("127.0.0.1", "0.0.0.0") else args.host
    url = f"http://{shown if ':' not in shown else f'[{shown}]'}:{port}/?token={token}"
    print(url, flush=True)
    print("dl101 playground: serving; Ctrl-C stops it", file=sys.stderr, flush=True)
    if not args.no_browser:
        threading.Timer(0.5, webbrowser.open, [url]).start()
    return serve(create_app(token, start), sock)


def serve(app, sock):
    """Serve ``app`` on the bound socket until Ctrl-C (or SIGTERM); 0 when stopped so."""
    import sys

    import uvicorn
    config = uvicorn.Config(app, log_level="warning", ws="websockets-sansio", timeout_graceful_shutdown=1,
                            lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it handled, once it has shut down
        pass
    finally:
        sock.close()
    print("dl101 playground: stopped", file=sys.stderr)
    return 0
