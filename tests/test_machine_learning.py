"""Chapter 3 — machine learning: the hand-written rule and the learned classifier against numpy, gradient descent
replayed, k-means against numpy's Lloyd and scikit-learn, value iteration against the closed form γ^(d−1),
Q-learning against value iteration; the claims; both scenes' last frames."""
from __future__ import annotations

import itertools
from collections import deque
from pathlib import Path

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.machine_learning import KindsOfLearning, RulesVsLearning, class_regions

__module_test__ = "machine_learning"
PINNED = Path(__file__).parent / "control_data" / "results" / "test_machine_learning"


SMALL = {"seeds": 2, "steps": 60, "rl_steps": 5000, "rl_every": 500, "grid_points": 31}


@pytest.fixture(scope="module")
def fresh(compute_results):
    """Computed here (cached for the session) at smaller settings, so that the numeric tests judge the engine's
    code as it is, not a pinned result."""
    return compute_results("machine-learning", overrides={"machine-learning": SMALL})["machine-learning"]


@pytest.fixture
def res(_scene_data):
    """The pinned result (pinned by the scenes' fixture with --set_test)."""
    from engine.store import load

    return load("machine-learning", PINNED)


def softmax(z):
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


# --- rules vs learning
def test_rule_accuracy_is_the_rule_applied_in_numpy(fresh):
    res = fresh
    s = res.settings
    x, y = res["x"], res["y"]
    rule = np.where(x[:, 0] < s["rule_setosa"], 0, np.where(x[:, 0] < s["rule_versicolor"], 1, 2))
    for k, idx in enumerate(res["test_idx"]):
        assert res["rule/test_acc"][k] == pytest.approx(np.mean(rule[idx] == y[idx]))
        np.testing.assert_array_equal(res["rule/test_pred"][k], rule[idx])
    assert float(res["rule/all_acc"]) == pytest.approx(np.mean(rule == y))
    idx = res["test_idx"][0]
    np.testing.assert_array_equal(res["one_seed/rule_right"], rule[idx] == y[idx])
    np.testing.assert_array_equal(res["one_seed/learned_right"], res["learned/test_pred"][0] == y[idx])
    np.testing.assert_array_equal(res["one_seed/test_x"], x[idx])


def test_splits_are_stratified_and_disjoint(fresh):
    res = fresh
    y = res["y"]
    for tr, te in zip(res["train_idx"], res["test_idx"]):
        assert len(set(tr) | set(te)) == 150 and not set(tr) & set(te)
        assert np.bincount(y[te]).tolist() == [res.settings["test_per_class"]] * 3


def test_learned_accuracy_and_loss_recomputed_in_numpy(fresh):
    res = fresh
    x, y = res["x"], res["y"]
    for k, (tr, te) in enumerate(zip(res["train_idx"], res["test_idx"])):
        mean, std = x[tr].mean(0), x[tr].std(0, ddof=1)
        np.testing.assert_allclose(res["learned/mean"][k], mean)
        np.testing.assert_allclose(res["learned/std"][k], std)
        w, b = res["learned/w"][k], res["learned/b"][k]
        p_te = ((x[te] - mean) / std) @ w.T + b
        assert res["learned/test_acc"][k] == pytest.approx(np.mean(p_te.argmax(1) == y[te]))
        p_tr = softmax(((x[tr] - mean) / std) @ w.T + b)
        assert res["learned/loss"][k, -1] == pytest.approx(-np.mean(np.log(p_tr[np.arange(len(tr)), y[tr]])), rel=1e-9)
    np.testing.assert_allclose(res["learned/loss"][:, 0], np.log(3))       # zero weights: equal probabilities


def test_gradient_descent_replayed_with_the_softmax_gradient(fresh):
    res = fresh
    """w_{t+1} = w_t − η ∇, with ∇ = (softmax − one-hot)ᵀ z / n written out in numpy, reproduces every stored step."""
    x, y, lr = res["x"], res["y"], res.settings["lr"]
    tr = res["train_idx"][0]
    z = (x[tr] - res["learned/mean"][0]) / res["learned/std"][0]
    onehot = np.eye(3)[y[tr]]
    w, b = np.zeros((3, 2)), np.zeros(3)
    for step in range(res.settings["steps"]):
        np.testing.assert_allclose(res["learned/w_path"][step], w, atol=1e-12)
        g = (softmax(z @ w.T + b) - onehot) / len(tr)
        w, b = w - lr * g.T @ z, b - lr * g.sum(0)
    np.testing.assert_allclose(res["learned/w_path"][-1], w, atol=1e-12)
    np.testing.assert_allclose(res["learned/b_path"][-1], b, atol=1e-12)


