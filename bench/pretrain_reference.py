"""Reference for `./scxm bench pretrain step`: the same masked-gene pretraining step as org.scxm.model.Pretrainer,
in plain PyTorch (Debian's python3-torch), on random full-length token sequences of the same shapes.

One step: 15% of the gene tokens chosen (80% -> <mask>, 10% random, 10% kept), BERT forward (relu, post-LN,
no dropout), hidden states gathered at the chosen positions, BertForMaskedLM's head (dense, relu, LayerNorm,
decoder tied to the word embeddings + bias), cross-entropy, backward, global grad norm clipped at 1, Adam(0.9, 0.999).

usage: pretrain_reference.py layers hidden heads intermediate vocab seq batch steps warmup threads
prints: seconds_per_step peak_rss_mib
"""
import math, sys, time
import torch


def peak_rss_mib():
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec, so a
    # child of a large JVM would report the JVM's peak as its own.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return -1

import torch.nn.functional as F

(L, H, NH, I, V, T, B, STEPS, WARM, THREADS) = [int(a) for a in sys.argv[1:11]]
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def normal(*shape):
    return (torch.randn(*shape) * 0.02).requires_grad_()


def const(n, v):
    return torch.full((n,), float(v)).requires_grad_()


P = dict(word=normal(V, H), pos=normal(T, H), type=normal(2, H), lnw=const(H, 1), lnb=const(H, 0),
         hd_w=normal(H, H), hd_b=const(H, 0), hln_w=const(H, 1), hln_b=const(H, 0), hbias=const(V, 0))
blocks = []
for _ in range(L):
    blk = {}
    for n in ("q", "k", "v", "o"):
        blk[n + "w"] = normal(H, H); blk[n + "b"] = const(H, 0)
    blk.update(ln1w=const(H, 1), ln1b=const(H, 0), iw=normal(I, H), ib=const(I, 0), fw=normal(H, I), fb=const(H, 0), ln2w=const(H, 1), ln2b=const(H, 0))
    blocks.append(blk)
params = list(P.values()) + [p for b in blocks for p in b.values()]
opt = torch.optim.Adam(params, lr=1e-4, betas=(0.9, 0.999))
seqs = torch.randint(4, V, (512, T)); seqs[:, 0] = 2; seqs[:, -1] = 3
g = torch.Generator().manual_seed(1)


def step():
    ids = seqs[torch.randint(0, 512, (B,), generator=g)].clone()
    chosen = (torch.rand(B, T, generator=g) < 0.15); chosen[:, 0] = False; chosen[:, -1] = False
    labels = ids[chosen]
    u = torch.rand(B, T, generator=g)
    ids[chosen & (u < 0.8)] = 1
    rnd = chosen & (u >= 0.8) & (u < 0.9)
    ids[rnd] = torch.randint(0, V, (int(rnd.sum()),), generator=g)
    x = F.layer_norm(P["word"][ids] + P["pos"][:T] + P["type"][0], (H,), P["lnw"], P["lnb"], 1e-12)
    dh = H // NH
    for b in blocks:
        sp = lambda y: y.view(B, T, NH, dh).transpose(1, 2)
        q, k, v = (sp(F.linear(x, b[n + "w"], b[n + "b"])) for n in ("q", "k", "v"))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh), -1) @ v
        x = F.layer_norm(F.linear(a.transpose(1, 2).reshape(B, T, H), b["ow"], b["ob"]) + x, (H,), b["ln1w"], b["ln1b"], 1e-12)
        f = F.linear(torch.relu(F.linear(x, b["iw"], b["ib"])), b["fw"], b["fb"])
        x = F.layer_norm(f + x, (H,), b["ln2w"], b["ln2b"], 1e-12)
    h = x.reshape(-1, H)[chosen.view(-1)]
    h = F.layer_norm(torch.relu(F.linear(h, P["hd_w"], P["hd_b"])), (H,), P["hln_w"], P["hln_b"], 1e-12)
    loss = F.cross_entropy(F.linear(h, P["word"], P["hbias"]), labels)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()


for _ in range(WARM): step()
t0 = time.perf_counter()
for _ in range(STEPS): step()
dt = (time.perf_counter() - t0) / STEPS
print(f"{dt:.4f} {peak_rss_mib():.0f}")
