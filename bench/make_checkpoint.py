"""Writes a random BertForMaskedLM checkpoint of a given shape for `./scxm bench pretrain read`, with real PyTorch
(Debian's python3-torch): pytorch_model.bin by torch.save of the state dict (the decoder tied to the word
embeddings, so they share one storage, as in real checkpoints) and model.safetensors written by hand (no
python3-safetensors in Debian; the tied decoder left out, as Hugging Face saves it), plus config.json.

usage: make_checkpoint.py OUT_DIR layers hidden heads intermediate vocab positions
"""
import json, os, struct, sys
import torch

out = sys.argv[1]
L, H, NH, I, V, P = [int(a) for a in sys.argv[2:8]]
os.makedirs(out, exist_ok=True)
g = torch.Generator().manual_seed(0)
sd = {}
def t(name, *shape):
    sd[name] = torch.randn(*shape, generator=g) * 0.02
t("bert.embeddings.word_embeddings.weight", V, H)
t("bert.embeddings.position_embeddings.weight", P, H)
t("bert.embeddings.token_type_embeddings.weight", 2, H)
sd["bert.embeddings.LayerNorm.weight"] = torch.ones(H); sd["bert.embeddings.LayerNorm.bias"] = torch.zeros(H)
for l in range(L):
    p = f"bert.encoder.layer.{l}."
    for m in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
        t(p + m + ".weight", H, H); sd[p + m + ".bias"] = torch.zeros(H)
    for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
        sd[p + ln + ".weight"] = torch.ones(H); sd[p + ln + ".bias"] = torch.zeros(H)
    t(p + "intermediate.dense.weight", I, H); sd[p + "intermediate.dense.bias"] = torch.zeros(I)
    t(p + "output.dense.weight", H, I); sd[p + "output.dense.bias"] = torch.zeros(H)
t("cls.predictions.transform.dense.weight", H, H); sd["cls.predictions.transform.dense.bias"] = torch.zeros(H)
sd["cls.predictions.transform.LayerNorm.weight"] = torch.ones(H); sd["cls.predictions.transform.LayerNorm.bias"] = torch.zeros(H)
sd["cls.predictions.bias"] = torch.zeros(V)
sd["cls.predictions.decoder.weight"] = sd["bert.embeddings.word_embeddings.weight"]  # tied: one storage
torch.save(sd, os.path.join(out, "pytorch_model.bin"))
header, off = {}, 0
names = [k for k in sd if k != "cls.predictions.decoder.weight"]
for k in names:
    n = sd[k].numel() * 4
    header[k] = {"dtype": "F32", "shape": list(sd[k].shape), "data_offsets": [off, off + n]}; off += n
h = json.dumps(header).encode(); h += b" " * ((8 - len(h) % 8) % 8)
with open(os.path.join(out, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h))); f.write(h)
    for k in names: f.write(sd[k].contiguous().numpy().astype("<f4").tobytes())
json.dump(dict(architectures=["BertForMaskedLM"], model_type="bert", vocab_size=V, hidden_size=H, num_hidden_layers=L, num_attention_heads=NH,
               intermediate_size=I, max_position_embeddings=P, type_vocab_size=2, layer_norm_eps=1e-12, hidden_act="relu", pad_token_id=0,
               position_embedding_type="absolute"), open(os.path.join(out, "config.json"), "w"), indent=1)
print(sum(v.numel() for k, v in sd.items() if k != "cls.predictions.decoder.weight"))
