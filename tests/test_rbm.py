"""Chapter 11 — deep belief nets: the CD-1 update against an independent numpy implementation (the same random
draws), the free energy against enumeration, what CD-1 training does, the claims, the scene's last frame."""
from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.rbm import RBMPretraining

__module_test__ = "rbm"

PINNED = Path(__file__).parent / "control_data" / "results" / "test_rbm"


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_cd1(w, b, c, v0, u_h, u_v):
    """CD-1 for one RBM, written out per sample in numpy (independent of the engine's batched torch code)."""
    v_dim, h_dim = w.shape
    dw, db, dc = np.zeros_like(w), np.zeros_like(b), np.zeros_like(c)
    pv1_all = []
    for v, uh, uv in zip(v0, u_h, u_v):
        ph0 = np.array([sigmoid(c[j] + sum(v[i] * w[i, j] for i in range(v_dim))) for j in range(h_dim)])
        h0 = (uh < ph0).astype(float)
        pv1 = np.array([sigmoid(b[i] + sum(w[i, j] * h0[j] for j in range(h_dim))) for i in range(v_dim)])
        v1 = (uv < pv1).astype(float)
        ph1 = np.array([sigmoid(c[j] + sum(v1[i] * w[i, j] for i in range(v_dim))) for j in range(h_dim)])
        dw += np.outer(v, ph0) - np.outer(v1, ph1)
        db += v - v1
        dc += ph0 - ph1
        pv1_all.append(pv1)
    n = len(v0)
    return dw / n, db / n, dc / n, np.array(pv1_all)


def test_cd1_update_matches_an_independent_numpy_implementation():
    from engine.rbm import cd1_update

    rng = np.random.default_rng(3)
    seeds, batch, v_dim, h_dim = 2, 5, 7, 4
    w = rng.normal(0, 0.8, (seeds, v_dim, h_dim))
    b, c = rng.normal(0, 0.5, (seeds, v_dim)), rng.normal(0, 0.5, (seeds, h_dim))
    v0 = (rng.random((seeds, batch, v_dim)) < 0.4).astype(float)
    u_h, u_v = rng.random((seeds, batch, h_dim)), rng.random((seeds, batch, v_dim))
    got = cd1_update(*(torch.tensor(a) for a in (w, b, c, v0, u_h, u_v)))
    for s in range(seeds):
        want = numpy_cd1(w[s], b[s], c[s], v0[s], u_h[s], u_v[s])
        for g, e in zip(got, want):
            np.testing.assert_allclose(g[s].numpy(), e, rtol=1e-10, atol=1e-12)


