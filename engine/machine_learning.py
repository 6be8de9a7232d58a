"""Chapter 3 — machine learning: a rule written by hand against a classifier learned from data, and the three
kinds of learning, each as a tiny real computation in torch.

* **rules vs learning** (iris, the two petal measurements in cm): the rule "petal length < 2.5 cm → setosa,
  < 5 cm → versicolor, else virginica" (thresholds a person reads off the plot, settings ``rule_*``) against a
  softmax regression p(y | x) = softmax(W z + b) on the standardized petal length and width, trained on 120
  labelled flowers by full-batch gradient descent (torch.optim.SGD) on the cross-entropy; both judged on the 30
  flowers held out (a stratified 120/30 split drawn with each seed).  The same classifier is the running example
  of the five components (task, data, model, loss, optimizer) and the supervised example;
* **unsupervised**: k-means (Lloyd's algorithm, in torch) on the same two petal measurements without the labels,
  ``restarts`` random initial centroids (drawn among the flowers) per seed, the one with the least within-cluster
  sum of squares kept; its agreement with the species under the best matching of clusters to species;
* **reinforcement**: a small grid world (deterministic moves, +1 at the goal, −1 in the pit, a wall), learned by
  tabular Q-learning with ε-greedy exploration; compared with value iteration (the Bellman optimality equation
  solved by sweeps).

Every seed (``ctx.seed + k``, k = 0 is the one the lecture shows) draws its own split, initial centroids and
exploration; the seeds run as one stacked tensor program in each part.
"""
from __future__ import annotations

import itertools

import numpy as np
import torch

from .claims import Measured, per_seed
from .core import Context, experiment
from .data import iris

# The grid world: rows from the top, columns from the left.  G goal (+1), P pit (−1), # wall, . free.
GRID = ("...G",
        ".#.P",
        "....",
        "....")
MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))          # up, right, down, left


def grid_world(grid=GRID):
    """The deterministic grid world as tables: ``next[s, a]`` (bumping into the edge or the wall stays put),
    ``reward[s]`` for entering s, ``terminal[s]``, ``wall[s]``."""
    rows, cols = len(grid), len(grid[0])
    n = rows * cols
    nxt = np.zeros((n, len(MOVES)), dtype=np.int64)
    for r in range(rows):
        for c in range(cols):
            for a, (dr, dc) in enumerate(MOVES):
                rr, cc = r + dr, c + dc
                ok = 0 <= rr < rows and 0 <= cc < cols and grid[rr][cc] != "#"
                nxt[r * cols + c, a] = rr * cols + cc if ok else r * cols + c
    flat = "".join(grid)
    reward = np.array([1.0 if ch == "G" else -1.0 if ch == "P" else 0.0 for ch in flat])
    terminal = np.array([ch in "GP" for ch in flat])
    wall = np.array([ch == "#" for ch in flat])
    return nxt, reward, terminal, wall


def value_iteration(nxt: torch.Tensor, reward: torch.Tensor, terminal: torch.Tensor, gamma: float, sweeps: int):
    """Q(s, a) = r(s') + γ (1 − terminal(s')) max_a' Q(s', a'), s' = next[s, a], by ``sweeps`` sweeps from 0.
    Returns Q (states, actions) and V = max_a Q after every sweep (sweeps + 1, states)."""
    q = torch.zeros(nxt.shape, dtype=reward.dtype)
    history = [q.max(1).values]
    for _ in range(sweeps):
        v = q.max(1).values
        q = reward[nxt] + gamma * (~terminal[nxt]).to(reward.dtype) * v[nxt]
        history.append(q.max(1).values)
    return q, torch.stack(history)


