"""The page's own data: points clicked on the plane, a CSV uploaded, a digit drawn.

A mixin of :class:`~.session.Session`, as :mod:`.commands` is: each ``cmd_<name>`` method answers
``{"cmd": "<name>", ...}``.
"""

from __future__ import annotations

import numpy as np

from ..checks import Dl101Error
from . import problems
from .commands import field


class Inputs:
    """The commands that give one session its own data."""

    def cmd_add_point(self, message):
        point = [field(message, "x1", (int, float)), field(message, "x2", (int, float)),
                 field(message, "label", int)]
        points = problems.check_points(self.current_points() + [point])
        return self.use_points(points)

    def cmd_undo_point(self, message):
        return self.use_points(self.current_points()[:-1])

    def current_points(self):
        """The clicked points; when the page starts clicking, the current 2D set's points (so at
        most :data:`.settings.MAX_LINK_POINTS` of them can be clicked on)."""
        if self.config.dataset == "points" or self.problem.kind != "2d":
            return list(self.points)
        return [[float(a), float(b), int(c)] for (a, b), c in
                zip(np.concatenate([self.problem.x_train, self.problem.x_test]),
                    np.concatenate([self.problem.y_train, self.problem.y_test]))]

    def use_points(self, points):
        """A new run on ``points`` (dataset=points), rounded as its link writes them (:func:`.settings.link_points`)."""
        new = self.config.updated("dataset", "points").updated("points", points)
        previous, self.points = self.points, new.points
        try:
            self.build(new)
        except Dl101Error:
            self.points = previous
            raise
        return [self.state(), self.data_frame()]

    def cmd_upload(self, message):
        text, name = field(message, "text", str), field(message, "name", str, "upload.csv")
        self.uploaded = problems.from_csv(text, self.config.test, self.config.seed, name)
        self.build(self.config.updated("dataset", "csv"))
        return [self.state(), self.data_frame()]

    def cmd_draw(self, message):
        """A drawing (grey levels 0..255, row-major, dark ink on light paper), prepared as
        ``dl101 predict`` prepares a picture."""
        from ..images import to_mnist
        if self.problem.kind != "image":
            raise Dl101Error("draw: drawing a digit needs the digits or MNIST data set")
        width, height = field(message, "width", int), field(message, "height", int)
        pixels = message.get("pixels")
        if not (8 <= width <= 512 and 8 <= height <= 512):
            raise Dl101Error(f"draw: width and height must lie in [8, 512], got {width}×{height}")
        if not isinstance(pixels, list) or len(pixels) != width * height or not all(
                isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 255 for p in pixels):
            raise Dl101Error(f"draw: pixels must be {width * height} integers in [0, 255]")
        grey = np.asarray(pixels, np.float64).reshape(height, width) / 255
        side = self.problem.image_shape[0]
        self.drawn = to_mnist(grey, box=round(side * 20 / 28), size=side, name="the drawing").ravel()
        return []
