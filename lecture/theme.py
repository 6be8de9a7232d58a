"""One palette and one font set-up, shared by the scenes (Manim) and the figures (matplotlib).

The palette is Okabe & Ito's colour-blind-safe set.  Every concept keeps its
colour everywhere (``ROLE``): sigmoid is always the same blue, in every figure
and every video.  Korean and Latin text use Noto Sans CJK KR; formulas use LaTeX
(MathTex in videos, Computer-Modern mathtext in figures); a figure's number with a power of
ten is laid out by mathtext in the text's font (``lecture.text.math_number``).
"""
from __future__ import annotations

import os
from pathlib import Path

from lecture import settings

FONT = os.environ.get("LECTURE_FONT", "Noto Sans CJK KR")
MPL_STYLE = Path(__file__).with_name("lecture.mplstyle")

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}

# The colour of each concept, the same in every figure and video.
ROLE = {
    "identity": OKABE_ITO["purple"],
    "sigmoid": OKABE_ITO["sky"],
    "tanh": OKABE_ITO["orange"],
    "relu": OKABE_ITO["green"],
    "highlight": OKABE_ITO["vermillion"],
    "SGD": OKABE_ITO["grey"],
    "Momentum": OKABE_ITO["blue"],
    "AdaGrad": OKABE_ITO["green"],
    "RMSprop": OKABE_ITO["purple"],
    "Adam": OKABE_ITO["vermillion"],
    "train": OKABE_ITO["blue"],
    "validation": OKABE_ITO["vermillion"],
    "test": OKABE_ITO["green"],
    "bn": OKABE_ITO["blue"],
    "plain": OKABE_ITO["vermillion"],
    "GD": OKABE_ITO["orange"],          # full-batch gradient descent (chapter 7)
    "minibatch": OKABE_ITO["sky"],       # mini-batch gradient descent
    "lr-slow": OKABE_ITO["sky"],         # the four learning rates of chapter 7: too small …
    "lr-good": OKABE_ITO["green"],
    "lr-oscillating": OKABE_ITO["orange"],
    "lr-diverging": OKABE_ITO["vermillion"],  # … too large
    "lr-constant": OKABE_ITO["grey"],    # learning-rate decay (chapter 11): constant η …
    "lr-decay": OKABE_ITO["orange"],     # … against η0·10^(−t/n)
    "init-std1": OKABE_ITO["purple"],
    "init-std0.01": OKABE_ITO["grey"],
    "init-xavier": OKABE_ITO["blue"],
    "init-he": OKABE_ITO["vermillion"],
    "init-zero": OKABE_ITO["purple"],
    # <issue-5 roles>
    "underfit": OKABE_ITO["orange"],     # chapter 12: too simple (high bias) …
    "goodfit": OKABE_ITO["green"],
    "overfit": OKABE_ITO["purple"],      # … too flexible (high variance)
    "bias": OKABE_ITO["orange"],
    "variance": OKABE_ITO["purple"],
    "no-penalty": OKABE_ITO["grey"],     # regularization: none / L2 / L1
    "l2": OKABE_ITO["blue"],
    "l1": OKABE_ITO["orange"],
    "dropout-0": OKABE_ITO["grey"],      # dropout rates 0, 0.1, 0.2
    "dropout-0.1": OKABE_ITO["sky"],
    "dropout-0.2": OKABE_ITO["blue"],
    "no-augmentation": OKABE_ITO["grey"],
    "augmented": OKABE_ITO["green"],
    # <issue-7a roles>
    "class-0": OKABE_ITO["blue"],        # classes: iris setosa / XOR y = 0 / logistic y = 0 …
    "class-1": OKABE_ITO["orange"],
    "class-2": OKABE_ITO["green"],
    "least-squares": OKABE_ITO["blue"],  # chapter 6: the three estimates of (w0, w1)
    "max-likelihood": OKABE_ITO["purple"],
    "perceptron": OKABE_ITO["vermillion"],  # chapter 4: Rosenblatt's rule …
    "mlp": OKABE_ITO["green"],           # … and the two-hidden-unit network
    "weight-pos": OKABE_ITO["blue"],     # chapter 9: the sign of a weight
    "weight-neg": OKABE_ITO["vermillion"],
    # </issue-7a roles>
    # <issue-7b roles>
    "target-function": OKABE_ITO["grey"],   # chapter 9: the function a network approximates …
    "width-2": OKABE_ITO["purple"],         # … and the fits of one hidden layer of growing width
    "width-4": OKABE_ITO["orange"],
    "width-8": OKABE_ITO["green"],
    "width-32": OKABE_ITO["sky"],
    "width-128": OKABE_ITO["blue"],
    "forward": OKABE_ITO["blue"],           # chapter 10: forward values on a computation graph …
    "backward": OKABE_ITO["vermillion"],    # … and the gradients that flow back
    "mse": OKABE_ITO["orange"],             # chapter 10: the mean squared error …
    "cross-entropy": OKABE_ITO["blue"],     # … and the cross-entropy
    "epoch-loss": OKABE_ITO["orange"],      # chapter 10: the loss on all training data, once per epoch
    "class-positive": OKABE_ITO["blue"],    # chapter 14: the Playground's colours (+1 blue, −1 orange)
    "class-negative": OKABE_ITO["orange"],
    # </issue-7b roles>
    # <issue-8 roles>
    "transfer-head": OKABE_ITO["blue"],      # chapter 14: fine-tune the last layer only …
    "transfer-all": OKABE_ITO["orange"],     # … fine-tune every layer …
    "scratch": OKABE_ITO["grey"],            # … train from scratch
    "search-coarse": OKABE_ITO["grey"],      # hyperparameter search: coarse trials …
    "search-fine": OKABE_ITO["vermillion"],  # … the refined region and its trials
    "ncm-features": OKABE_ITO["purple"],     # nearest class mean on the pre-trained features …
    "ncm-pixels": OKABE_ITO["sky"],          # … and on the pixels
    # </issue-8 roles>
    "rbm-pretrained": OKABE_ITO["green"],    # chapter 11: a deep network started from stacked RBMs (vs "scratch")
    "rule": OKABE_ITO["vermillion"],         # chapter 3: a rule written by hand …
    "learned": OKABE_ITO["purple"],          # … against a classifier learned from data
}

