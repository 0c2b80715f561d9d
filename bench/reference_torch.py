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
    elif job["kind"] == "adam":
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        y = torch.tensor(job["targets"], dtype=torch.float64)
        loss_fn = mse(job["layers"], x, y)
        start = torch.tensor(job["start"], dtype=torch.float64)
        lr = job["learningRate"]
        generator = torch.Generator().manual_seed(0)

        def full():
            theta = start.clone().requires_grad_(True)
            optimizer = torch.optim.Adam([theta], lr=lr)
            for _ in range(job["steps"]):
                optimizer.zero_grad()
                loss_fn(theta).backward()
                optimizer.step()
            out["finalLoss"] = loss_fn(theta).item()

        def minibatch():
            theta = start.clone().requires_grad_(True)
            optimizer = torch.optim.Adam([theta], lr=lr)
            n = x.shape[0]
            for _ in range(job["epochs"]):
                order = torch.randperm(n, generator=generator)
                for k in range(0, n, job["batchSize"]):
                    rows = order[k : k + job["batchSize"]]
                    batch = mse(job["layers"], x[rows], y[rows])
                    optimizer.zero_grad()
                    batch(theta).backward()
                    optimizer.step()

        out["full"] = timed(full, job["repeats"])
        out["minibatch"] = timed(minibatch, job["repeats"])
    elif job["kind"] == "lanczos":
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        labels = torch.tensor(job["labels"], dtype=torch.long)
        loss_fn = cross_entropy(job["layers"], x, labels)
        theta = torch.tensor(job["theta"], dtype=torch.float64).requires_grad_(True)
        v0 = torch.tensor(job["vector"], dtype=torch.float64)

        def hvp_at(vector):
            (g,) = torch.autograd.grad(loss_fn(theta), theta, create_graph=True)
            (hv,) = torch.autograd.grad(g @ vector, theta)
            return hv

        def lanczos():
            # Lanczos with full reorthogonalization, as PyHessian does it.
            q = torch.randn(theta.numel(), generator=torch.Generator().manual_seed(1))
            q /= q.norm()
            basis, alphas, betas = [q], [], []
            for k in range(job["iterations"]):
                w = hvp_at(basis[-1])
                alpha = w @ basis[-1]
                alphas.append(alpha)
                for b in basis:
                    w -= (w @ b) * b
                beta = w.norm()
                if k + 1 == job["iterations"] or beta < 1e-12:
                    break
                betas.append(beta)
                basis.append(w / beta)
            t = torch.diag(torch.stack(alphas))
            for k, beta in enumerate(betas[: len(alphas) - 1]):
                t[k, k + 1] = t[k + 1, k] = beta
            return torch.linalg.eigvalsh(t)

        values = lanczos()
        out["values"] = values[:5].tolist() + values[-5:].tolist()
        out["hvpNorm"] = hvp_at(v0).norm().item()
        out["hvp"] = timed(lambda: hvp_at(v0), job["repeats"])
        out["lanczos"] = timed(lanczos, job["repeats"])
    elif job["kind"] == "eigvalsh":
        n = job["size"]
        with open(job["file"], "rb") as f:
            a = torch.frombuffer(bytearray(f.read()), dtype=torch.float64).view(n, n).clone()
        out["eigvalsh"] = timed(lambda: torch.linalg.eigvalsh(a), job["repeats"])
        out["eigh"] = timed(lambda: torch.linalg.eigh(a), job["repeats"])
        out["values"] = torch.linalg.eigvalsh(a).tolist()
    elif job["kind"] == "eigh":
        results = {}
        for n in job["sizes"]:
            a = torch.randn(n, n, generator=torch.Generator().manual_seed(n))
            a = a + a.T
            results[str(n)] = timed(lambda: torch.linalg.eigh(a), job["repeats"])
        out["eigh"] = results
    json.dump(out, sys.stdout)


main()
