#!/usr/bin/env python3
"""PyTorch figure for `gtzan bench train`: the same network as a model TOML, trained on random
data with the same batch size, samples/s printed as JSON. Needs torch (and tomllib / tomli);
`gtzan bench train` only calls it when `python3 -c "import torch"` works."""
import argparse
import json
import sys
import time

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

try:
    import torch
    from torch import nn
except ImportError:
    print(json.dumps({"error": "torch is not installed"}))
    sys.exit(0)


class LastStep(nn.Module):
    """Keras LSTM with masking: packed sequences; output = last valid step or the sequence."""

    def __init__(self, inp, units, return_sequences):
        super().__init__()
        self.lstm = nn.LSTM(inp, units, batch_first=True)
        self.return_sequences = return_sequences

    def forward(self, x):
        lengths = (x.abs().sum(-1) != 0).sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, (h, _) = self.lstm(packed)
        if self.return_sequences:
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
            return out
        return h[-1]


def build(spec, sample_shape, classes):
    layout = spec.get("input", "vector")
    shape = [sample_shape[0], 1] if layout == "vector_as_sequence" else list(sample_shape)
    mods = []
    for layer in spec["layers"]:
        t = layer["type"]
        units = classes if layer.get("units") == "classes" else layer.get("units")
        if t == "conv1d":
            k = layer.get("kernel_size", 3)
            mods += [Permute(), nn.ConstantPad1d(((k - 1) // 2, k - 1 - (k - 1) // 2), 0.0),
                     nn.Conv1d(shape[1], layer["filters"], k), Permute()]
            shape = [shape[0], layer["filters"]]
        elif t == "maxpool1d":
            p = layer.get("pool_size", 2)
            mods += [Permute(), nn.MaxPool1d(p, ceil_mode=layer.get("padding", "valid") == "same"), Permute()]
            shape = [-(-shape[0] // p), shape[1]]
        elif t == "flatten":
            mods.append(nn.Flatten())
            shape = [shape[0] * shape[1]]
        elif t == "dense":
            mods.append(nn.Linear(shape[-1], units))
            shape = shape[:-1] + [units]
        elif t == "batchnorm":
            mods.append(nn.BatchNorm1d(shape[-1], eps=1e-3, momentum=0.01))
        elif t == "dropout":
            mods.append(nn.Dropout(layer.get("rate", 0.0)))
        elif t == "masking":
            pass
        elif t == "lstm":
            mods.append(LastStep(shape[-1], units, layer.get("return_sequences", False)))
            shape = [shape[0], units] if layer.get("return_sequences", False) else [units]
        if layer.get("activation") == "relu" or t == "relu":
            mods.append(nn.ReLU())
    model = nn.Sequential(*mods)
    return model, layout


class Permute(nn.Module):
    def forward(self, x):
        return x.transpose(1, 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--samples", type=int, default=1024)
    ap.add_argument("--inputs", type=int, default=63)
    ap.add_argument("--steps", type=int, default=1300)
    ap.add_argument("--channels", type=int, default=13)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu", help="cpu | cuda (the GPU our engine ran on)")
    a = ap.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        print(json.dumps({"error": "torch has no CUDA device here"}))
        return
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    with open(a.model, "rb") as f:
        spec = tomllib.load(f)
    seq = spec.get("input") == "sequence"
    sample = [a.steps, a.channels] if seq else [a.inputs]
    model, layout = build(spec, sample, a.classes)
    x = torch.rand(a.samples, *sample) * 2 - 1
    if layout == "vector_as_sequence":
        x = x.unsqueeze(-1)
    y = torch.randint(0, a.classes, (a.samples,))
    dev = torch.device(a.device)
    if dev.type == "cuda":
        # Float32 arithmetic as our engine (no TF32 in GEMMs, convolutions or cuDNN's RNN).
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    model, x, y = model.to(dev), x.to(dev), y.to(dev)  # data resident on the device, as ours
    bs = spec.get("train", {}).get("batch_size", 32)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    model.train()

    def step(i):
        opt.zero_grad()
        loss = loss_fn(model(x[i:i + bs]), y[i:i + bs])
        loss.backward()
        opt.step()

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    step(0)
    sync()
    t0 = time.perf_counter()
    for i in range(0, a.samples, bs):
        step(i)
    sync()
    sec = time.perf_counter() - t0
    out = {"framework": "pytorch " + torch.__version__, "device": a.device,
           "threads": torch.get_num_threads(), "samples_per_second": a.samples / sec}
    if dev.type == "cuda":
        out["gpu"] = torch.cuda.get_device_name(0)
        out["cudnn"] = torch.backends.cudnn.version()
        out["tf32"] = False
    print(json.dumps(out))


if __name__ == "__main__":
    main()
