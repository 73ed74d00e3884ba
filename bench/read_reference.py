"""Reference for `./scxm bench pretrain read`: torch.load of a pytorch_model.bin (Debian's python3-torch), the
way a PyTorch user reads a checkpoint into memory. usage: read_reference.py FILE threads
prints: seconds peak_rss_mib tensors"""
import sys, time
import torch


def peak_rss_mib():
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec, so a
    # child of a large JVM would report the JVM's peak as its own.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return -1

torch.set_num_threads(int(sys.argv[2]))
t0 = time.perf_counter()
sd = torch.load(sys.argv[1], map_location="cpu")
s = sum(float(v.view(-1)[0]) for v in sd.values())  # touch every tensor, as our reader does by decoding it
dt = time.perf_counter() - t0
print(f"{dt:.3f} {peak_rss_mib():.0f} {len(sd)}")
