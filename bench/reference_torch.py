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


def timed(fn, repeats, warm=False):
    if not warm:
        fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def mlp(layers, theta):
    """Unflattens θ (PyTorch nn.Linear order: W row-major, then b) into tensors. A layer is
    (fan_in, units, activation) or (fan_in, units, activation, residual)."""
    params, offset = [], 0
    for fan_in, units, activation, *residual in layers:
        w = theta[offset : offset + units * fan_in].view(units, fan_in)
        offset += units * fan_in
        b = theta[offset : offset + units]
        offset += units
        params.append((w, b, activation, bool(residual and residual[0])))
    return params


def activate(activation, z):
    return torch.tanh(z) if activation == "tanh" else torch.relu(z) if activation == "relu" else z


def forward(params, x):
    for w, b, activation, residual in params:
        h = activate(activation, x @ w.T + b)
        x = h + x if residual else h
    return x


def batched_plane(layers, x, target, loss, center, dx, dy, coords, chunk=8):
    """Losses on a grid the way an expert writes it: chunks of grid points at once through
    batched matrix products (baddbmm), and, when the first layer has 4 inputs or more, its
    linearity in the weights: X(W + aDx + bDy)^T = XW^T + aXDx^T + bXDy^T, three products
    for the whole grid."""
    c, u, v = mlp(layers, center), mlp(layers, dx), mlp(layers, dy)
    points = [(a, b) for b in coords for a in coords]
    n = x.shape[0]
    wide = layers[0][0] >= 4
    with torch.no_grad():
        if wide:
            first = [x @ w.T + bias for (w, bias, _) in (c[0], u[0], v[0])]
        losses = []
        for k in range(0, len(points), chunk):
            ab = torch.tensor(points[k : k + chunk])
            g = ab.shape[0]
            a, b = ab[:, 0].view(g, 1, 1), ab[:, 1].view(g, 1, 1)
            h = None
            for layer, ((wc, bc, act, skip), (wu, bu, *_), (wv, bv, *_)) in enumerate(zip(c, u, v)):
                if layer == 0 and wide:
                    z = first[0] + a * first[1] + b * first[2]
                else:
                    w = wc + a * wu + b * wv  # (g, units, fan_in)
                    bias = (bc + a.view(g, 1) * bu + b.view(g, 1) * bv).unsqueeze(1)
                    inputs = x.expand(g, n, x.shape[1]) if h is None else h
                    z = torch.baddbmm(bias, inputs, w.transpose(1, 2))
                h = activate(act, z) + h if skip else activate(act, z)
            if loss == "cross-entropy":
                logp = torch.log_softmax(h, dim=2)
                losses.append(-logp.gather(2, target.view(1, n, 1).expand(g, n, 1)).mean(dim=(1, 2)))
            else:
                losses.append(((h - target) ** 2).sum(dim=2).mean(dim=1))
        return torch.cat(losses)


def best_chunk(plane, candidates=(1, 2, 4, 8, 16)):
    """The chunk of grid points per batched product that runs fastest here, as an expert
    tunes it: it depends on the caches and the BLAS (1 to 8 win on different machines)."""
    def seconds(chunk):
        plane(chunk)  # warm-up
        start = time.perf_counter()
        plane(chunk)
        return time.perf_counter() - start

    return min(candidates, key=seconds)


def blas_library():
    """Which BLAS the process loaded: Debian's torch calls the system libblas.so.3, and the
    reference (netlib) BLAS and OpenBLAS differ 6x in a float64 matrix product."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    if any("openblas" in path for path in paths):
        return "OpenBLAS"
    if any("mkl" in path for path in paths):
        return "MKL"
    if any(path.endswith("/blas/libblas.so.3") for path in paths):
        return "the reference (netlib) BLAS"
    return ", ".join(sorted(paths)) or "a BLAS built into torch"


def sequential(layers, theta):
    """The network as a torch.nn.Sequential of Linear layers and activations, float64, its
    weights and biases read from θ in nn.Linear's order (the order ours uses)."""
    modules = []
    for w, b, activation, _ in mlp(layers, theta):
        linear = torch.nn.Linear(w.shape[1], w.shape[0]).double()
        with torch.no_grad():
            linear.weight.copy_(w)
            linear.bias.copy_(b)
        modules.append(linear)
        if activation == "tanh":
            modules.append(torch.nn.Tanh())
        elif activation == "relu":
            modules.append(torch.nn.ReLU())
    return torch.nn.Sequential(*modules)


