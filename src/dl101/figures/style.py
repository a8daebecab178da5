"""Shared look of the figures: the Okabe-Ito palette (safe for colour-blind readers) and the
lecture's red/blue for the signs of weights."""

BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
PALETTE = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK]
POSITIVE, NEGATIVE = "#d62728", "#1f77b4"  # the lecture: red for A > 0, blue for A < 0
CLASS_COLOURS = PALETTE + ["#999999", "#882255"]  # ten classes: Okabe-Ito plus grey and wine