# The words that name each colour in on-screen text and narration (en, ko).  A string with a colour word
# declares, in its TOML entry, the roles or colours its words refer to (``colours = ["weight-pos", …]``;
# ``idiom = true`` for a colour word that names no drawn colour, like "Deep Blue"); tests/test_colour_words.py
# checks that the words name the colours of the declared roles, in both languages.
COLOUR_WORDS = {
    "blue": (("blue",), ("파랑", "파란")),
    "vermillion": (("vermilion", "vermillion"), ("주홍",)),
    "orange": (("orange",), ("주황",)),
    "sky": (("sky blue", "light blue"), ("하늘색",)),
    "green": (("green",), ("초록", "녹색")),
    "yellow": (("yellow",), ("노랑", "노란")),
    "purple": (("purple", "pink"), ("보라", "분홍")),
    "grey": (("grey", "gray"), ("회색",)),
    "black": (("black", "dark"), ("검은", "검정")),
    "white": (("white",), ("흰", "하얀")),
    None: (("red",), ("빨간", "빨강", "붉은")),   # no colour of the palette is red: the word is always wrong
}


def colour_name(role_or_colour: str) -> str:
    """The palette name a declared role or colour is drawn in: ``"weight-neg"`` → ``"vermillion"``."""
    if role_or_colour in ROLE:
        hexes = {v: k for k, v in OKABE_ITO.items()}
        return hexes[ROLE[role_or_colour]]
    if role_or_colour in COLOUR_WORDS:
        return role_or_colour
    raise KeyError(f"'{role_or_colour}' is neither a role of lecture.theme.ROLE nor a colour of COLOUR_WORDS")


# Backgrounds and ink for the two video themes and the (light) slide figures.
THEMES = {
    "dark": {"background": "#0F1115", "ink": "#ECEFF4", "muted": "#8C93A1", "grid": "#2E3440"},
    "light": {"background": "#FFFFFF", "ink": "#1B1F24", "muted": "#5F6670", "grid": "#D8DEE9"},
}

# Slide figures: 16:9, light background.
FIGSIZE = (13.333, 7.5)
DPI = 300


def color(role: str) -> str:
    return ROLE[role]


def video_theme(name: str | None = None) -> dict[str, str]:
    name = name or settings.current().theme
    if name not in THEMES:
        raise ValueError(f"unknown theme '{name}' (use dark or light)")
    return THEMES[name]