def test_the_scenes_regions_are_where_each_logit_is_largest(fresh):
    res = fresh
    w, b, mean, std = res["learned/w"][0], res["learned/b"][0], res["learned/mean"][0], res["learned/std"][0]
    polys, edges = class_regions(w, b, mean, std)
    assert edges
    rng = np.random.default_rng(0)
    for k, poly in enumerate(polys):
        if len(poly) < 3:
            continue
        weights = rng.dirichlet(np.ones(len(poly)), size=50)          # points inside the convex polygon
        pts = weights @ poly
        assert np.all((((pts - mean) / std) @ w.T + b).argmax(1) == k)
    # the stored region grid of the figure says the same
    gx, gy, region = res["plane/x"], res["plane/y"], res["plane/region"]
    GX, GY = np.meshgrid(gx, gy)
    pts = np.column_stack([GX.ravel(), GY.ravel()])
    np.testing.assert_array_equal(region.ravel(), (((pts - mean) / std) @ w.T + b).argmax(1))


# --- unsupervised: k-means
def lloyd(z, centres, iterations):
    path = [centres]
    for _ in range(iterations):
        d = ((z[:, None, :] - centres[None]) ** 2).sum(2)
        a = d.argmin(1)
        centres = np.array([z[a == j].mean(0) if np.any(a == j) else centres[j] for j in range(len(centres))])
        path.append(centres)
    return np.array(path), ((z[:, None, :] - centres[None]) ** 2).sum(2).argmin(1)


def test_kmeans_is_lloyds_algorithm(fresh):
    res = fresh
    x = res["x"]
    for k in range(len(res["seed_values"])):
        kept = int(res["kmeans/kept"][k])
        assert kept == int(np.argmin(res["kmeans/inertia"][k]))
        path, assign = lloyd(x, res["kmeans/init"][k, kept], res.settings["iterations"])
        np.testing.assert_allclose(res["kmeans/path"][k], path, atol=1e-10)
        np.testing.assert_array_equal(res["kmeans/assign"][k], assign)
        # the agreement under the best of the 3! matchings, by brute force
        best = max(np.mean(np.asarray(p)[assign] == res["y"]) for p in itertools.permutations(range(3)))
        assert res["kmeans/agreement"][k] == pytest.approx(best)
    np.testing.assert_array_equal(res["one_seed/clusters"], res["kmeans/matching"][0][res["kmeans/assign"][0]])
    np.testing.assert_array_equal(res["one_seed/cluster_right"], res["one_seed/clusters"] == res["y"])


def test_kmeans_reaches_scikit_learns_sum_of_squares(fresh):
    res = fresh
    from sklearn.cluster import KMeans

    best = KMeans(n_clusters=3, n_init=10, random_state=0).fit(res["x"]).inertia_
    kept = res["kmeans/inertia"].min(1)
    assert np.all(kept >= best - 1e-6) and np.allclose(kept, best, rtol=1e-6)


# --- reinforcement: value iteration and Q-learning
def shortest_moves(nxt, terminal, wall, goal):
    """Moves from every cell to the goal, never through the pit (breadth-first search backwards)."""
    n = len(nxt)
    dist = np.full(n, np.inf)
    dist[goal] = 0
    queue = deque([goal])
    while queue:
        t = queue.popleft()
        for s in range(n):
            if np.isinf(dist[s]) and not terminal[s] and not wall[s] and t in nxt[s]:
                dist[s] = dist[t] + 1
                queue.append(s)
    return dist


def test_value_iteration_is_gamma_to_the_moves_to_the_goal(fresh):
    res = fresh
    """With +1 only for entering the goal and γ < 1, V*(s) = γ^(d(s) − 1), d the fewest moves to the goal."""
    nxt, terminal, wall, reward = res["rl/next"], res["rl/terminal"], res["rl/wall"], res["rl/reward"]
    gamma = res.settings["gamma"]
    d = shortest_moves(nxt, terminal, wall, int(np.argmax(reward)))
    free = ~terminal & ~wall
    np.testing.assert_allclose(res["rl/v_star"][free], gamma ** (d[free] - 1), rtol=1e-12)
    # and Q*(s, a) = r(s') + γ V*(s') for a non-terminal s'
    v = np.where(terminal, 0.0, res["rl/v_star"])
    np.testing.assert_allclose(res["rl/q_star"][free], (reward[nxt] + gamma * v[nxt])[free], rtol=1e-12)


