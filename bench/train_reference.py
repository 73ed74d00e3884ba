"""Reference for `./scxm bench train`: the same SCXM training step as org.scxm.model.Trainer, in plain
PyTorch (Debian's python3-torch), on random data of the same shapes.

One step = encoder forward without gradients (the generated batch the critic steps share), `critic`
critic updates (WGAN loss + 10 * gradient penalty at interpolates, via torch.autograd.grad with
create_graph as usual in PyTorch), then one generator update (adversarial + L_ST + L_SC, global grad
norm clipped at 5) through the encoder's last `trainable` blocks, head and decoder. Adam(0.5, 0.9).

usage: train_reference.py layers hidden heads intermediate vocab seq batch panel width critic trainable steps warmup threads [device]
device: cpu (default) or cuda:N; on CUDA every tensor is made there and the timing waits for the GPU.
prints: seconds_per_step peak_mib (resident memory on the CPU, allocated GPU memory on CUDA)
"""
import math, resource, sys, time
import torch
import torch.nn.functional as F

(L, H, NH, I, V, T, B, P, W, C, K, STEPS, WARM, THREADS) = [int(a) for a in sys.argv[1:15]]
DEVICE = sys.argv[15] if len(sys.argv) > 15 else "cpu"
CUDA = DEVICE.startswith("cuda")
torch.set_num_threads(THREADS)
torch.manual_seed(0)
if CUDA:  # torch >= 2.0: every factory call below allocates on the GPU
    torch.set_default_device(DEVICE)


def normal(*shape):
    return (torch.randn(*shape) * 0.02).requires_grad_()


def const(n, v):
    return torch.full((n,), float(v)).requires_grad_()


emb = dict(word=normal(V, H), pos=normal(T, H), type=normal(2, H), lnw=const(H, 1), lnb=const(H, 0))
blocks = []
for _ in range(L):
    blk = {}
    for m in ("q", "k", "v", "attn_out"):
        blk[m + ".w"] = normal(H, H); blk[m + ".b"] = const(H, 0)
    blk["ln1.w"] = const(H, 1); blk["ln1.b"] = const(H, 0)
    blk["inter.w"] = normal(I, H); blk["inter.b"] = const(I, 0)
    blk["out.w"] = normal(H, I); blk["out.b"] = const(H, 0)
    blk["ln2.w"] = const(H, 1); blk["ln2.b"] = const(H, 0)
    blocks.append(blk)
encoder_trainable = []
if K >= L:
    encoder_trainable = list(emb.values()) + [p for blk in blocks for p in blk.values()]
else:
    for p in list(emb.values()) + [p for blk in blocks[:L - K] for p in blk.values()]:
        p.requires_grad_(False)
    encoder_trainable = [p for blk in blocks[L - K:] for p in blk.values()]


def mlp(sizes):
    ps = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        bound = 1 / math.sqrt(a)
        ps += [((torch.rand(b, a) * 2 - 1) * bound).requires_grad_(), ((torch.rand(b) * 2 - 1) * bound).requires_grad_()]
    return ps


def run_mlp(ps, x, leaky=False, sigmoid=False):
    n = len(ps) // 2
    for l in range(n):
        x = F.linear(x, ps[2 * l], ps[2 * l + 1])
        if l + 1 < n:
            x = F.leaky_relu(x, 0.2) if leaky else F.relu(x)
    return torch.sigmoid(x) if sigmoid else x


head = mlp([H, W, P])                 # 2 layers
decoder = mlp([P, W, W, W, P])        # 4 layers
critic = mlp([P, W, W, W, W, 1])      # 5 layers
dh = H // NH


def encode(ids, mask):
    x = emb["word"][ids] + emb["pos"][:ids.shape[1]] + emb["type"][0]
    x = F.layer_norm(x, (H,), emb["lnw"], emb["lnb"], 1e-12)
    add = ((1 - mask) * -1e9)[:, None, None, :]
    for blk in blocks:
        def split(name):
            return F.linear(x, blk[name + ".w"], blk[name + ".b"]).view(B, T, NH, dh).transpose(1, 2)
        q, k, v = split("q"), split("k"), split("v")
        ctx = torch.softmax(q @ k.transpose(-1, -2) * (1 / math.sqrt(dh)) + add, -1) @ v
        ctx = ctx.transpose(1, 2).reshape(B, T, H)
        x = F.layer_norm(F.linear(ctx, blk["attn_out.w"], blk["attn_out.b"]) + x, (H,), blk["ln1.w"], blk["ln1.b"], 1e-12)
        inter = F.relu(F.linear(x, blk["inter.w"], blk["inter.b"]))
        x = F.layer_norm(F.linear(inter, blk["out.w"], blk["out.b"]) + x, (H,), blk["ln2.w"], blk["ln2.b"], 1e-12)
    return run_mlp(head, x[:, 0], sigmoid=True)


generator = encoder_trainable + head + decoder
opt_g = torch.optim.Adam(generator, lr=1e-4, betas=(0.5, 0.9))
opt_d = torch.optim.Adam(critic, lr=1e-4, betas=(0.5, 0.9))
n_sc, n_st = 512, 512
tokens = torch.randint(4, V, (n_sc, T))
tokens[:, 0] = 2
sc_panel = (torch.rand(n_sc, P) < 0.3).float()
st_target, st_panel = torch.rand(n_st, P), (torch.rand(n_st, P) < 0.3).float()
mask = torch.ones(B, T)


def step():
    with torch.no_grad():
        fake = encode(tokens[torch.randint(0, n_sc, (B,))], mask)
    for _ in range(C):
        real = st_target[torch.randint(0, n_st, (B,))]
        opt_d.zero_grad()
        eps = torch.rand(B, 1)
        mixed = (eps * real + (1 - eps) * fake).requires_grad_()
        g, = torch.autograd.grad(run_mlp(critic, mixed, leaky=True).sum(), mixed, create_graph=True)
        gp = ((g.square().sum(1) + 1e-12).sqrt() - 1).square().mean()
        loss = run_mlp(critic, fake, leaky=True).mean() - run_mlp(critic, real, leaky=True).mean() + 10 * gp
        loss.backward()
        opt_d.step()
    sc = torch.randint(0, n_sc, (B,))
    st = torch.randint(0, n_st, (B,))
    opt_g.zero_grad()
    fake = encode(tokens[sc], mask)
    adv = -run_mlp([p.detach() for p in critic], fake, leaky=True).mean()
    l_st = (run_mlp(decoder, st_target[st], sigmoid=True) - st_panel[st]).square().sum(1).mean()
    l_sc = (run_mlp([p.detach() for p in decoder], fake, sigmoid=True) - sc_panel[sc]).square().sum(1).mean()
    (adv + l_st + l_sc).backward()
    torch.nn.utils.clip_grad_norm_(generator, 5.0)
    opt_g.step()


for _ in range(WARM):
    step()
if CUDA:
    torch.cuda.synchronize()
t0 = time.perf_counter()
for _ in range(STEPS):
    step()
if CUDA:
    torch.cuda.synchronize()
secs = (time.perf_counter() - t0) / STEPS
peak = torch.cuda.max_memory_allocated() / 2**20 if CUDA else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{secs:.6f} {peak:.1f}")
