"""An independent numpy implementation of Saito's batch-normalization experiment (ch. 6,
``batch_norm_test.py`` with ``MultiLayerNetExtend``, ``BatchNormalization``, ``Affine``, ``Relu``,
``SoftmaxWithLoss`` and ``SGD`` of the book's ``common/`` code), written layer by layer with
hand-written forward and backward passes, float64, no torch.

What the book's code does and this file does too:

* every hidden layer is Affine → BatchNormalization → ReLU (without batch normalization Affine → ReLU);
  the output Affine layer has no batch normalization; softmax with cross-entropy;
* every weight matrix, the last one included, is ``std × N(0, 1)``; biases 0; γ = 1, β = 0;
* batch normalization in training mode normalizes with the batch mean and the *biased* batch variance,
  ``(x − μ) / sqrt(var + ε)`` with ε = 10e-7 (= 1e-6), and updates
  ``running = momentum · running + (1 − momentum) · batch`` with momentum 0.9 and the biased
  variance; the running mean and variance start at **0** (the book creates them as zeros on the first
  forward pass); evaluation mode normalizes with the running statistics;
* plain SGD, ``W ← W − lr · ∂L/∂W`` for every parameter (γ and β included);
* accuracy in evaluation mode (``train_flg=False``).

The mini-batches are given (index arrays), so that a test can hand the same ones to the torch engine.
The book draws them with replacement (``np.random.choice(train_size, batch_size)``) and records the
accuracy when ``i % iter_per_epoch == 0``, i.e. after updates 1, 11, 21, …; :func:`train` records after
the updates listed in ``record_after`` (0 = before any update).
"""
from __future__ import annotations

import numpy as np

BOOK_EPS = 10e-7
BOOK_MOMENTUM = 0.9


class BatchNormalization:
    def __init__(self, n: int, eps: float = BOOK_EPS, momentum: float = BOOK_MOMENTUM,
                 running_mean: np.ndarray | None = None, running_var: np.ndarray | None = None):
        self.gamma = np.ones(n)
        self.beta = np.zeros(n)
        self.eps, self.momentum = eps, momentum
        self.running_mean = np.zeros(n) if running_mean is None else np.array(running_mean, dtype=np.float64)
        self.running_var = np.zeros(n) if running_var is None else np.array(running_var, dtype=np.float64)

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        if train:
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc ** 2, axis=0)
            std = np.sqrt(var + self.eps)
            xn = xc / std
            self.batch_size, self.xc, self.xn, self.std = x.shape[0], xc, xn, std
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + self.eps)
        return self.gamma * xn + self.beta

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        dmu = np.sum(dxc, axis=0)
        return dxc - dmu / self.batch_size


class Affine:
    def __init__(self, w: np.ndarray):
        self.W = np.array(w, dtype=np.float64)
        self.b = np.zeros(self.W.shape[1])

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class Relu:
    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class Network:
    """MultiLayerNetExtend: ``weights`` are the Affine matrices (n_in, n_out), input to output."""

    def __init__(self, weights: list[np.ndarray], batchnorm: bool, eps: float = BOOK_EPS,
                 momentum: float = BOOK_MOMENTUM, running_var_start: float = 0.0):
        self.layers: list = []
        for i, w in enumerate(weights):
            self.layers.append(Affine(w))
            if i < len(weights) - 1:
                if batchnorm:
                    n = w.shape[1]
                    self.layers.append(BatchNormalization(n, eps, momentum,
                                                          running_var=np.full(n, running_var_start)))
                self.layers.append(Relu())

    def predict(self, x: np.ndarray, train: bool) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Forward in training mode; keeps the softmax for :meth:`backward`. Mean cross-entropy, computed
        as log-softmax (the book adds 1e-7 inside the log, which changes the value it prints when a
        probability is tiny, never the gradient)."""
        logits = self.predict(x, train=True)
        z = logits - logits.max(axis=1, keepdims=True)
        self.y = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        self.t = t
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-np.mean(log_p[np.arange(len(t)), t]))

    def backward(self) -> None:
        dout = self.y.copy()
        dout[np.arange(len(self.t)), self.t] -= 1
        dout /= len(self.t)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)

    def sgd(self, lr: float) -> None:
        for layer in self.layers:
            if isinstance(layer, Affine):
                layer.W -= lr * layer.dW
                layer.b -= lr * layer.db
            elif isinstance(layer, BatchNormalization):
                layer.gamma -= lr * layer.dgamma
                layer.beta -= lr * layer.dbeta

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        return float(np.mean(self.predict(x, train=False).argmax(axis=1) == t))


def train(weights: list[np.ndarray], batchnorm: bool, x: np.ndarray, t: np.ndarray, batches: list[np.ndarray],
          lr: float = 0.01, record_after=(), eps: float = BOOK_EPS, running_var_start: float = 0.0,
          x_eval: np.ndarray | None = None, t_eval: np.ndarray | None = None):
    """SGD on ``batches`` (index arrays into ``x``); returns (losses per update, {update: accuracy}) with the
    accuracy on (``x_eval``, ``t_eval``) (default: the training images) after each update in
    ``record_after``."""
    x_eval = x if x_eval is None else x_eval
    t_eval = t if t_eval is None else t_eval
    net = Network(weights, batchnorm, eps=eps, running_var_start=running_var_start)
    record_after = set(record_after)
    acc, losses = {}, []
    if 0 in record_after:
        acc[0] = net.accuracy(x_eval, t_eval)
    for i, idx in enumerate(batches, start=1):
        losses.append(net.loss(x[idx], t[idx]))
        net.backward()
        net.sgd(lr)
        if i in record_after:
            acc[i] = net.accuracy(x_eval, t_eval)
    return np.array(losses), acc


def book_batches(train_size: int, batch_size: int, updates: int, rng: np.random.Generator) -> list[np.ndarray]:
    """The book's mini-batches: ``np.random.choice(train_size, batch_size)`` (with replacement) per update."""
    return [rng.choice(train_size, batch_size) for _ in range(updates)]