def q_learning(nxt: torch.Tensor, reward: torch.Tensor, terminal: torch.Tensor, starts: torch.Tensor, gamma: float,
               alpha: float, epsilon: float, steps: int, every: int, gens: list[torch.Generator]):
    """Tabular Q-learning for every seed at once (one generator per seed): from a random start state, ε-greedy
    moves (ties broken at random), Q(s, a) += α (r + γ (1 − terminal) max Q(s', ·) − Q(s, a)); an episode that
    enters a terminal state restarts at a random start state.  Returns Q (seeds, states, actions), snapshots of
    max_a Q every ``every`` steps (snapshots, seeds, states) and the episodes finished per seed."""
    runs, (n, k) = len(gens), nxt.shape
    dt = reward.dtype
    q = torch.zeros(runs, n, k, dtype=dt)
    rows = torch.arange(runs)

    # every random number drawn up front, per seed from its own generator
    u = torch.stack([torch.rand(steps, 2 + k, generator=g, dtype=dt) for g in gens])           # (runs, steps, 2 + k)
    pick = torch.stack([torch.randint(len(starts), (steps + 1,), generator=g) for g in gens])  # (runs, steps + 1)
    state = starts[pick[:, 0]]
    episodes = torch.zeros(runs, dtype=torch.int64)
    snaps = [q.max(2).values.clone()]
    for step in range(1, steps + 1):
        draw = u[:, step - 1]                                                        # explore?, random action, ties
        qs = q[rows, state]                                                          # (runs, actions)
        best = qs == qs.max(1, keepdim=True).values
        greedy = torch.where(best, draw[:, 2:], torch.full_like(qs, -1.0)).argmax(1)  # a random one among the best
        action = torch.where(draw[:, 0] < epsilon, (draw[:, 1] * k).long().clamp(max=k - 1), greedy)
        after = nxt[state, action]
        done = terminal[after]
        target = reward[after] + gamma * (~done).to(dt) * q[rows, after].max(1).values
        q[rows, state, action] += alpha * (target - q[rows, state, action])
        episodes += done.long()
        state = torch.where(done, starts[pick[:, step]], after)
        if step % every == 0:
            snaps.append(q.max(2).values.clone())
    return q, torch.stack(snaps), episodes


def k_means(z: torch.Tensor, centroids: torch.Tensor, iterations: int):
    """Lloyd's algorithm for many starts at once: ``centroids`` (runs, k, d).  Each iteration assigns every point
    to its nearest centroid, then moves each centroid to the mean of its points (a cluster left empty keeps its
    centroid).  Returns the centroids after every iteration (runs, iterations + 1, k, d), the final assignments
    (runs, points) and the within-cluster sums of squares (runs,)."""
    k = centroids.shape[1]
    path = [centroids]
    for _ in range(iterations):
        assign = torch.cdist(z.expand(len(centroids), -1, -1), centroids).argmin(2)          # (runs, points)
        one_hot = torch.nn.functional.one_hot(assign, k).to(z.dtype)                        # (runs, points, k)
        counts = one_hot.sum(1)                                                              # (runs, k)
        sums = one_hot.transpose(1, 2) @ z                                                   # (runs, k, d)
        centroids = torch.where(counts[..., None] > 0, sums / counts.clamp(min=1)[..., None], centroids)
        path.append(centroids)
    assign = torch.cdist(z.expand(len(centroids), -1, -1), centroids).argmin(2)
    inertia = ((z - centroids[torch.arange(len(centroids))[:, None], assign]) ** 2).sum((1, 2))
    return torch.stack(path, 1), assign, inertia


def best_matching(assign: np.ndarray, labels: np.ndarray, k: int) -> tuple[float, tuple[int, ...]]:
    """The share of points whose cluster, renamed by the best one-to-one matching of clusters to classes, is their
    class; and that matching (cluster j → class matching[j])."""
    best = max(itertools.permutations(range(k)), key=lambda p: float(np.mean(np.asarray(p)[assign] == labels)))
    return float(np.mean(np.asarray(best)[assign] == labels)), best


def rule_predict(length: torch.Tensor, setosa: float, versicolor: float) -> torch.Tensor:
    """The hand-written rule on the petal length (cm): below ``setosa`` → 0, below ``versicolor`` → 1, else 2."""
    return torch.where(length < setosa, 0, torch.where(length < versicolor, 1, 2))


@experiment("machine-learning", topic="machine-learning", seed=0, threads=1, seeds=5, test_per_class=10,
            rule_setosa=2.5, rule_versicolor=5.0, optimizer="torch.optim.SGD", lr=0.5, steps=300, clusters=3,
            restarts=10, iterations=10, gamma=0.9, alpha=0.5, epsilon=0.3, rl_steps=6000, rl_every=200,
            sweeps=12, grid_points=121)
