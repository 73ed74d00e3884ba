#!/usr/bin/env bash
# GPU check on a CUDA host (docs/gpu.md): the workbench's training step on the GPU through the host's installed
# PyTorch (DJL's PYTORCH_LIBRARY_PATH route), beside the same step in that PyTorch (bench/train_reference.py),
# Geneformer-V2-shaped (12 x 768, last 4 blocks trainable, batch 8) at sequence lengths 512 and 2,048.
# Prints s/step of both sides and the ratio. Needs no network. About 10 minutes at most, build included.
#   bench/gpu-check.sh [PYTHON]      PYTHON: the interpreter whose torch to use (default: $SCXM_PYTHON or python3)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${1:-${SCXM_PYTHON:-python3}}"
START=$SECONDS
# The JNI bridge DJL 0.36 ships (ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0) is built for libtorch 2.7.1, in a cpu
# and a cu128 flavor; any other torch version would make DJL download a JNI, which an offline host cannot.
WANT=2.7.1

info=$("$PY" - <<'PYEOF' 2>&1
import glob, os, sys
try:
    import torch
except Exception as e:
    print("ERR no torch in this Python (" + str(e) + ")"); sys.exit()
lib = os.path.join(os.path.dirname(torch.__file__), "lib")
rt = sorted(glob.glob(os.path.join(os.path.dirname(os.path.dirname(torch.__file__)), "nvidia", "cuda_runtime", "lib", "libcudart.so*")))
print("OK", torch.__version__.split("+")[0], torch.version.cuda or "none", int(torch.cuda.is_available()), torch.cuda.device_count(), lib,
      os.path.dirname(rt[0]) if rt else "-", (torch.cuda.get_device_name(0) if torch.cuda.is_available() else "-").replace(" ", "_"))
PYEOF
) || true
read -r status version cuda available count lib cudart gpu <<<"$info" || true
if [[ "$status" != OK ]]; then reason="${info#ERR }"; echo "gpu-check: $PY cannot import torch: ${reason:-it did not run}; give the Python that has PyTorch with CUDA (bench/gpu-check.sh /path/to/python)." >&2; exit 1; fi
if [[ "$available" != 1 ]]; then echo "gpu-check: torch $version in $PY sees no CUDA GPU (CUDA build: $cuda); run on a host with an NVIDIA driver and a CUDA build of PyTorch." >&2; exit 1; fi
if [[ "$version" != "$WANT" ]]; then
  echo "gpu-check: $PY has torch $version, but the JNI bundled with DJL 0.36 is built for libtorch $WANT; install torch==$WANT (any CUDA 12 flavor) in a virtual environment and pass its python (docs/gpu.md)." >&2; exit 1
fi
[[ -f "$lib/libtorch.so" ]] || { echo "gpu-check: no libtorch.so in $lib; is this a full PyTorch wheel?" >&2; exit 1; }

export PYTORCH_LIBRARY_PATH="$lib" PYTORCH_VERSION="$WANT" PYTORCH_FLAVOR=cu128 SCXM_PYTHON="$PY"
# DJL counts GPUs through the CUDA runtime (JNA, libcudart); pip wheels keep it beside torch, off the default search path.
[[ "$cudart" != "-" ]] && export LD_LIBRARY_PATH="$cudart${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "gpu-check: $count GPU(s), first ${gpu//_/ }; torch $version (CUDA $cuda) from $lib"

./scxm build
LEFT=$(( 600 - (SECONDS - START) ))
(( LEFT > 60 )) || { echo "gpu-check: the build took the time budget; run again (the build is done now)." >&2; exit 1; }
OUT=$(mktemp)
set +e
timeout "$LEFT" ./scxm bench train v2 5 device=gpu seq=512,2048 batch=8 2>&1 | tee "$OUT"
rc=${PIPESTATUS[0]}
set -e
echo
grep -q '^device: gpu' "$OUT" || { echo "gpu-check: the benchmark did not run on the GPU (see its first line); check PYTORCH_LIBRARY_PATH and LD_LIBRARY_PATH (docs/gpu.md)." >&2; exit 1; }
(( rc == 0 )) || { echo "gpu-check: the benchmark stopped (exit $rc$([[ $rc == 124 ]] && echo ', over the time budget')); its output is above." >&2; exit 1; }
echo "gpu-check summary (ours = DJL on the GPU through the installed libtorch; ratio > 1: ours is faster):"
awk '/^Geneformer-V2-shaped/ {shape=$0} /ours:|PyTorch:|ratio:/ {print (shape != "" ? shape "\n" : "") $0; shape=""}' "$OUT"
echo "total $(( SECONDS - START )) s"
