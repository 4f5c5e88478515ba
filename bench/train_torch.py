"""PyTorch peer for bench/train.sh: the same NAS-Bench-201 networks and SGD recipe, timed on
synthetic data in NCHW and channels_last; median of 3 timed epochs after a warm-up epoch."""
import argparse, statistics, time
import torch, torch.nn as nn

def relu_conv_bn(c_in, c_out, k, stride):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c_in, c_out, k, stride, k // 2, bias=False), nn.BatchNorm2d(c_out))

class Cell(nn.Module):
    def __init__(self, ops, c):
        super().__init__()
        self.edges, self.kinds = nn.ModuleList(), []
        for op in ops:
            self.kinds.append(op)
            self.edges.append({"nor_conv_3x3": lambda: relu_conv_bn(c, c, 3, 1), "nor_conv_1x1": lambda: relu_conv_bn(c, c, 1, 1),
                               "avg_pool_3x3": lambda: nn.AvgPool2d(3, 1, 1, count_include_pad=False),
                               "skip_connect": nn.Identity, "none": nn.Identity}[op]())
    def forward(self, x):
        nodes, slot = [x], 0
        for j in range(1, 4):
            total = 0
            for i in range(j):
                if self.kinds[slot] != "none":
                    total = total + self.edges[slot](nodes[i])
                slot += 1
            nodes.append(total if torch.is_tensor(total) else torch.zeros_like(x))
        return nodes[3]

class Reduction(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.a, self.b = relu_conv_bn(c_in, c_out, 3, 2), relu_conv_bn(c_out, c_out, 3, 1)
        self.short = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(c_in, c_out, 1, bias=False))
    def forward(self, x):
        return self.b(self.a(x)) + self.short(x)

def network(cell, c, n, cin, classes=10):
    ops = [t.split("~")[0] for g in cell.split("+") for t in g.strip("|").split("|")]
    layers = [nn.Conv2d(cin, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)]
    for stage in range(3):
        if stage:
            layers.append(Reduction(c, 2 * c)); c *= 2
        layers += [Cell(ops, c) for _ in range(n)]
    layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return nn.Sequential(*layers)

def throughput(cell, c, n, side, cin, batch, images, channels_last):
    torch.manual_seed(0)
    model = network(cell, c, n, cin)
    x, y = torch.rand(images, cin, side, side), torch.randint(0, 10, (images,))
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    rates = []
    for epoch in range(4):
        start = time.perf_counter()
        for b in range(0, images, batch):
            xb = x[b:b + batch].contiguous(memory_format=fmt)
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), y[b:b + batch])
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5)
            opt.step()
        rates.append(images / (time.perf_counter() - start))
    return statistics.median(rates[1:])

if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cells", default="CONV,MIXED,POOL"); p.add_argument("--configs", default="(b),(c),(a)"); args = p.parse_args()
    torch.set_num_threads(args.threads)
    cells = {"CONV": "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
             "MIXED": "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|",
             "POOL": "|avg_pool_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|skip_connect~1|none~2|"}
    print(f"torch {torch.__version__}, {args.threads} threads")
    for name, cell in cells.items():
        if name not in args.cells.split(","): continue
        for tag, cfg in [("(b)", (8, 1, 28, 1, 256, 1024)), ("(c)", (16, 1, 28, 1, 128, 1024)), ("(a)", (16, 5, 32, 3, 256, 512))]:
            if tag not in args.configs.split(","): continue
            nchw = throughput(cell, *cfg, channels_last=False)
            last = throughput(cell, *cfg, channels_last=True)
            print(f"{tag} {name} torch NCHW {nchw:.0f} img/s, channels_last {last:.0f} img/s", flush=True)
