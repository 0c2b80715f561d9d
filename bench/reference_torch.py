"""PyTorch reference for bench/main.ts: the same workloads in float64, timed the same way.

Reads one JSON job on stdin, prints one JSON object of timings (seconds) and checks.
Run by the benchmark only when Debian's python3-torch is installed.
"""
import json
import statistics
import sys
import time

import torch

torch.set_default_dtype(torch.float64)


def timed(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def mlp(layers, theta):
    """Unflattens θ (PyTorch nn.Linear order: W row-major, then b) into tensors."""
    params, offset = [], 0
    for fan_in, units, activation in layers:
        w = theta[offset : offset + units * fan_in].view(units, fan_in)
        offset += units * fan_in
        b = theta[offset : offset + units]
        offset += units
        params.append((w, b, activation))
    return params


def forward(params, x):
    for w, b, activation in params:
        x = x @ w.T + b
        if activation == "tanh":
            x = torch.tanh(x)
        elif activation == "relu":
            x = torch.relu(x)
    return x


def cross_entropy(layers, x, labels):
    return lambda theta: torch.nn.functional.cross_entropy(forward(mlp(layers, theta), x), labels)


def mse(layers, x, y):
    return lambda theta: ((forward(mlp(layers, theta), x) - y) ** 2).sum(dim=1).mean()


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(job["threads"])
    out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    if job["kind"] == "gd":
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        y = torch.tensor(job["targets"], dtype=torch.float64)
        loss_fn = mse(job["layers"], x, y)
        starts = [torch.tensor(t, dtype=torch.float64) for t in job["starts"]]

        def run_all():
            finals = []
            for start in starts:
                theta = start.clone().requires_grad_(True)
                for _ in range(job["epochs"]):
                    loss = loss_fn(theta)
                    (grad,) = torch.autograd.grad(loss, theta)
                    with torch.no_grad():
                        theta -= job["learningRate"] * grad
                finals.append(loss_fn(theta).item())
            out["finalLosses"] = finals

        out["seconds"] = timed(run_all, job["repeats"])
    elif job["kind"] == "derivatives":
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        y = torch.tensor(job["targets"], dtype=torch.float64)
        loss_fn = mse(job["layers"], x, y)
        theta0 = torch.tensor(job["theta"], dtype=torch.float64)
        v = torch.tensor(job["vector"], dtype=torch.float64)

        def gradient():
            theta = theta0.clone().requires_grad_(True)
            (g,) = torch.autograd.grad(loss_fn(theta), theta)
            return g

        def hvp():
            theta = theta0.clone().requires_grad_(True)
            (g,) = torch.autograd.grad(loss_fn(theta), theta, create_graph=True)
            (hv,) = torch.autograd.grad(g @ v, theta)
            return hv

        def hessian_columns():
            # The same number of columns as ours; one graph, repeated double-backward.
            theta = theta0.clone().requires_grad_(True)
            (g,) = torch.autograd.grad(loss_fn(theta), theta, create_graph=True)
            for k in range(job["columns"]):
                torch.autograd.grad(g[k], theta, retain_graph=True)

        out["loss"] = loss_fn(theta0).item()
        out["gradientNorm"] = gradient().norm().item()
        out["hvpNorm"] = hvp().norm().item()
        out["gradient"] = timed(gradient, job["repeats"])
        out["hvp"] = timed(hvp, job["repeats"])
        out["hessianColumns"] = timed(hessian_columns, 1)
    elif job["kind"] == "plane":
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        if job["loss"] == "cross-entropy":
            loss_fn = cross_entropy(job["layers"], x, torch.tensor(job["labels"], dtype=torch.long))
        else:
            loss_fn = mse(job["layers"], x, torch.tensor(job["targets"], dtype=torch.float64))
        center = torch.tensor(job["center"], dtype=torch.float64)
        dx = torch.tensor(job["dx"], dtype=torch.float64)
        dy = torch.tensor(job["dy"], dtype=torch.float64)
        coords = job["coords"]

        def grid():
            losses = []
            with torch.no_grad():
                for b in coords:
                    for a in coords:
                        losses.append(loss_fn(center + a * dx + b * dy).item())
            return losses

        out["seconds"] = timed(grid, job["repeats"])
        losses = grid()
        out["sample"] = [losses[0], losses[len(losses) // 2], losses[-1]]
    elif job["kind"] == "eigh":
        results = {}
        for n in job["sizes"]:
            a = torch.randn(n, n, generator=torch.Generator().manual_seed(n))
            a = a + a.T
            results[str(n)] = timed(lambda: torch.linalg.eigh(a), job["repeats"])
        out["eigh"] = results
    json.dump(out, sys.stdout)


main()
