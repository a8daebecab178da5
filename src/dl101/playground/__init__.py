"""``dl101 playground``: the lecture's network learning live in the browser, on dl101's own engine.

- :mod:`.config`: the whole configuration in one state object, which round-trips through the URL;
- :mod:`.problems`: the data of the page (2D sets, clicked points, a CSV upload, 1D regression,
  digits, MNIST);
- :mod:`.session`: one browser tab's model, data and Trainer, in plain Python;
- :mod:`.views`: what the page draws, computed from a session (maps, regions, representations);
- :mod:`.walk`: one SGD step walked through as the lecture does (forward, loss, back-propagation,
  update), with the engine's quantities;
- :mod:`.frames`: the compact binary frames the page draws (a JSON header and raw arrays);
- :mod:`.exports`: the downloads (the model as ``dl101.save_model`` writes it, the figures);
- :mod:`.runs`: a finished ``dl101 mnist`` run as the starting point (``--run``);
- :mod:`.server`: Starlette + uvicorn, a token, one session per WebSocket;
- ``static/``: the page, hand-written ES modules that draw what the server computed.
"""
