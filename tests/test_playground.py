"""Chapter 14 — the Playground's data generators, the [4, 2] tanh network and its heat-maps."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from helpers import assert_legends_cover_no_points
from scenes.playground import PlaygroundCircle

__module_test__ = "playground"

NAMES = ("circle", "xor", "gauss", "spiral")


@pytest.fixture(scope="module")
def pg(compute_results):
    return compute_results("playground")["playground"]


@pytest.mark.parametrize("name", NAMES)
def test_generators_balance_and_domain(name):
    from engine.playground import GENERATORS

    x, y = GENERATORS[name](500, 0.0, torch.Generator().manual_seed(7))
    assert x.shape == (500, 2) and set(y.tolist()) <= {-1.0, 1.0}
    assert x.abs().max() <= 6.0
    share = float((y > 0).double().mean())
    if name == "xor":
        assert 0.4 < share < 0.6
        assert x.abs().min() >= 0.3                         # pushed away from the axes
        np.testing.assert_array_equal(y.numpy(), np.where(x[:, 0] * x[:, 1] >= 0, 1.0, -1.0))
    else:
        assert share == 0.5
    if name == "circle":
        r = torch.hypot(x[:, 0], x[:, 1])
        assert torch.all(r[y > 0] < 2.5) and torch.all((r[y < 0] >= 3.5) & (r[y < 0] <= 5.0))
    if name == "gauss":
        np.testing.assert_allclose(x[y > 0].mean(0).numpy(), [2, 2], atol=0.2)
        np.testing.assert_allclose(x[y < 0].mean(0).numpy(), [-2, -2], atol=0.2)
    if name == "spiral":
        assert torch.hypot(x[:, 0], x[:, 1]).max() <= 5.0


def test_noise_moves_labels_but_not_points():
    """Circle with noise: the point stays where it was drawn, the label comes from the noisy position."""
    from engine.playground import circle

    clean_x, clean_y = circle(500, 0.0, torch.Generator().manual_seed(1))
    x, y = circle(500, 0.5, torch.Generator().manual_seed(1))
    r = torch.hypot(x[:, 0], x[:, 1])
    assert torch.all(r[:250] < 2.5)                          # the first half is drawn inside
    assert (y[:250] < 0).any()                               # … but some of it is labelled outside


def test_split_is_half_of_the_generated_points(pg):
    """Train and test are the generated points, shuffled and cut in half: together exactly the generator's output."""
    from engine.playground import GENERATORS

    for j, name in enumerate(pg["datasets"]):
        xtr, xte = pg[f"{name}/x_train"], pg[f"{name}/x_test"]
        assert len(xtr) == len(xte) == pg.settings["samples"] * pg.settings["train_share"]
        x, y = GENERATORS[str(name)](pg.settings["samples"], pg.settings["noise"],
                                     torch.Generator().manual_seed(pg.meta["seed"] + 1000 * j))
        both = np.concatenate([np.column_stack([xtr, pg[f"{name}/y_train"]]),
                               np.column_stack([xte, pg[f"{name}/y_test"]])])
        expected = np.column_stack([x.numpy(), y.numpy()]).astype(np.float32)
        order = lambda a: a[np.lexsort(a.T[::-1])]
        np.testing.assert_array_equal(order(both), order(expected))
        assert np.abs(both[:, :2]).max() <= pg.settings["domain"]


def test_network_learns_circle_and_xor(pg):
    for name in ("circle", "xor", "gauss"):
        assert pg[f"{name}/test_loss"][-1] < 0.05, name
        assert float(pg[f"{name}/test_accuracy"]) > 0.95, name
        assert pg[f"{name}/train_loss"][-1] < pg[f"{name}/train_loss"][0] / 5
    # the Playground's lesson: x1, x2 and [4, 2] do not untangle the spiral
    assert pg["spiral/test_loss"][-1] > 0.2


def numpy_forward(pg, name, points):
    """An independent forward pass with the stored final weights: every layer's tanh output."""
    h, outs = points, []
    for layer in range(len(pg["layer_sizes"]) - 1):
        h = np.tanh(h @ pg[f"{name}/weights/{layer}"] + pg[f"{name}/biases/{layer}"])
        outs.append(h)
    return outs


