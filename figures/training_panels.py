"""Two panels of a mini-batch training run, shared by the optimizers' and learning-rate decay's figures:
the mini-batch loss (faint) with its moving average on the left, the accuracy at the evaluations on the
right.  The runs are the columns of ``loss`` and of an accuracy array, over ``iteration`` and
``eval_iteration``."""
from __future__ import annotations

from .smoothing import trailing_mean


def training_curves(left, right, res, column: int, acc_key: str, color: str, window: int, loss_label: str,
                    acc_label: str) -> None:
    """Run ``column`` of ``res``: its loss and moving average on ``left``, ``acc_key`` on ``right``."""
    iteration, loss = res["iteration"], res["loss"][:, column]
    at = f"x={res.id}:iteration"
    left.plot(iteration, loss, color=color, alpha=0.18, linewidth=0.8, gid=f"y={res.id}:loss[:,{column}] {at}")
    left.plot(iteration, trailing_mean(loss, window), color=color, label=loss_label,
              gid=f"y={res.id}:loss[:,{column}]|trailing-mean({window}) {at}")
    right.plot(res["eval_iteration"], res[acc_key][:, column], "-o", color=color, markersize=4, label=acc_label,
               gid=f"y={res.id}:{acc_key}[:,{column}] x={res.id}:eval_iteration")


def dress_training_panels(left, right, x_label: str, loss_label: str, acc_label: str, left_title: str,
                          right_title: str) -> None:
    left.set_yscale("log")
    left.set_title(left_title)
    left.set_ylabel(loss_label)
    right.set_title(right_title)
    right.set_ylabel(acc_label)
    right.set_ylim(0, 1.02)
    for ax, where in ((left, "upper right"), (right, "lower right")):
        ax.set_xlabel(x_label)
        ax.legend(fontsize=14, loc=where)