def machine_learning(settings: dict, ctx: Context):
    """Iris: a hand-written rule vs a learned softmax regression (held-out accuracy); k-means vs the species;
    Q-learning vs value iteration on a grid world."""
    dt = ctx.dtype
    data = iris()
    x_all = data.train.x.to(dt)[:, 2:4]                     # petal length, petal width (cm)
    y_all = data.train.y
    seeds = settings["seeds"]
    gens = [torch.Generator().manual_seed(ctx.seed + s) for s in range(seeds)]

    # --- rules vs learning: a stratified split per seed
    tr, te = [], []
    for g in gens:
        train, test = [], []
        for c in range(data.classes):
            members = torch.nonzero(y_all == c).flatten()
            members = members[torch.randperm(len(members), generator=g)]
            test.append(members[:settings["test_per_class"]])
            train.append(members[settings["test_per_class"]:])
        tr.append(torch.cat(train))
        te.append(torch.cat(test))
    tr_idx, te_idx = torch.stack(tr), torch.stack(te)         # (seeds, 120), (seeds, 30)
    x_tr, y_tr, x_te, y_te = x_all[tr_idx], y_all[tr_idx], x_all[te_idx], y_all[te_idx]
    mean, std = x_tr.mean(1, keepdim=True), x_tr.std(1, keepdim=True)   # the training flowers' own scale
    z_tr, z_te = (x_tr - mean) / std, (x_te - mean) / std
    w = torch.zeros(seeds, data.classes, 2, dtype=dt, requires_grad=True)
    b = torch.zeros(seeds, data.classes, dtype=dt, requires_grad=True)
    opt = torch.optim.SGD([w, b], lr=settings["lr"])
    steps = settings["steps"]
    loss_curve = torch.zeros(seeds, steps + 1, dtype=dt)
    acc_curve = torch.zeros(seeds, steps + 1, dtype=dt)
    w_path = torch.zeros(steps + 1, data.classes, 2, dtype=dt)     # the lecture's seed, every step
    b_path = torch.zeros(steps + 1, data.classes, dtype=dt)
    for step in range(steps + 1):
        logits = torch.einsum("snd,scd->snc", z_tr, w) + b[:, None, :]
        loss = torch.nn.functional.cross_entropy(logits.transpose(1, 2), y_tr, reduction="none").mean(1)   # (seeds,)
        loss_curve[:, step] = loss.detach()
        acc_curve[:, step] = (logits.detach().argmax(2) == y_tr).to(dt).mean(1)
        w_path[step], b_path[step] = w.detach()[0], b.detach()[0]
        if step == steps:
            break
        opt.zero_grad()
        loss.sum().backward()          # the seeds are independent: the sum's gradient is each seed's own
        opt.step()
    w, b = w.detach(), b.detach()
    pred_te = (torch.einsum("snd,scd->snc", z_te, w) + b[:, None, :]).argmax(2)
    learned_acc = (pred_te == y_te).to(dt).mean(1)
    rule_te = rule_predict(x_te[..., 0], settings["rule_setosa"], settings["rule_versicolor"])
    rule_acc = (rule_te == y_te).to(dt).mean(1)
    rule_all = rule_predict(x_all[:, 0], settings["rule_setosa"], settings["rule_versicolor"])
    # the lecture seed's regions over the petal plane (cm)
    lo, hi = torch.tensor([0.5, 0.0], dtype=dt), torch.tensor([7.5, 2.75], dtype=dt)
    gx = torch.linspace(float(lo[0]), float(hi[0]), settings["grid_points"], dtype=dt)
    gy = torch.linspace(float(lo[1]), float(hi[1]), settings["grid_points"], dtype=dt)
    GX, GY = torch.meshgrid(gx, gy, indexing="xy")
    plane = torch.stack([GX.reshape(-1), GY.reshape(-1)], 1)
    region = (((plane - mean[0]) / std[0]) @ w[0].T + b[0]).argmax(1).reshape(len(gy), len(gx))
    ctx.progress(1, 3, "rules vs learning")

    # --- unsupervised: k-means on the petal measurements, without the labels
    k, restarts = settings["clusters"], settings["restarts"]
    init = torch.stack([x_all[torch.randperm(len(x_all), generator=g)[:k]] for g in gens for _ in range(restarts)])
    path, assign, inertia = k_means(x_all, init, settings["iterations"])
    inertia = inertia.view(seeds, restarts)
    kept = inertia.argmin(1)                                  # per seed, the start with the least sum of squares
    runs = torch.arange(seeds) * restarts + kept
    km_assign = assign[runs]                                  # (seeds, 150)
    km_path = path[runs]                                      # (seeds, iterations + 1, k, 2)
    agreement, matching = [], []
    for s in range(seeds):
        a, m = best_matching(km_assign[s].numpy(), y_all.numpy(), k)
        agreement.append(a)
        matching.append(m)
    # the lecture's seed's assignments at every iteration (for the video)
    steps_assign = torch.cdist(x_all.expand(km_path.shape[1], -1, -1), km_path[0]).argmin(2)   # (iterations + 1, 150)
    ctx.progress(2, 3, "k-means")

    # --- reinforcement: Q-learning on the grid world, against value iteration
    nxt_np, reward_np, terminal_np, wall_np = grid_world()
    nxt, reward = torch.tensor(nxt_np), torch.tensor(reward_np, dtype=dt)
    terminal, wall = torch.tensor(terminal_np), torch.tensor(wall_np)
    q_star, vi_history = value_iteration(nxt, reward, terminal, settings["gamma"], settings["sweeps"])
    starts = torch.nonzero(~terminal & ~wall).flatten()
    rl_gens = [torch.Generator().manual_seed(10_000 + ctx.seed + s) for s in range(seeds)]
    q, snaps, episodes = q_learning(nxt, reward, terminal, starts, settings["gamma"], settings["alpha"],
                                    settings["epsilon"], settings["rl_steps"], settings["rl_every"], rl_gens)
    v_star = q_star.max(1).values
    greedy = q.argmax(2)                                      # (seeds, states)
    attained = q_star.gather(1, greedy.T).T                  # Q*(s, greedy action), (seeds, states)
    optimal_states = ((v_star[None, :] - attained).abs() < 1e-9) | terminal | wall
    ctx.progress(3, 3, "Q-learning")

    return {
        "seed_values": torch.arange(seeds) + ctx.seed,
        "one_seed/rule_acc": rule_acc[0], "one_seed/learned_acc": learned_acc[0],
        "one_seed/agreement": torch.tensor(agreement[0], dtype=dt),
        "one_seed/test_x": x_te[0], "one_seed/test_y": y_te[0], "one_seed/train_x": x_tr[0], "one_seed/train_y": y_tr[0],
        "one_seed/clusters": torch.tensor(matching[0])[km_assign[0]],      # each flower's cluster, named by its species
        "one_seed/cluster_right": (torch.tensor(matching[0])[km_assign[0]] == y_all).long(),
        "one_seed/rule_right": (rule_te[0] == y_te[0]).long(), "one_seed/learned_right": (pred_te[0] == y_te[0]).long(),
        "one_seed/v_grid": q[0].max(1).values.view(len(GRID), len(GRID[0])),
        # rules vs learning (supervised)
        "x": x_all, "y": y_all, "train_idx": tr_idx, "test_idx": te_idx,
        "rule/test_acc": rule_acc, "rule/all_acc": (rule_all == y_all).to(dt).mean(), "rule/test_pred": rule_te,
        "learned/test_acc": learned_acc, "learned/test_pred": pred_te,
        "learned/loss": loss_curve, "learned/train_acc": acc_curve,
        "learned/w": w, "learned/b": b, "learned/mean": mean[:, 0], "learned/std": std[:, 0],
        "learned/w_path": w_path, "learned/b_path": b_path,
        "plane/x": gx, "plane/y": gy, "plane/region": region,
        # unsupervised
        "kmeans/assign": km_assign, "kmeans/path": km_path, "kmeans/inertia": inertia, "kmeans/kept": kept,
        "kmeans/agreement": torch.tensor(agreement, dtype=dt), "kmeans/matching": torch.tensor(matching),
        "kmeans/init": init.view(seeds, restarts, k, 2), "kmeans/steps_assign": steps_assign,
        # reinforcement
        "rl/next": nxt, "rl/reward": reward, "rl/terminal": terminal, "rl/wall": wall,
        "rl/q_star": q_star, "rl/v_star": v_star, "rl/vi_history": vi_history,
        "rl/q": q, "rl/v_snapshots": snaps.transpose(0, 1), "rl/episodes": episodes, "rl/greedy": greedy,
        "rl/optimal": optimal_states,
        "rl/shape": torch.tensor([len(GRID), len(GRID[0])]),
    }, {"data": data.source + ", petal length and width (cm)",
        "split": f"stratified {tr_idx.shape[1]}/{te_idx.shape[1]} per seed, drawn with seed + k",
        "rule": f"petal length < {settings['rule_setosa']} cm → setosa, < {settings['rule_versicolor']} cm → "
                "versicolor, else virginica",
        "model": "softmax regression on the standardized petal length and width (the training flowers' mean and sd)",
        "optimizer": f"full-batch gradient descent, torch.optim.SGD lr {settings['lr']}, {steps} steps, "
                     "cross-entropy, from zero weights",
        "kmeans": f"Lloyd's algorithm, {k} clusters, {settings['iterations']} iterations, best of {restarts} random "
                  "starts (initial centroids drawn among the flowers) by within-cluster sum of squares, petal cm",
        "grid": " / ".join(GRID) + " (G +1, P −1, # wall, moves up/right/down/left, bumping stays)",
        "q_learning": f"γ {settings['gamma']}, α {settings['alpha']}, ε-greedy ε {settings['epsilon']}, "
                      f"{settings['rl_steps']} steps from random start cells, exploration seeded 10000 + seed + k"}