def test_train_rbm_is_cd1_with_momentum_on_the_same_draws(one_thread):
    """Two epochs of the engine's trainer equal a numpy loop that draws the same random numbers in the same
    order (per seed: the epoch's batch order, then for each batch the hidden draws and the visible draws)."""
    from engine.rbm import train_rbm

    rng = np.random.default_rng(0)
    n, v_dim, h_dim, batch, lr, mom, std = 12, 6, 3, 4, 0.3, 0.5, 0.1
    data = (rng.random((n, v_dim)) < 0.5).astype(np.float64)
    (w, b, c), hist = train_rbm(torch.tensor(data), h_dim, 2, batch, lr, mom,
                                [torch.Generator().manual_seed(s) for s in (5, 6)], std)
    for k, seed in enumerate((5, 6)):
        g = torch.Generator().manual_seed(seed)
        ww = (std * torch.randn(v_dim, h_dim, generator=g, dtype=torch.float64)).numpy()
        freq = np.clip(data.mean(0), 0.01, 0.99)
        bb, cc = np.log(freq / (1 - freq)), np.zeros(h_dim)
        vel = [np.zeros_like(ww), np.zeros_like(bb), np.zeros_like(cc)]
        for _ in range(2):
            order = torch.randperm(n, generator=g).numpy()
            for start in range(0, n - batch + 1, batch):
                u_h = torch.rand(batch, h_dim, generator=g, dtype=torch.float64).numpy()
                u_v = torch.rand(batch, v_dim, generator=g, dtype=torch.float64).numpy()
                grads = numpy_cd1(ww, bb, cc, data[order[start:start + batch]], u_h, u_v)[:3]
                for m, d in zip(vel, grads):
                    m *= mom
                    m += lr * d
                ww, bb, cc = ww + vel[0], bb + vel[1], cc + vel[2]
        np.testing.assert_allclose(w[k].numpy(), ww, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(b[k].numpy(), bb, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(c[k].numpy(), cc, rtol=1e-9, atol=1e-12)
        recon = sigmoid(sigmoid(data @ ww + cc) @ ww.T + bb)
        np.testing.assert_allclose(hist["recon"][k, -1].item(), ((data - recon) ** 2).mean(), rtol=1e-9)


def test_free_energy_is_minus_log_of_the_sum_over_hidden_states():
    """F(v) = −log Σ_h exp(−E(v, h)), with E(v, h) = −bᵀv − cᵀh − vᵀWh, summed over all 2^H hidden states."""
    from engine.rbm import free_energy

    rng = np.random.default_rng(1)
    v_dim, h_dim = 4, 3
    w, b, c = rng.normal(0, 1, (v_dim, h_dim)), rng.normal(0, 1, v_dim), rng.normal(0, 1, h_dim)
    vs = np.array(list(itertools.product((0.0, 1.0), repeat=v_dim)))
    hs = np.array(list(itertools.product((0.0, 1.0), repeat=h_dim)))
    energy = -(vs @ b)[:, None] - (hs @ c)[None, :] - np.einsum("vi,ij,hj->vh", vs, w, hs)
    want = -np.log(np.exp(-energy).sum(1))
    got = free_energy(torch.tensor(vs)[None], torch.tensor(w)[None], torch.tensor(b)[None], torch.tensor(c)[None])
    np.testing.assert_allclose(got[0].numpy(), want, rtol=1e-12)


@pytest.fixture
def one_thread():
    """Small tensors: torch's intra-op threads only spin on a shared CPU (30 times slower here)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_cd1_training_lowers_reconstruction_error_and_the_datas_free_energy(one_thread):
    from engine.data import digits
    from engine.rbm import train_rbm

    x = (digits().train.x[:300] > 0.5).to(torch.float32)
    _, hist = train_rbm(x, 16, 8, 10, 0.2, 0.5, [torch.Generator().manual_seed(s) for s in range(2)], 0.01)
    assert torch.all(hist["recon"][:, -1] < 0.8 * hist["recon"][:, 0])
    assert torch.all(hist["free_energy"][:, -1] < hist["free_energy"][:, 0])


@pytest.fixture(scope="module")
def pinned():
    from engine.store import load

    return {name: load(name, PINNED) for name in ("rbm", "rbm-pretraining")}


def test_results_are_consistent(pinned):
    res, pre = pinned["rbm"], pinned["rbm-pretraining"]
    seeds = len(res["seed_values"])
    assert seeds >= 5 and len(pre["seed_values"]) >= 5
    np.testing.assert_array_equal(res["recon"], res["seeds/recon"][0])
    assert res["seeds/recon"].shape == (seeds, res.settings["epochs"] + 1)
    # the stored CD-1 example: h0 and v1 are samples (0/1), the probabilities lie in (0, 1)
    for key in ("cd/v0", "cd/h0", "cd/v1"):
        assert set(np.unique(res[key])) <= {0.0, 1.0}
    for key in ("cd/ph0", "cd/pv1", "cd/ph1"):
        assert np.all((res[key] > 0) & (res[key] < 1))
    # the networks start at chance: ten classes, test accuracy near 0.1, loss near ln 10 for the random start
    assert np.all(np.abs(pre["random/test_acc"][:, 0] - 0.1) < 0.1)
    assert np.all(np.abs(pre["random/train_loss"][:, 0] - np.log(10)) < 0.5)


def test_claims_hold_on_the_pinned_results_and_fail_when_their_premise_is_broken(pinned):
    from engine import rbm
    from engine.store import Result

    for name in ("reconstruction_falls", "free_energy_falls", "pretrained_starts_faster", "random_catches_up"):
        m = getattr(rbm, f"claim_{name}")(pinned)
        assert m.holds, (name, m.describe())
        assert m.seeds >= 5
    res, pre = pinned["rbm"], pinned["rbm-pretraining"]
    flipped = Result(res.id, {**res.arrays, "seeds/recon": res["seeds/recon"][:, ::-1],
                              "seeds/free_energy": res["seeds/free_energy"][:, ::-1]}, res.meta)
    assert not rbm.claim_reconstruction_falls({"rbm": flipped}).holds
    assert not rbm.claim_free_energy_falls({"rbm": flipped}).holds
    swapped = Result(pre.id, {**pre.arrays, "pretrained/test_acc": pre["random/test_acc"],
                              "random/test_acc": pre["pretrained/test_acc"]}, pre.meta)
    assert not rbm.claim_pretrained_starts_faster({"rbm-pretraining": swapped}).holds
    apart = pre["random/test_acc"].copy()
    apart[2, -1] -= 0.2                                          # one seed's random start ends far behind
    m = rbm.claim_random_catches_up({"rbm-pretraining": Result(pre.id, {**pre.arrays, "random/test_acc": apart},
                                                               pre.meta)})
    assert not m.holds and m.failing == (int(pre["seed_values"][2]),)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("rbm", "rbm-pretraining")


@frames_comparison(last_frame=True, base_scene=RBMPretraining)
def test_rbm_scene_last_frame(scene):
    RBMPretraining.construct(scene)