def test_heat_maps_and_losses_match_an_independent_forward_pass(pg):
    axis = pg["grid_axis"]
    g = len(axis)
    gx, gy = np.meshgrid(axis, axis[::-1])
    grid = np.stack([gx.ravel(), gy.ravel()], 1)
    assert int(pg["snapshot_epochs"][-1]) == pg.settings["epochs"]
    for name in NAMES:
        maps = pg[f"{name}/maps"]
        assert maps.shape == (len(pg["snapshot_epochs"]), 7, g, g)
        layers = np.concatenate(numpy_forward(pg, name, grid), axis=1)       # (g², 7)
        np.testing.assert_allclose(maps[-1], layers.T.reshape(7, g, g), atol=1e-5)
        for split in ("train", "test"):
            out = numpy_forward(pg, name, pg[f"{name}/x_{split}"])[-1][:, 0]
            loss = 0.5 * np.mean((out - pg[f"{name}/y_{split}"]) ** 2)
            assert pg[f"{name}/{split}_loss"][-1] == pytest.approx(loss, rel=1e-4, abs=1e-7)
        # the first snapshot is the initial network: weights U(−0.5, 0.5), biases 0.1 give small outputs
        assert np.abs(maps[0]).max() < 1.0


def test_the_output_legends_cover_no_point(pg):
    """The points fill each output panel (XOR's reach its upper right corner): the legend sits above it."""
    import matplotlib.pyplot as plt

    from figures import playground

    from matplotlib.colors import to_hex

    for name in pg["datasets"]:
        fig = getattr(playground, f"playground_{name}")({"playground": pg}, "ko")
        assert_legends_cover_no_points(fig)
        # the legend means the same in every panel: one grey fill, the split in the rim
        legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)
        handles = legend.legend_handles
        assert {to_hex(h.get_markerfacecolor()) for h in handles} == {"#9aa3ae"}
        assert [to_hex(h.get_markeredgecolor()) for h in handles] == ["#ffffff", "#1b1f24"]
        plt.close(fig)


# the scene draws the circle, then the spiral: its frame test needs those data sets only, on a coarser grid
# (a smaller pin); the training is the lecture's (150 epochs, every seed), so the claims are judged on this pin
SCENE = {"playground": {"datasets": ["circle", "spiral"], "grid": 40, "snapshots": [0, 2, 10, 40, 150]}}


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("playground", overrides=SCENE)


@pytest.fixture
def pinned(_scene_data):
    from engine.store import load
    from lecture import settings

    return load("playground", settings.current().results)


def _with(res, **arrays):
    import dataclasses

    return {"playground": dataclasses.replace(res, arrays={**res.arrays, **arrays})}


def test_claims(pinned):
    from engine.playground import claim_circle_solved, claim_spiral_not_solved

    assert pinned.settings["seeds"] >= 5 and pinned.settings["epochs"] == 150
    for claim in (claim_circle_solved, claim_spiral_not_solved):
        verdict = claim({"playground": pinned})
        assert verdict.holds and verdict.seeds == pinned.settings["seeds"], (claim.__name__, verdict)
    # the two data sets' results swapped: the circle unsolved, the spiral solved
    swapped = {f"seeds/{a}/{k}": pinned[f"seeds/{b}/{k}"] for a, b in (("circle", "spiral"), ("spiral", "circle"))
               for k in ("final_test_loss", "final_train_loss", "test_accuracy")}
    assert not claim_circle_solved(_with(pinned, **swapped)).holds
    assert not claim_spiral_not_solved(_with(pinned, **swapped)).holds
    # one seed's spiral solved
    loss = pinned["seeds/spiral/final_test_loss"].copy()
    loss[4] = 0.01
    verdict = claim_spiral_not_solved(_with(pinned, **{"seeds/spiral/final_test_loss": loss}))
    assert not verdict.holds and verdict.failing == (int(pinned["seed_values"][4]),)


def test_seeds_stacked_equal_a_run_alone():
    """Seed 1 of a two-seed run is the run of seed 1 alone (its data, its initial weights)."""
    import engine
    from engine.core import REGISTRY, Context

    engine.load_experiments()
    exp = REGISTRY["playground"]
    small = {"datasets": ["circle", "spiral"], "epochs": 3, "grid": 8, "snapshots": [0, 3]}

    def run(seed, seeds):
        ctx = Context(device=torch.device("cpu"), seed=seed, generator=torch.Generator().manual_seed(seed))
        return exp.func(exp.merged_settings({**small, "seeds": seeds}), ctx)[0]

    both, alone = run(0, 2), run(1, 1)
    for name in ("circle", "spiral"):
        for key in ("final_test_loss", "test_accuracy"):
            np.testing.assert_allclose(both[f"seeds/{name}/{key}"][1].numpy(), alone[f"seeds/{name}/{key}"][0].numpy(),
                                       rtol=1e-5)
    np.testing.assert_allclose(both["seeds/circle/final_test_loss"][0].numpy(), both["circle/test_loss"][-1].numpy())


@frames_comparison(last_frame=True, base_scene=PlaygroundCircle)
def test_playground_last_frame(scene):
    PlaygroundCircle.construct(scene)