def batched_mse(layers, x, y, thetas):
    """The MSE of every run's θ (a row of `thetas`) on the same data: runs × layers of
    batched products."""
    runs, offset, h = thetas.shape[0], 0, x.expand(thetas.shape[0], *x.shape)
    for fan_in, units, activation, *_ in layers:
        w = thetas[:, offset : offset + units * fan_in].view(runs, units, fan_in)
        offset += units * fan_in
        b = thetas[:, offset : offset + units].view(runs, 1, units)
        offset += units
        h = torch.baddbmm(b, h, w.transpose(1, 2))
        if activation == "tanh":
            h = torch.tanh(h)
        elif activation == "relu":
            h = torch.relu(h)
    return ((h - y) ** 2).sum(dim=2).mean(dim=1)


def dense_hessian(loss_fn, theta0):
    """The whole Hessian as an expert writes it: one gradient graph, then one double-backward
    pass per row. On torch 1.13 with 2 cores this loop is 3-4x faster than vectorizing the
    rows with is_grads_batched (1.0 s against 3.2-4.2 s for a 1,975-parameter tanh MLP on 256
    points), so the loop is the reference."""
    theta = theta0.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(loss_fn(theta), theta, create_graph=True)
    return torch.stack([torch.autograd.grad(g[i], theta, retain_graph=True)[0] for i in range(theta.numel())])