def test_q_learning_reaches_value_iterations_values_and_policy(fresh):
    res = fresh
    free = ~res["rl/terminal"] & ~res["rl/wall"]
    runs = len(res["seed_values"])
    np.testing.assert_allclose(res["rl/q"].max(2)[:, free], np.broadcast_to(res["rl/v_star"][free], (runs, free.sum())),
                               atol=1e-6)
    q_star = res["rl/q_star"]
    attained = np.take_along_axis(q_star[None].repeat(runs, 0), res["rl/greedy"][..., None], 2)[..., 0]
    np.testing.assert_allclose(attained[:, free], np.broadcast_to(res["rl/v_star"][free], attained[:, free].shape))
    assert np.all(res["rl/v_snapshots"][:, 0] == 0)                      # it starts knowing nothing


def test_grid_world_moves():
    from engine.machine_learning import GRID, grid_world

    nxt, reward, terminal, wall = grid_world()
    cols = len(GRID[0])
    assert nxt[0, 0] == 0 and nxt[0, 3] == 0                             # up and left from the corner: stay
    assert nxt[0, 1] == 1 and nxt[0, 2] == cols                          # right, down
    assert nxt[1 * cols + 0, 1] == 1 * cols + 0                          # into the wall: stay
    assert reward.sum() == 0 and terminal.sum() == 2 and wall.sum() == 1


def test_the_small_run_has_the_shapes_of_its_settings(fresh):
    assert fresh["learned/loss"].shape == (2, SMALL["steps"] + 1) and fresh["kmeans/path"].shape == (2, 11, 3, 2)
    assert fresh["rl/v_snapshots"].shape == (2, 11, 16) and fresh["plane/region"].shape == (31, 31)


# --- claims: judged on the pinned results; each fails when its premise is broken
CLAIMS = ("both_accurate", "learned_at_least_rule_on_average", "loss_falls", "clusters_match_species",
          "q_learning_finds_optimal_policy", "q_values_match_value_iteration")


def judged(name, r, **arrays):
    import engine.machine_learning as em
    from engine.store import Result

    return getattr(em, f"claim_{name}")({"machine-learning": Result(r.id, {**r.arrays, **arrays}, r.meta)})


@pytest.mark.parametrize("name", CLAIMS)
def test_claim_holds_on_the_pinned_results(res, name):
    m = judged(name, res)
    assert m.holds, m.describe()


def test_claims_fail_when_their_premise_is_broken(res):
    rule, learned = res["rule/test_acc"], res["learned/test_acc"]
    assert not judged("both_accurate", res, **{"rule/test_acc": np.where(np.arange(5) == 2, 0.8, rule)}).holds
    assert not judged("learned_at_least_rule_on_average", res,
                      **{"rule/test_acc": learned, "learned/test_acc": rule}).holds       # exchanged
    loss = res["learned/loss"].copy()
    loss[3, -1] = loss[3, 0] / 2
    assert not judged("loss_falls", res, **{"learned/loss": loss}).holds
    agreement = res["kmeans/agreement"].copy()
    agreement[1] = 0.6
    assert judged("clusters_match_species", res, **{"kmeans/agreement": agreement}).failing == (1,)
    optimal = res["rl/optimal"].copy()
    optimal[4, 5] = False
    assert not judged("q_learning_finds_optimal_policy", res, **{"rl/optimal": optimal}).holds
    q = res["rl/q"].copy()
    q[0, 4] *= 0.5
    assert not judged("q_values_match_value_iteration", res, **{"rl/q": q}).holds


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_legends_cover_no_flower(res, lang):
    import matplotlib.pyplot as plt

    from figures.machine_learning import rules_and_learning
    from helpers import assert_legends_cover_no_points

    fig = rules_and_learning({"machine-learning": res}, lang)
    assert_legends_cover_no_points(fig)
    plt.close(fig)


# --- the scenes
@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("machine-learning")


@frames_comparison(last_frame=True, base_scene=RulesVsLearning)
def test_rules_vs_learning_last_frame(scene):
    RulesVsLearning.construct(scene)


@frames_comparison(last_frame=True, base_scene=KindsOfLearning)
def test_kinds_of_learning_last_frame(scene):
    KindsOfLearning.construct(scene)
