"""Reference for `./scxm bench pretrain read`: torch.load of a pytorch_model.bin (Debian's python3-torch), the
way a PyTorch user reads a checkpoint into memory. usage: read_reference.py FILE threads
prints: seconds peak_rss_mib tensors"""
import resource, sys, time
import torch
torch.set_num_threads(int(sys.argv[2]))
t0 = time.perf_counter()
sd = torch.load(sys.argv[1], map_location="cpu")
s = sum(float(v.view(-1)[0]) for v in sd.values())  # touch every tensor, as our reader does by decoding it
dt = time.perf_counter() - t0
print(f"{dt:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {len(sd)}")