def module_problem(job):
    """A module built by a user's file, its weights from safetensors (read by hand: the header,
    then little-endian floats), and the first `rows` of its .npz data, all in float64."""
    import importlib.util
    import struct

    import numpy as np

    spec = importlib.util.spec_from_file_location("user_module", job["moduleFile"])
    user = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(user)
    model = getattr(user, job["build"])(**job["args"]).double()
    with open(job["weights"], "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        blob = f.read()
    kinds = {"F32": "<f4", "F64": "<f8"}
    state = {
        name: torch.from_numpy(
            np.frombuffer(blob[v["data_offsets"][0] : v["data_offsets"][1]], kinds[v["dtype"]])
            .reshape(v["shape"])
            .astype(np.float64)
        )
        for name, v in header.items()
        if name != "__metadata__"
    }
    model.load_state_dict(state)
    data = np.load(job["npz"])
    rows = job["rows"]
    x = torch.from_numpy(data[job["inputs"]][:rows].astype(np.float64))
    y = torch.from_numpy(data[job["targets"]][:rows].astype(np.int64))
    return model, x, y


def objective(job, x):
    """The loss of a job: MSE or cross-entropy, plus ½·λ‖θ‖² when it has weight decay."""
    if job.get("loss", "mse") == "cross-entropy":
        data_loss = cross_entropy(job["layers"], x, torch.tensor(job["labels"], dtype=torch.long))
    else:
        data_loss = mse(job["layers"], x, torch.tensor(job["targets"], dtype=torch.float64))
    decay = job.get("weightDecay", 0)
    return lambda theta: data_loss(theta) + 0.5 * decay * (theta @ theta) if decay else data_loss(theta)


def cross_entropy(layers, x, labels):
    return lambda theta: torch.nn.functional.cross_entropy(forward(mlp(layers, theta), x), labels)


def mse(layers, x, y):
    return lambda theta: ((forward(mlp(layers, theta), x) - y) ** 2).sum(dim=1).mean()


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(job["threads"])
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library()}
    if job["kind"] == "gd":
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        y = torch.tensor(job["targets"], dtype=torch.float64)
        loss_fn = mse(job["layers"], x, y)
        starts = torch.tensor(job["starts"], dtype=torch.float64)

        def run_all():
            # Every run at once: θ is runs × P, the forward pass batched over the runs
            # (baddbmm), and one backward of the summed losses gives each run its own gradient.
            theta = starts.clone().requires_grad_(True)
            for _ in range(job["epochs"]):
                (grad,) = torch.autograd.grad(batched_mse(job["layers"], x, y, theta).sum(), theta)
                with torch.no_grad():
                    theta -= job["learningRate"] * grad
            with torch.no_grad():
                out["finalLosses"] = batched_mse(job["layers"], x, y, theta).tolist()

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

        out["loss"] = loss_fn(theta0).item()
        out["gradientNorm"] = gradient().norm().item()
        out["hvpNorm"] = hvp().norm().item()
        out["gradient"] = timed(gradient, job["repeats"])
        out["hvp"] = timed(hvp, job["repeats"])
        if job["dense"]:
            out["dense"] = timed(lambda: dense_hessian(loss_fn, theta0), 1)
    elif job["kind"] == "plane":
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        if job["loss"] == "cross-entropy":
            target = torch.tensor(job["labels"], dtype=torch.long)
        else:
            target = torch.tensor(job["targets"], dtype=torch.float64)
        center = torch.tensor(job["center"], dtype=torch.float64)
        dx = torch.tensor(job["dx"], dtype=torch.float64)
        dy = torch.tensor(job["dy"], dtype=torch.float64)

        args = (job["layers"], x, target, job["loss"], center, dx, dy)
        chunk = best_chunk(lambda c: batched_plane(*args, job["coords"][:9], chunk=c))

        def grid():
            return batched_plane(*args, job["coords"], chunk=chunk)

        out["seconds"] = timed(grid, job["repeats"])
        out["chunk"] = chunk
        losses = grid().tolist()
        out["sample"] = [losses[0], losses[len(losses) // 2], losses[-1]]
    elif job["kind"] == "smoothed-plane":
        # L_sigma on a grid by Monte Carlo over the same perturbations as ours: the mean of one
        # batched plane (best chunk) around each perturbed center, as an expert writes it.
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        target = torch.tensor(job["targets"], dtype=torch.float64)
        center = torch.tensor(job["center"], dtype=torch.float64)
        dx = torch.tensor(job["dx"], dtype=torch.float64)
        dy = torch.tensor(job["dy"], dtype=torch.float64)
        shifts = job["sigma"] * torch.tensor(job["perturbations"], dtype=torch.float64)
        layers, coords = job["layers"], job["coords"]
        chunk = best_chunk(
            lambda c: batched_plane(layers, x, target, "mse", center, dx, dy, coords[:9], chunk=c)
        )

        last = {}

        def smoothed():
            total = torch.zeros(len(coords) ** 2, dtype=torch.float64)
            for shift in shifts:
                total += batched_plane(layers, x, target, "mse", center + shift, dx, dy, coords, chunk=chunk)
            last["losses"] = total / shifts.shape[0]

        # best_chunk warmed the same products up.
        out["seconds"] = timed(smoothed, job["repeats"], warm=True)
        out["chunk"] = chunk
        losses = last["losses"].tolist()
        out["sample"] = [losses[0], losses[len(losses) // 2], losses[-1]]
    elif job["kind"] == "exact":
        # The exact verdict's work: the dense Hessian (batched) and all its eigenvalues.
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        loss_fn = objective(job, x)
        theta = torch.tensor(job["theta"], dtype=torch.float64)
        hessian = lambda: dense_hessian(loss_fn, theta)
        h = hessian()  # also the warm-up of its timing
        values = torch.linalg.eigvalsh(h)
        out["hessian"] = timed(hessian, job["repeats"], warm=True)
        out["eigvalsh"] = timed(lambda: torch.linalg.eigvalsh(h), job["repeats"], warm=True)
        out["values"] = values[[0, -1]].tolist()
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
    elif job["kind"] == "train":
        # Training as the engine does it: each run full batch with Adam, one after the other.
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        loss_fn = objective(job, x)

        def run_all():
            finals = []
            for start in job["starts"]:
                theta = torch.tensor(start, dtype=torch.float64).requires_grad_(True)
                optimizer = torch.optim.Adam([theta], lr=job["learningRate"])
                for _ in range(job["steps"]):
                    optimizer.zero_grad()
                    loss_fn(theta).backward()
                    optimizer.step()
                finals.append(loss_fn(theta).item())
            out["finalLosses"] = finals

        out["seconds"] = timed(run_all, job["repeats"])
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
    elif job["kind"] == "density":
        x = torch.tensor(job["inputs"], dtype=torch.float64)
        labels = torch.tensor(job["labels"], dtype=torch.long)
        loss_fn = cross_entropy(job["layers"], x, labels)
        theta = torch.tensor(job["theta"], dtype=torch.float64).requires_grad_(True)
        starts = torch.tensor(job["probes"], dtype=torch.float64)  # m × P unit vectors
        # Steps each probe takes: probe 0 serves the extremes as well (at least their steps).
        steps = [max(job["steps"][0], job["extremeSteps"])] + job["steps"][1:]
        sigma, grid = job["sigma"], torch.tensor(job["grid"], dtype=torch.float64)

        def extremes_and_density():
            """Lanczos for every probe in lockstep, as an expert writes it: one gradient graph,
            the probes' Hessian-vector products batched through double-backward
            (is_grads_batched), full reorthogonalization as matrix products (classical
            Gram-Schmidt, twice); a probe leaves the batch once it has its steps."""
            (g,) = torch.autograd.grad(loss_fn(theta), theta, create_graph=True)
            m = starts.shape[0]
            basis = [[starts[j]] for j in range(m)]
            alphas = [[] for _ in range(m)]
            betas = [[] for _ in range(m)]
            for k in range(max(steps)):
                active = [j for j in range(m) if steps[j] > k]
                q = torch.stack([basis[j][-1] for j in active])
                (w,) = torch.autograd.grad(g, theta, q, retain_graph=True, is_grads_batched=True)
                for row, j in enumerate(active):
                    v = w[row]
                    alphas[j].append(v @ basis[j][-1])
                    stacked = torch.stack(basis[j])
                    for _ in range(2):
                        v = v - stacked.T @ (stacked @ v)
                    beta = v.norm()
                    betas[j].append(beta)
                    basis[j].append(v / beta)

            def tridiagonal(j, count):
                t = torch.diag(torch.stack(alphas[j][:count]))
                for k in range(count - 1):
                    t[k, k + 1] = t[k + 1, k] = betas[j][k]
                return t

            # The extremes from probe 0's first extremeSteps steps, the density from each
            # probe's own steps: the leading blocks of the same tridiagonals.
            values = torch.linalg.eigvalsh(tridiagonal(0, job["extremeSteps"]))
            nodes, weights = [], []
            for j in range(m):
                theta_k, s = torch.linalg.eigh(tridiagonal(j, job["steps"][j]))
                nodes.append(theta_k)
                weights.append(s[0] ** 2 / m)
            nodes, weights = torch.cat(nodes), torch.cat(weights)
            z = (grid[:, None] - nodes[None, :]) / sigma
            density = (weights[None, :] * torch.exp(-0.5 * z * z)).sum(1) / (sigma * (2 * torch.pi) ** 0.5)
            return values, density

        values, density = extremes_and_density()
        out["values"] = [values[0].item(), values[-1].item()]
        out["density"] = density.tolist()
        out["seconds"] = timed(extremes_and_density, job["repeats"])
    elif job["kind"] == "eigvalsh":
        n = job["size"]
        with open(job["file"], "rb") as f:
            a = torch.frombuffer(bytearray(f.read()), dtype=torch.float64).view(n, n).clone()
        out["eigvalsh"] = timed(lambda: torch.linalg.eigvalsh(a), job["repeats"])
        out["eigh"] = timed(lambda: torch.linalg.eigh(a), job["repeats"])
        out["values"] = torch.linalg.eigvalsh(a).tolist()
    elif job["kind"] == "pyhessian-trace":
        # PyHessian, run unmodified from the checkout the bench was given: Hutchinson's
        # trace of the same network, data and weights, with `probes` Rademacher probes.
        sys.path.insert(0, job["pyhessian"])
        from pyhessian import hessian as PyHessian

        x = torch.tensor(job["inputs"], dtype=torch.float64)
        y = torch.tensor(job["targets"], dtype=torch.float64)
        theta = torch.tensor(job["theta"], dtype=torch.float64)
        model = sequential(job["layers"], theta)
        estimates, times = [], []
        for seed in range(job["seeds"]):
            start = time.perf_counter()
            torch.manual_seed(seed)
            # tol=0: never stops early, so every estimate spends exactly `probes` products.
            samples = PyHessian(model, torch.nn.MSELoss(), data=(x, y), cuda=False).trace(
                maxIter=job["probes"], tol=0.0
            )
            n = len(samples)
            mean = statistics.fmean(samples)
            estimates.append({"value": mean, "standardError": statistics.stdev(samples) / n**0.5})
            times.append(time.perf_counter() - start)
        # The median estimate's time: the first seeds also warm torch up.
        out["seconds"] = statistics.median(times)
        out["estimates"] = estimates
        out["exact"] = torch.diagonal(dense_hessian(mse(job["layers"], x, y), theta)).sum().item()
    elif job["kind"] == "pyhessian-module":
        # PyHessian, run unmodified from the checkout the bench was given, on a PyTorch module
        # file, its data (.npz) and its weights (safetensors): top-3 eigenvalues, the trace and
        # the density with its defaults, each timed; and the exact spectrum (dense Hessian).
        sys.path.insert(0, job["pyhessian"])
        from pyhessian import hessian as PyHessian

        torch.set_num_threads(job["threads"])
        model, x, y = module_problem(job)
        criterion = torch.nn.CrossEntropyLoss()
        torch.manual_seed(0)
        start = time.perf_counter()
        peer = PyHessian(model, criterion, data=(x, y), cuda=False)
        top, _ = peer.eigenvalues(top_n=3)
        after_top = time.perf_counter()
        trace = statistics.fmean(peer.trace())
        after_trace = time.perf_counter()
        nodes, weights = peer.density()
        end = time.perf_counter()
        out["seconds"] = {"top": after_top - start, "trace": after_trace - after_top, "density": end - after_trace}
        out["top"] = sorted(top, reverse=True)
        out["trace"] = trace
        # Its Ritz values come from numpy's general eig: complex with zero imaginary parts.
        out["density"] = {"nodes": [float(v.real) for v in nodes[0]], "weights": [float(w.real) for w in weights[0]]}
        names = [n for n, _ in model.named_parameters()]
        shapes = [p.shape for p in model.parameters()]
        sizes = [p.numel() for p in model.parameters()]
        theta = torch.cat([p.detach().reshape(-1) for p in model.parameters()])

        def loss_of(flat):
            params = {n: t.reshape(s) for n, t, s in zip(names, torch.split(flat, sizes), shapes)}
            return criterion(torch.nn.utils.stateless.functional_call(model, params, (x,)), y)

        start = time.perf_counter()
        out["exact"] = torch.linalg.eigvalsh(torch.autograd.functional.hessian(loss_of, theta)).tolist()
        out["exactSeconds"] = time.perf_counter() - start
    elif job["kind"] == "loss-landscape-plane":
        # tomgoldstein/loss-landscape, run unmodified from the checkout the bench was given:
        # its net_plotter.set_weights moves the weights along the two directions (ours, given
        # as they are), and its evaluation.eval_loss evaluates each grid point, in the order and
        # the way its plot_surface.crunch does, without MPI (one process).
        sys.path.insert(0, job["lossLandscape"])
        import evaluation
        import net_plotter

        torch.set_num_threads(job["threads"])
        model, x, y = module_problem(job)
        theta = torch.tensor(job["theta"])
        torch.nn.utils.vector_to_parameters(theta, model.parameters())

        def pieces(flat):
            out, offset = [], 0
            for p in model.parameters():
                out.append(flat[offset : offset + p.numel()].reshape(p.shape).clone())
                offset += p.numel()
            return out

        directions = [pieces(torch.tensor(job["dx"])), pieces(torch.tensor(job["dy"]))]
        weights = net_plotter.get_weights(model)
        criterion = torch.nn.CrossEntropyLoss()
        loader = [(x, y)]  # the whole dataset as one batch
        losses = []
        start = time.perf_counter()
        for a in job["xs"]:
            for b in job["ys"]:
                net_plotter.set_weights(model, weights, directions, [a, b])
                losses.append(evaluation.eval_loss(model, criterion, loader)[0])
        out["seconds"] = time.perf_counter() - start
        out["losses"] = losses  # x-major: losses[i * len(ys) + j] at (xs[i], ys[j])
    elif job["kind"] == "eigh":
        results = {}
        for n in job["sizes"]:
            a = torch.randn(n, n, generator=torch.Generator().manual_seed(n))
            a = a + a.T
            results[str(n)] = timed(lambda: torch.linalg.eigh(a), job["repeats"])
        out["eigh"] = results
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