# --------------------------------------------------------------------------- claims
def _seeds(res) -> list[int]:
    return [int(s) for s in res["seed_values"]]


def claim_both_accurate(results) -> Measured:
    """On the held-out flowers both the hand-written rule and the learned classifier are right at least 90 % of
    the time, in every seed: iris's species nearly separate on the petal length alone."""
    res = results["machine-learning"]
    rule, learned = res["rule/test_acc"], res["learned/test_acc"]
    return per_seed(_seeds(res), (rule >= 0.9) & (learned >= 0.9), rule=rule, learned=learned)


def claim_learned_at_least_rule_on_average(results) -> Measured:
    """Averaged over the seeds' splits, the learned classifier is at least as accurate on the held-out flowers as
    the rule (a statement about the average: on a single split of 30 flowers either can win)."""
    res = results["machine-learning"]
    rule, learned = res["rule/test_acc"], res["learned/test_acc"]
    return per_seed([min(_seeds(res))], [learned.mean() >= rule.mean()], rule_mean=rule.mean(),
                    learned_mean=learned.mean(), learned_wins=int((learned > rule).sum()),
                    ties=int((learned == rule).sum()), rule_wins=int((rule > learned).sum()))


def claim_loss_falls(results) -> Measured:
    """Gradient descent lowers the training loss from ln 3 (equal probabilities) to below a third of it, in every
    seed."""
    res = results["machine-learning"]
    loss = res["learned/loss"]
    return per_seed(_seeds(res), (loss[:, -1] < loss[:, 0] / 3) & np.isclose(loss[:, 0], np.log(3)),
                    first=loss[:, 0], last=loss[:, -1])


def claim_clusters_match_species(results) -> Measured:
    """k-means, never shown a label, finds clusters that agree with the species for at least 90 % of the flowers
    (best matching of clusters to species), in every seed."""
    res = results["machine-learning"]
    agreement = res["kmeans/agreement"]
    return per_seed(_seeds(res), agreement >= 0.9, agreement=agreement)


def claim_q_learning_finds_optimal_policy(results) -> Measured:
    """Q-learning's greedy policy is optimal in every cell of the grid (its action attains the value iteration's
    optimum), in every seed."""
    res = results["machine-learning"]
    optimal = res["rl/optimal"]
    return per_seed(_seeds(res), optimal.all(1), optimal_cells=optimal.sum(1), cells=optimal.shape[1])


def claim_q_values_match_value_iteration(results) -> Measured:
    """Q-learning's values max_a Q(s, a) come within 0.01 of value iteration's V*(s) in every free cell, in every
    seed."""
    res = results["machine-learning"]
    free = ~(res["rl/terminal"] | res["rl/wall"])
    err = np.abs(res["rl/q"].max(2) - res["rl/v_star"][None, :])[:, free].max(1)
    return per_seed(_seeds(res), err < 0.01, largest_gap=err)
